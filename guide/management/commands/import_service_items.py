from django.core.management.base import BaseCommand, CommandError

from guide.imports import ServiceItemImporter, target_edition
from guide.models import GuideEdition
from portal.importing import format_report


class Command(BaseCommand):
    help = ("Import service-guide items from a CSV or XLSX file (natural key: 部门 + 事项名称 within the edition "
            "being edited: the one in preparation, else the current one).")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="Check the file; save nothing.")
        parser.add_argument("--edition", help="URL name (slug) of the edition to import into.")

    def handle(self, *args, file, dry_run=False, edition=None, **options):
        target = GuideEdition.objects.filter(slug=edition).first() if edition else target_edition()
        if target is None:
            raise CommandError("没有可导入的指南版本。")
        if target.status == GuideEdition.Status.ARCHIVED:
            raise CommandError("已归档的版本不能修改。")
        self.stdout.write(f"导入到：{target.title}（{target.get_status_display()}）")
        with open(file, "rb") as fh:
            result = ServiceItemImporter(edition=target).run(fh, dry_run=dry_run, filename=file)
        for line in format_report(result):
            self.stdout.write(line)
        if result.header_errors:
            raise CommandError("文件表头有误，未导入任何数据。")
