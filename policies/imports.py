"""import_policies: a county's existing documents from CSV/XLSX (formats.md, "Policies").

Natural key: 索引号 when given, else 文号 + 发布机构, else 标题 + 发布日期. Imported policies
are published at their 发布日期 (they are already public documents) when the importing user may
publish (a unit head, the county office, a command); unit staff import drafts for review. The
importing user's unit owns them unless 发布机构 names one of our units.
"""

import datetime
import hashlib
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.importing import RowError, SpreadsheetImporter, normalise_key_part, parse_date, split_values
from portal.models import Industry, Unit

from .models import Level, Policy, Theme
from .services import next_index_number, policy_reindex

LEVELS = {"国家": Level.NATIONAL, "省": Level.PROVINCIAL, "市": Level.MUNICIPAL, "县": Level.COUNTY, "镇": Level.TOWN}
VALIDITIES = {
    "有效": Policy.Validity.IN_FORCE,
    "已修订": Policy.Validity.AMENDED,
    "已废止": Policy.Validity.REPEALED,
    "已失效": Policy.Validity.EXPIRED,
    "": Policy.Validity.IN_FORCE,
}


def theme_key(name):
    """A theme's name as imports compare it: 财政金融审计 is 财政、金融、审计."""
    return re.sub(r"[、，,\s]", "", name)


class PolicyImporter(SpreadsheetImporter):
    required_headers = ("标题", "发布机构", "层级", "发布日期", "正文")
    optional_headers = (
        "索引号",
        "文号",
        "主题分类",
        "成文日期",
        "施行日期",
        "失效日期",
        "有效性",
        "适用行业",
        "申报开始",
        "申报截止",
    )

    example_row = {
        "标题": "关于进一步优化营商环境的若干措施",
        "发布机构": "清新县人民政府",
        "层级": "县",
        "发布日期": "2026-03-01",
        "正文": "第一条 ……\n第二条 ……",
        "文号": "清新府〔2026〕5号",
        "主题分类": "综合政务；工业交通",
        "有效性": "有效",
        "适用行业": "制造业",
    }
    choices = {"层级": list(LEVELS), "有效性": ["有效", "已修订", "已废止", "已失效"]}
    column_notes = {
        "发布机构": "单位名称，或外单位名称（如 广东省人民政府）",
        "正文": "空行或换行分段",
        "主题分类": "政府信息公开主题分类或本县主题，多个用；分隔",
        "适用行业": "GB/T 4754 门类名称，多个用；分隔",
        "发布日期": "YYYY-MM-DD",
        "成文日期": "YYYY-MM-DD",
        "施行日期": "YYYY-MM-DD",
        "失效日期": "YYYY-MM-DD",
        "申报开始": "YYYY-MM-DD",
        "申报截止": "YYYY-MM-DD",
    }

    def __init__(self, *, owner_unit=None, user=None):
        super().__init__(user=user)
        self.owner_unit = owner_unit
        # The county office (or the operator at the command line) adds the subjects its
        # documents carry; others may only use the themes the portal knows.
        self.may_add_themes = self.may("policies.add_theme", None)

    def prepare(self):
        self.units = {}
        for unit in Unit.objects.all():
            self.units[unit.name] = unit
            if unit.short_name:
                self.units.setdefault(unit.short_name, unit)
        self.themes = {theme_key(t.name): t for t in Theme.objects.all()}
        self.industries = {str(label): value for value, label in Industry.choices}
        self.industries.update({value: value for value in Industry.values})
        self.default_unit = (
            self.owner_unit
            or Unit.objects.filter(kind__in=[Unit.Kind.COUNTY_OFFICE, Unit.Kind.COUNTY_GOVERNMENT])
            .order_by("sort_order")
            .first()
        )

    def _theme(self, name):
        """The theme called `name` (written with or without 、), created when the importer may."""
        name = name.strip()[:30]
        known = self.themes.get(theme_key(name)) or Theme.objects.filter(name=name).first()
        if known is not None:
            return known
        if not self.may_add_themes:
            raise RowError(
                _(
                    "主题分类 “%(name)s” is not a theme of the portal; only the county government office may "
                    "add themes (by importing, or under Themes). Known themes: %(known)s."
                )
                % {"name": name, "known": "、".join(t.name for t in self.themes.values())}
            )
        theme = Theme.objects.create(
            name=name, slug="theme-" + hashlib.sha1(name.encode()).hexdigest()[:10], sort_order=500
        )
        self.note(_("new theme “%s” created") % name)
        return theme

    def natural_key(self, row):
        """索引号, else 文号 + 发布机构, else 标题 + 发布日期 (formats.md)."""
        if row.get("索引号", "").strip():
            return ("索引号", normalise_key_part(row["索引号"]))
        if row.get("文号", "").strip():
            return (normalise_key_part(row["文号"]), normalise_key_part(row["发布机构"]))
        return (normalise_key_part(row["标题"]), row["发布日期"].strip()[:10])

    def import_row(self, row, row_number):
        title = row["标题"].strip()
        if not title:
            raise RowError(_("标题 is empty."))
        body = row["正文"].strip()
        if not body:
            raise RowError(_("正文 is empty."))
        level = LEVELS.get(row["层级"].strip().rstrip("级"))
        if level is None:
            raise RowError(_("层级 must be 国家, 省, 市, 县 or 镇, not “%s”.") % row["层级"])
        published_on = parse_date(row["发布日期"], "发布日期")
        if published_on is None:
            raise RowError(_("发布日期 is empty."))
        validity = VALIDITIES.get(row.get("有效性", "").strip())
        if validity is None:
            raise RowError(_("有效性 must be 有效, 已修订, 已废止 or 已失效, not “%s”.") % row["有效性"])
        issuer = row["发布机构"].strip()
        if not issuer:
            raise RowError(_("发布机构 is empty."))
        unit = self.units.get(issuer)
        if self.owner_unit is not None and unit is not None and unit != self.owner_unit:
            raise RowError(_("发布机构 “%s” is another unit; you may import only your own unit's documents.") % issuer)
        owner = unit or self.default_unit
        if owner is None:
            raise RowError(_("No unit can own this document; create the county government unit first."))
        themes = [self._theme(name) for name in split_values(row.get("主题分类", ""))]
        industries = []
        for name in split_values(row.get("适用行业", "")):
            if name not in self.industries:
                raise RowError(_("适用行业 “%s” is not a GB/T 4754 section name (for example 制造业).") % name)
            industries.append(self.industries[name])
        index_number = row.get("索引号", "").strip()
        doc_number = row.get("文号", "").strip()
        policy = None
        if index_number:
            policy = Policy.objects.filter(index_number=index_number).first()
        elif doc_number:
            policy = Policy.objects.filter(
                doc_number=doc_number, unit=owner, issuer_name="" if unit else issuer
            ).first()
        else:
            policy = Policy.objects.filter(title=title, published_on=published_on).first()
        created = policy is None
        if created:
            policy = Policy(created_by=self.user)
        elif self.owner_unit is not None and policy.unit_id != self.owner_unit.pk:
            raise RowError(_("This document belongs to another unit."))
        else:
            self.require(
                "policies.change_policy",
                policy,
                _("This document is published; only the unit head or the county office may change it."),
            )
        policy.title = title
        policy.body = "\n\n".join(p.strip() for p in body.splitlines() if p.strip())
        policy.unit = owner
        policy.issuer_name = "" if unit else issuer
        policy.level = level
        policy.doc_number = doc_number
        policy.written_on = parse_date(row.get("成文日期", ""), "成文日期")
        policy.published_on = published_on
        policy.effective_on = parse_date(row.get("施行日期", ""), "施行日期")
        policy.expires_on = parse_date(row.get("失效日期", ""), "失效日期")
        policy.validity = validity
        policy.industries = industries
        policy.application_opens = parse_date(row.get("申报开始", ""), "申报开始")
        policy.application_closes = parse_date(row.get("申报截止", ""), "申报截止")
        # Rows are published at their 发布日期 for those who may press 发布 in the form; unit
        # staff's rows become drafts for their head to review and publish.
        if policy.status != Policy.Status.WITHDRAWN and self.may("policies.publish_policy", policy):
            policy.status = Policy.Status.PUBLISHED
            policy.published_at = policy.published_at or timezone.make_aware(
                datetime.datetime.combine(published_on, datetime.time(9, 0))
            )
        if created and index_number:
            policy.index_number = index_number
        policy.full_clean(exclude=["index_number"] if not created else None)
        if not policy.index_number and policy.status == Policy.Status.PUBLISHED:
            policy.index_number = next_index_number(unit=owner, year=(policy.written_on or published_on).year)
        policy.save()
        policy.themes.set(themes)
        policy_reindex(policy=policy)
        return created
