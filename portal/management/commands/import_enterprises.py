from django.core.management.base import BaseCommand, CommandError

from portal.importing import format_report
from portal.imports import EnterpriseImporter


class Command(BaseCommand):
    help = "Import enterprises from a CSV or XLSX file (natural key: 统一社会信用代码)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file; save nothing.")

    def handle(self, *args, file, dry_run=False, **options):
        with open(file, "rb") as fh:
            result = EnterpriseImporter().run(fh, dry_run=dry_run, filename=file)
        for line in format_report(result):
            self.stdout.write(line)
        if result.header_errors:
            raise CommandError("文件表头有误，未导入任何数据。")
