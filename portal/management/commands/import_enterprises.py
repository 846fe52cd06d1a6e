from portal.core.import_command import ImportCommand
from portal.core.imports import EnterpriseImporter


class Command(ImportCommand):
    help = "Import enterprises from a CSV or XLSX file (natural key: 统一社会信用代码)."

    def get_importer(self, **options):
        return EnterpriseImporter()
