"""import_service_items: service-guide items from a county's spreadsheet (../shared/formats.md).

Natural key: 部门 + 事项名称 within the edition being edited — the edition in preparation if
there is one, else the current edition. In the current edition an imported change to an
approved item becomes a submitted revision, and a new item a submission: nothing reaches
enterprises before the county office approves it.
"""

import re

from django.utils.translation import gettext as _

from portal.core.access import unit_choices_for
from portal.core.importing import RowError, SpreadsheetImporter, normalise_key_part, parse_whole_number, split_values
from portal.models import Unit

from .models import Fee, GuideEdition, Material, ServiceItem, Step, Topic
from .services import edition_for_import, item_open_revision, item_submit

HEADERS = (
    "部门",
    "事项名称",
    "事项编码",
    "事项类型",
    "主题",
    "设定依据",
    "申请条件",
    "申请材料",
    "办理流程",
    "法定办结时限",
    "承诺办结时限",
    "收费标准",
    "办理地点",
    "办公时间",
    "咨询电话",
    "网上办理地址",
)
FEE_FREE = "不收费"
TYPE_LABELS = {
    ServiceItem.ItemType.LICENCE: "行政许可",
    ServiceItem.ItemType.CONFIRMATION: "行政确认",
    ServiceItem.ItemType.PAYMENT: "行政给付",
    ServiceItem.ItemType.FILING: "备案",
    ServiceItem.ItemType.PUBLIC_SERVICE: "公共服务",
    ServiceItem.ItemType.OTHER: "其他",
}
TOPIC_LABELS = {
    Topic.START_UP: "开办企业",
    Topic.CONSTRUCTION: "项目建设",
    Topic.OPERATIONS: "生产经营",
    Topic.FINANCE: "融资信贷",
    Topic.STAFF: "人才用工",
    Topic.EXIT: "注销退出",
}
FEE_SEPARATOR = re.compile(r"[：:]")


class ServiceItemImporter(SpreadsheetImporter):
    required_headers = ("部门", "事项名称")
    optional_headers = HEADERS[2:]

    example_row = {
        "部门": "县市场监督管理局",
        "事项名称": "食品经营许可",
        "事项编码": "11441827MB2C93213X4442111001000",
        "事项类型": "行政许可",
        "主题": "开办企业；生产经营",
        "设定依据": "《中华人民共和国食品安全法》第三十五条",
        "申请材料": "食品经营许可申请书\n营业执照复印件",
        "办理流程": "申请\n受理\n审查\n决定",
        "法定办结时限": "20",
        "承诺办结时限": "10",
        "收费标准": "不收费",
        "办理地点": "县政务服务中心",
        "咨询电话": "0763-5812345",
    }
    choices = {"事项类型": list(TYPE_LABELS.values())}
    column_notes = {
        "主题": "、".join(TOPIC_LABELS.values()) + "，多个用；分隔",
        "申请材料": "一行一份材料",
        "办理流程": "一行一步，按顺序",
        "法定办结时限": "工作日，整数",
        "承诺办结时限": "工作日，整数，不超过法定时限",
        "收费标准": "不收费，或“项目：金额”，一行一项",
    }

    def __init__(self, user=None, edition=None):
        self.user = user
        self.edition = edition

    def prepare(self):
        if self.edition is None:
            self.edition, started = edition_for_import(user=self.user)
            if started:
                based_on = self.edition.based_on
                self.result.messages.append(
                    (
                        _(
                            "There was no edition in preparation: this import started “%(title)s”, a copy of “%(source)s”."
                        )
                        if based_on
                        else _("There was no edition in preparation: this import started “%(title)s”.")
                    )
                    % {"title": self.edition.title, "source": based_on.title if based_on else ""}
                )
        if self.edition is not None:
            self.result.messages.append(
                _("Importing into the edition “%(title)s” (%(status)s).")
                % {"title": self.edition.title, "status": self.edition.get_status_display()}
            )
        self.units = {}
        for unit in Unit.objects.active():
            self.units[unit.name] = unit
            if unit.short_name:
                self.units.setdefault(unit.short_name, unit)
        self.types = {label: value for value, label in TYPE_LABELS.items()}
        self.topics = {label: value for value, label in TOPIC_LABELS.items()}
        # The units whose items the user may import (None: any, for the operator and the county office).
        choices = None if self.user is None else unit_choices_for(self.user)
        self.own_units = None if choices is None else set(choices.values_list("pk", flat=True))

    def natural_key(self, row):
        return (normalise_key_part(row["部门"]), normalise_key_part(row["事项名称"]))

    def import_row(self, row, row_number):
        if self.edition is None:
            raise RowError(
                _("There is no edition of the guide yet; the county government office starts one by importing.")
            )
        department = self.units.get(row["部门"])
        if department is None:
            raise RowError(_("部门 “%s” is not a unit of this county.") % row["部门"])
        if self.own_units is not None and department.pk not in self.own_units:
            raise RowError(_("You may only import your own unit's items, not those of %s.") % department.name)
        name = row["事项名称"]
        if not name:
            raise RowError(_("事项名称 is empty."))
        values = {"name": name[:200]}
        if "事项编码" in row:
            values["code"] = row["事项编码"][:60]
        if row.get("事项类型"):
            if row["事项类型"] not in self.types:
                raise RowError(
                    _("事项类型 must be one of %(choices)s, not “%(value)s”.")
                    % {"choices": "、".join(self.types), "value": row["事项类型"]}
                )
            values["item_type"] = self.types[row["事项类型"]]
        if "主题" in row:
            topics = []
            for label in split_values(row["主题"].replace("，", "；").replace(",", "；")):
                if label not in self.topics:
                    raise RowError(
                        _("主题 “%(value)s” is not one of %(choices)s.")
                        % {"value": label, "choices": "、".join(self.topics)}
                    )
                topics.append(self.topics[label])
            values["topics"] = topics
        for header, field in (
            ("设定依据", "legal_basis"),
            ("申请条件", "conditions"),
            ("办理地点", "place"),
            ("办公时间", "hours"),
            ("咨询电话", "phone"),
            ("网上办理地址", "online_url"),
        ):
            if header in row:
                values[field] = row[header]
        legal = parse_whole_number(row.get("法定办结时限", ""), "法定办结时限")
        promised = parse_whole_number(row.get("承诺办结时限", ""), "承诺办结时限")
        if legal is not None and promised is not None and promised > legal:
            raise RowError(
                _("承诺办结时限 (%(promised)d) cannot be above 法定办结时限 (%(legal)d).")
                % {"promised": promised, "legal": legal}
            )
        if "法定办结时限" in row:
            values["legal_time_limit"] = legal
        if "承诺办结时限" in row:
            values["promised_time_limit"] = promised
        fees = None
        if "收费标准" in row:
            fees = self._fees(row["收费标准"])
            values["is_free"] = not fees

        existing = (
            ServiceItem.objects.masters()
            .filter(edition=self.edition, department=department, name=name)
            .select_related("edition")
            .first()
        )
        created = existing is None
        in_current = self.edition.status == GuideEdition.Status.CURRENT
        if existing is None:
            item = ServiceItem(edition=self.edition, department=department)
        elif existing.is_locked:
            item = item_open_revision(item=existing)
        else:
            item = existing
        for field, value in values.items():
            setattr(item, field, value)
        item.full_clean(exclude=["revision_of"])
        item.save()
        if in_current and item.status == ServiceItem.Status.DRAFT:
            # in the current edition an imported change waits for approval like any edit
            item = item_submit(item=item, user=self.user)
        if "申请材料" in row:
            Material.objects.filter(item=item).delete()
            Material.objects.bulk_create(
                [
                    Material(item=item, name=text[:300], sort_order=i)
                    for i, text in enumerate(split_values(row["申请材料"]), 1)
                ]
            )
        if "办理流程" in row:
            Step.objects.filter(item=item).delete()
            Step.objects.bulk_create(
                [Step(item=item, number=i, name=text[:200]) for i, text in enumerate(split_values(row["办理流程"]), 1)]
            )
        if fees is not None:
            Fee.objects.filter(item=item).delete()
            Fee.objects.bulk_create(
                [Fee(item=item, name=n, standard=s, sort_order=i) for i, (n, s) in enumerate(fees, 1)]
            )
        return created

    @staticmethod
    def _fees(text):
        """[] for 不收费 (or empty), else (item, standard) pairs from lines like 工本费：10元/本."""
        lines = split_values(text)
        if not lines or lines == [FEE_FREE]:
            return []
        pairs = []
        for line in lines:
            parts = FEE_SEPARATOR.split(line, maxsplit=1)
            if len(parts) == 2 and parts[0].strip() and parts[1].strip():
                pairs.append((parts[0].strip()[:200], parts[1].strip()[:200]))
            else:
                pairs.append((line[:200], line[:200]))
        return pairs
