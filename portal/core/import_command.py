"""The shape every import_* management command shares: FILE, --dry-run, the report in Chinese."""

from django.core.management.base import BaseCommand, CommandError

from portal.core.importing import format_report


class ImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file; save nothing.")

    def get_importer(self, **options):
        raise NotImplementedError

    def handle(self, *args, file, dry_run=False, **options):
        importer = self.get_importer(**options)
        with open(file, "rb") as fh:
            result = importer.run(fh, dry_run=dry_run, filename=file)
        for line in format_report(result):
            self.stdout.write(line)
        self.report_extra(importer, result)
        if result.header_errors:
            raise CommandError("文件表头有误，未导入任何数据。")
        return None

    def report_extra(self, importer, result):
        """Anything an importer has to add after the report."""
