from django.core.management.base import BaseCommand, CommandError

from portal.core.importing import format_report
from portal.models import Unit
from policies.imports import PolicyImporter


class Command(BaseCommand):
    help = "Import policies from a CSV or XLSX file (see formats.md; natural key 索引号, else 文号+发布机构)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file; save nothing.")
        parser.add_argument(
            "--unit", help="Name of the unit that owns documents of outside bodies (default: the county government)."
        )

    def handle(self, *args, file, dry_run=False, unit=None, **options):
        owner = None
        if unit:
            owner = Unit.objects.filter(name=unit).first()
            if owner is None:
                raise CommandError(f"没有名为“{unit}”的单位。")
        with open(file, "rb") as fh:
            result = PolicyImporter(owner_unit=owner).run(fh, dry_run=dry_run, filename=file)
        for line in format_report(result):
            self.stdout.write(line)
        if result.header_errors:
            raise CommandError("文件表头有误，未导入任何数据。")
