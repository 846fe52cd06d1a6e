from pathlib import Path

from portal.core.import_command import ImportCommand
from portal.core.imports import OfficialImporter
from portal.core.welcome_sheets import welcome_sheets_pdf


class Command(ImportCommand):
    help = (
        "Import officials' accounts from CSV or XLSX (key: 用户名). New accounts get a one-time link: by e-mail, "
        "or on a printable sheet written with --sheets."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--sheets",
            metavar="PDF",
            help="Write the account-opening sheets of new officials without e-mail to this PDF.",
        )

    def get_importer(self, **options):
        self.sheets = options.get("sheets")
        return OfficialImporter()

    def report_extra(self, importer, result):
        if result.dry_run:
            return
        if importer.welcomed_by_mail:
            self.stdout.write(f"已向 {len(importer.welcomed_by_mail)} 名新用户发送开通链接邮件。")
        if importer.to_print:
            if self.sheets:
                officials = sorted(importer.to_print, key=lambda o: (o.unit.sort_order, o.unit.name, o.name))
                Path(self.sheets).write_bytes(welcome_sheets_pdf(officials))
                self.stdout.write(
                    f"{len(officials)} 名新用户没有邮箱，开通通知单已写入 {self.sheets}，请打印后交本人。"
                )
            else:
                self.stdout.write(
                    f"{len(importer.to_print)} 名新用户没有邮箱：请用 --sheets 文件名.pdf 生成开通通知单，"
                    "或在工作台“官员”列表中打印。"
                )
