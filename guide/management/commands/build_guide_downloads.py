import time

from django.core.management.base import BaseCommand, CommandError

from guide.downloads import edition_build_files
from guide.models import GuideEdition


class Command(BaseCommand):
    help = "Rebuild the PDF and Word downloads of the public guide editions (or one, by its slug)."

    def add_arguments(self, parser):
        parser.add_argument("--edition", help="URL name (slug) of one edition.")

    def handle(self, *args, edition=None, **options):
        editions = GuideEdition.objects.public()
        if edition:
            editions = editions.filter(slug=edition)
            if not editions.exists():
                raise CommandError(f"No public edition “{edition}”.")
        for obj in editions:
            started = time.perf_counter()
            edition_build_files(edition=obj, background=False)
            self.stdout.write(f"{obj.title}: downloads built in {time.perf_counter() - started:.1f} s")
