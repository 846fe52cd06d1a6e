from django.core.management.base import BaseCommand

from portal.core import search
from portal.core.queue import enqueue
from portal.core.tasks import rebuild_search_index


class Command(BaseCommand):
    help = (
        "Re-index everything each app puts in the site search (policies, guide items, FAQs, loan products, "
        "leaders, contacts, pages), e.g. after a dictionary or lexicon change. --background leaves it "
        "to the background-job worker."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--background",
            action="store_true",
            help="Queue the rebuild for the background-job worker and return at once.",
        )

    def handle(self, *args, background=False, **options):
        if background:
            enqueue(rebuild_search_index)
            self.stdout.write("搜索索引重建已交给后台任务。")
            return
        search.clear_synonym_cache()
        for name, count in search.rebuild_all():
            self.stdout.write(f"{name}: {count}")
        self.stdout.write("搜索索引已重建。")
