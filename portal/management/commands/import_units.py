from portal.core.import_command import ImportCommand
from portal.core.imports import UnitImporter


class Command(ImportCommand):
    help = "Import units (towns, county government and office, departments, agencies) from CSV or XLSX (key: 单位名称)."

    def get_importer(self, **options):
        return UnitImporter()
