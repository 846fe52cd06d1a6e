from django.core.management.base import CommandError

from guide.imports import ServiceItemImporter
from guide.models import GuideEdition
from portal.core.import_command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import service-guide items from a CSV or XLSX file (natural key: 部门 + 事项名称 within the edition in "
        "preparation; when there is none, the import starts one, copied from the current edition)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--edition", help="URL name (slug) of the edition to import into.")

    def get_importer(self, *, edition=None, **options):
        target = None
        if edition:
            target = GuideEdition.objects.filter(slug=edition).first()
            if target is None:
                raise CommandError(f"没有网址名为“{edition}”的指南版本。")
            if target.status == GuideEdition.Status.ARCHIVED:
                raise CommandError("已归档的版本不能修改。")
        return ServiceItemImporter(edition=target)
