"""XLSX export of service items, in the import format (../shared/formats.md), so an exported
file can be edited and imported again."""

from django.utils import translation

from portal.core.spreadsheets import Sheet, xlsx_bytes

from .imports import FEE_FREE, HEADERS, TOPIC_LABELS, TYPE_LABELS
from .selectors import with_content


def item_row(item):
    fees = list(item.fees.all())
    if item.is_free or not fees:
        fee_text = FEE_FREE
    else:
        fee_text = "\n".join(f"{f.name}：{f.standard}" for f in fees)
    return [
        item.department.name,
        item.name,
        item.code,
        TYPE_LABELS.get(item.item_type, ""),
        "；".join(TOPIC_LABELS.get(t, t) for t in item.topics),
        item.legal_basis,
        item.conditions,
        "\n".join(m.name for m in item.materials.all()),
        "\n".join(s.name for s in item.steps.all()),
        item.legal_time_limit,
        item.promised_time_limit,
        fee_text,
        item.place,
        item.hours,
        item.phone,
        item.online_url,
    ]


def items_workbook(queryset):
    """XLSX bytes of the items (with their materials, steps and fees)."""
    with translation.override("zh-hans"):
        items = with_content(queryset).order_by("department__sort_order", "sort_order", "name")
        return xlsx_bytes(Sheet(title="办事事项", header=list(HEADERS), rows=(item_row(i) for i in items), wrap=True))
