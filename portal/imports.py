"""import_enterprises: the enterprise register from a county's spreadsheet."""
from django.utils.translation import gettext as _

from .importing import RowError, SpreadsheetImporter
from .models import Enterprise, Industry, Scale, Unit
from .validators import normalize_uscc

YES_NO = {"是": True, "否": False, "": False, "Y": True, "N": False}


class EnterpriseImporter(SpreadsheetImporter):
    required_headers = ("企业名称", "统一社会信用代码", "所属镇")
    optional_headers = ("行业", "规模", "重点企业", "地址", "联系人", "联系电话")

    def prepare(self):
        self.towns = {}
        for town in Unit.objects.towns():
            self.towns[town.name] = town
            if town.short_name:
                self.towns.setdefault(town.short_name, town)
        # Chinese labels of the choices, as the spreadsheet writes them (import runs in zh-hans).
        self.industries = {str(label): value for value, label in Industry.choices}
        self.industries.update({value: value for value in Industry.values})
        self.scales = {str(label): value for value, label in Scale.choices}
        self.scales.update({label[:2]: value for label, value in self.scales.items()})

    def import_row(self, row, row_number):
        name = row["企业名称"]
        if not name:
            raise RowError(_("企业名称 is empty."))
        town = self.towns.get(row["所属镇"])
        if town is None:
            raise RowError(_("所属镇 “%s” is not a town of this county.") % row["所属镇"])
        industry = row.get("行业", "")
        if industry and industry not in self.industries:
            raise RowError(_("行业 “%s” is not a GB/T 4754 section name (for example 制造业).") % industry)
        scale = row.get("规模", "")
        if scale and scale not in self.scales:
            raise RowError(_("规模 must be 大型, 中型, 小型 or 微型, not “%s”.") % scale)
        key_flag = row.get("重点企业", "")
        if key_flag not in YES_NO:
            raise RowError(_("重点企业 must be 是 or 否, not “%s”.") % key_flag)
        uscc = normalize_uscc(row["统一社会信用代码"])
        enterprise = Enterprise.objects.filter(uscc=uscc).first()
        created = enterprise is None
        if created:
            enterprise = Enterprise(uscc=uscc)
        enterprise.name = name
        enterprise.town = town
        enterprise.industry = self.industries.get(industry, "")
        enterprise.scale = self.scales.get(scale, "")
        enterprise.is_key = YES_NO[key_flag]
        enterprise.address = row.get("地址", "")
        enterprise.contact_name = row.get("联系人", "")
        enterprise.contact_phone = row.get("联系电话", "")
        enterprise.full_clean()
        enterprise.save()
        return created
