"""Builders of the guide's downloadable documents (PDF with reportlab, DOCX with python-docx).

Both print the same content (selectors.GuideContent) in the same order, in Simplified Chinese
whatever the language of the request that triggered the build.
"""

from django.utils.translation import gettext as _


def time_limit_text(days):
    if days is None:
        return _("Not fixed")
    if days == 0:
        return _("Settled on the spot")
    return _("%(days)d working days") % {"days": days}


def fee_lines(item):
    """Fee lines of an item; 不收费 when it charges nothing."""
    fees = list(item.fees.all())
    if item.is_free or not fees:
        return [_("Free of charge")]
    lines = []
    for fee in fees:
        line = f"{fee.name}：{fee.standard}"
        if fee.basis:
            line += _(" (basis: %(basis)s)") % {"basis": fee.basis}
        lines.append(line)
    return lines


def item_facts(item):
    """(label, text) pairs printed at the head of an item: the checklist's 'how long, how much,
    where, whom to call'."""
    facts = [
        (_("Department"), item.department.name),
        (_("Item code"), item.code or "—"),
        (_("Item type"), item.get_item_type_display()),
        (_("Legal time limit"), time_limit_text(item.legal_time_limit)),
        (_("Promised time limit"), time_limit_text(item.promised_time_limit)),
        (_("Fees"), "；".join(fee_lines(item))),
        (_("Where to apply"), item.place or "—"),
        (_("Office hours"), item.hours or "—"),
        (_("Enquiry phone"), item.phone or item.department.service_phone or "—"),
    ]
    if item.online_url:
        facts.append((_("Apply online"), item.online_url))
    if item.last_reviewed:
        facts.append((_("Last reviewed"), item.last_reviewed.isoformat()))
    return facts


def material_rows(item):
    return [
        (str(i), m.name, m.get_form_display(), str(m.copies), m.notes or "")
        for i, m in enumerate(item.materials.all(), start=1)
    ]


def chapter_number(index):
    """一, 二, 三 ... for chapter headings (up to 99)."""
    digits = "零一二三四五六七八九"
    if index < 10:
        return digits[index]
    tens, ones = divmod(index, 10)
    return (digits[tens] if tens > 1 else "") + "十" + (digits[ones] if ones else "")
