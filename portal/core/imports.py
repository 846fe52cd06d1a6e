"""The base's imports (formats.md): units, officials, and the enterprise register."""

import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from portal.core.access import official_of
from portal.core.importing import RowError, SpreadsheetImporter, normalise_key_part, parse_whole_number, split_values
from portal.models import Enterprise, Industry, Official, Scale, Unit
from portal.core.onboarding import official_save, welcome_mail_send
from portal.core.roles import GROUP_NAMES
from portal.core.validators import normalize_uscc, validate_uscc

YES_NO = {"是": True, "否": False, "": False, "Y": True, "N": False}


class EnterpriseImporter(SpreadsheetImporter):
    required_headers = ("企业名称", "统一社会信用代码", "所属镇")
    optional_headers = ("行业", "规模", "重点企业", "地址", "联系人", "联系电话")
    example_row = {
        "企业名称": "清远市示例制造有限公司",
        "统一社会信用代码": "91441827MA4UJXQ03Q",
        "所属镇": "太和镇",
        "行业": "制造业",
        "规模": "小型",
        "重点企业": "否",
        "地址": "清新县太和镇工业园1号",
        "联系人": "张丽",
        "联系电话": "13800138000",
    }
    choices = {"规模": ["大型", "中型", "小型", "微型"], "重点企业": ["是", "否"]}
    column_notes = {
        "统一社会信用代码": "18 位，校验码须正确（GB 32100-2015）",
        "所属镇": "镇级单位名称",
        "行业": "GB/T 4754 门类名称，如 制造业",
    }

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

    def natural_key(self, row):
        return normalize_uscc(row["统一社会信用代码"]) or None

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
        else:
            # Never take over (or move away) an enterprise the user may not change.
            self.require(
                "portal.change_enterprise",
                enterprise,
                _(
                    "This credit code belongs to an enterprise you may not change (another town's); "
                    "you may import only your own town's enterprises."
                ),
            )
        enterprise.name = name
        enterprise.town = town
        enterprise.industry = self.industries.get(industry, "")
        enterprise.scale = self.scales.get(scale, "")
        enterprise.is_key = YES_NO[key_flag]
        enterprise.address = row.get("地址", "")
        enterprise.contact_name = row.get("联系人", "")
        enterprise.contact_phone = row.get("联系电话", "")
        self.require(
            "portal.add_enterprise" if created else "portal.change_enterprise",
            enterprise,
            _("所属镇 “%s” is not your town; you may import only your own town's enterprises.") % town.name,
        )
        enterprise.full_clean()
        enterprise.save()
        return created


def units_by_name():
    """Every unit under its name and, where it has one, its short name."""
    units = {}
    for unit in Unit.objects.all():
        units[unit.name] = unit
        if unit.short_name:
            units.setdefault(unit.short_name, unit)
    return units


UNIT_KINDS = {
    "县政府": Unit.Kind.COUNTY_GOVERNMENT,
    "县政府办": Unit.Kind.COUNTY_OFFICE,
    "镇": Unit.Kind.TOWN,
    "部门": Unit.Kind.DEPARTMENT,
    "直属机构": Unit.Kind.AGENCY,
}


class UnitImporter(SpreadsheetImporter):
    """import_units: the county's towns, government, office, departments and agencies."""

    required_headers = ("单位名称", "类型")
    optional_headers = (
        "简称",
        "统一社会信用代码",
        "第一责任人",
        "职务",
        "职责",
        "地址",
        "办公电话",
        "企业服务电话",
        "排序",
    )
    example_row = {
        "单位名称": "清新县发展和改革局",
        "类型": "部门",
        "简称": "县发改局",
        "第一责任人": "谢永红",
        "职务": "局长",
        "职责": "项目审批、企业投资服务",
        "地址": "清新县太和镇",
        "办公电话": "0763-5850001",
        "企业服务电话": "0763-5850123",
        "排序": "30",
    }
    choices = {"类型": list(UNIT_KINDS)}
    column_notes = {
        "类型": "笔架林场等林场、农场也填 镇",
        "统一社会信用代码": "18 位，校验码须正确；用于本单位文件的索引号",
        "排序": "整数，小的排在前面",
    }

    def natural_key(self, row):
        return normalise_key_part(row["单位名称"]) or None

    def import_row(self, row, row_number):
        name = " ".join(row["单位名称"].split())
        if not name:
            raise RowError(_("单位名称 is empty."))
        kind = UNIT_KINDS.get(row["类型"])
        if kind is None:
            raise RowError(
                _("类型 must be one of %(choices)s, not “%(value)s”.")
                % {"choices": "、".join(UNIT_KINDS), "value": row["类型"]}
            )
        code = normalize_uscc(row.get("统一社会信用代码", ""))
        if code:
            try:
                validate_uscc(code)
            except ValidationError as exc:
                raise RowError(_("统一社会信用代码: %s") % "；".join(exc.messages))
        unit = Unit.objects.filter(name=name).first()
        created = unit is None
        unit = unit or Unit(name=name)
        unit.kind = kind
        for header, field in (
            ("简称", "short_name"),
            ("第一责任人", "principal_name"),
            ("职务", "principal_post"),
            ("职责", "remit"),
            ("地址", "address"),
            ("办公电话", "phone"),
            ("企业服务电话", "service_phone"),
        ):
            if header in row:
                setattr(unit, field, row[header])
        if "统一社会信用代码" in row:
            unit.code = code
        order = parse_whole_number(row.get("排序", ""), "排序")
        if order is not None:
            unit.sort_order = order
        unit.full_clean()
        unit.save()
        return created


ROLES = {label: role for role, label in GROUP_NAMES.items()}
USERNAME = re.compile(r"^[A-Za-z0-9_.-]{1,150}$")


def liaison_setter():
    """The function that sets an official's whole set of 联系企业, offered by the app that keeps
    liaison assignments (visits) as `official_enterprises_set` on its AppConfig: the base
    imports no app."""
    for config in apps.get_app_configs():
        path = getattr(config, "official_enterprises_set", None)
        if path:
            return import_string(path)
    return None


class OfficialImporter(SpreadsheetImporter):
    """import_officials: accounts for the county's officials. A new account has no password;
    its one-time link goes by e-mail, or on the unit's printed sheet (portal/core/welcome_sheets.py)."""

    required_headers = ("姓名", "用户名", "单位", "角色")
    optional_headers = ("职务", "手机", "邮箱", "联系企业")
    example_row = {
        "姓名": "林海燕",
        "用户名": "taihe_lin",
        "单位": "太和镇",
        "角色": "单位工作人员",
        "职务": "经济发展办干部",
        "手机": "13800138000",
        "邮箱": "",
        "联系企业": "",
    }
    choices = {"角色": list(ROLES)}
    column_notes = {
        "用户名": "字母、数字、_ . -；不写密码，新账号凭开通链接自设密码",
        "邮箱": "有邮箱的发送开通链接邮件；没有的打印开通通知单",
        "联系企业": "县领导（2–3 家重点企业）和干部联系的企业的统一社会信用代码，多个用；分隔；填写即为完整名单",
    }

    def __init__(self, *, user=None):
        super().__init__(user=user)
        self.welcomed_by_mail = []
        self.to_print = []

    def prepare(self):
        self.units = units_by_name()
        self.set_enterprises = liaison_setter()

    def natural_key(self, row):
        return row["用户名"].strip().lower() or None

    def import_row(self, row, row_number):
        name = row["姓名"].strip()
        if not name:
            raise RowError(_("姓名 is empty."))
        username = row["用户名"].strip()
        if not USERNAME.match(username):
            raise RowError(_("用户名 “%s” may hold only letters, digits and _ . - (no spaces).") % username)
        unit = self.units.get(row["单位"].strip())
        if unit is None:
            raise RowError(_("单位 “%s” is not a unit of this county; import the units first.") % row["单位"])
        role = ROLES.get(row["角色"].strip())
        if role is None:
            raise RowError(
                _("角色 must be one of %(choices)s, not “%(value)s”.")
                % {"choices": "、".join(ROLES), "value": row["角色"]}
            )
        if role == Official.Role.COUNTY_OFFICE and not unit.is_county_office:
            raise RowError(_("角色 县政府办 belongs to the county government office, not to %s.") % unit.name)
        if role == Official.Role.COUNTY_LEADER and unit.kind != Unit.Kind.COUNTY_GOVERNMENT:
            raise RowError(_("County leaders belong to the county government unit, not to %s.") % unit.name)
        email = row.get("邮箱", "").strip()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                raise RowError(_("邮箱 “%s” is not an e-mail address.") % email)
        # Roles and scopes are granted only within the importing user's own rights (the rule of
        # the official form): no one creates or moves an official outside them.
        self.require(
            "portal.add_official",
            Official(unit=unit, role=role),
            _("You may not give an official of %s this role.") % unit.name,
        )
        existing = get_user_model().objects.filter(username__iexact=username).select_related("official").first()
        if existing is not None:
            if existing.is_superuser:
                raise RowError(_("用户名 “%s” is already used by an account that is not an official's.") % username)
            if official_of(existing) is not None:
                self.require(
                    "portal.change_official",
                    existing.official,
                    _("用户名 “%s” belongs to an official you may not change.") % username,
                )
            if official_of(existing) is None:
                raise RowError(_("用户名 “%s” is already used by an account that is not an official's.") % username)
            username = existing.username
        enterprises = self._enterprises(row.get("联系企业", ""))
        official, created = official_save(
            username=username,
            name=name,
            unit=unit,
            role=role,
            post=row.get("职务", "").strip(),
            phone=row.get("手机", "").strip(),
            email=email,
        )
        if enterprises is not None:
            self._assign(official, enterprises)
        if created:
            if email:
                welcome_mail_send(official)
                self.welcomed_by_mail.append(official)
            else:
                self.to_print.append(official)
        return created

    def _enterprises(self, cell):
        codes = [normalize_uscc(code) for code in split_values(cell)]
        if not codes:
            return None
        found = {e.uscc: e for e in Enterprise.objects.filter(uscc__in=codes).select_related("town")}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise RowError(
                _("联系企业: no enterprise has the credit code %s; import the enterprises first.") % "、".join(unknown)
            )
        return [found[code] for code in dict.fromkeys(codes)]

    def _assign(self, official, enterprises):
        if self.set_enterprises is None:
            raise RowError(_("联系企业 cannot be imported: liaison assignments are not installed."))
        try:
            self.set_enterprises(
                official=official, enterprises=enterprises, start_date=timezone.localdate(), by=self.user
            )
        except PermissionDenied as exc:
            raise RowError(_("联系企业: %s") % exc)
        except ValidationError as exc:
            raise RowError(_("联系企业: %s") % "；".join(exc.messages))
