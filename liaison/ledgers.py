"""台帐: 投诉受理台帐 (complaints accepted) and 事项处置台帐 (matters handled), per unit and
period, as XLSX or CSV through the base writer (portal/core/spreadsheets.py): dates are date cells
in local time, text that looks like a formula stays text."""

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core import spreadsheets

from .figures import day_bounds
from .models import Matter, MatterCooperation


def ledger_rows(matters, kind, start, end, unit=None):
    lower, upper = day_bounds(start, end)
    qs = matters.filter(received_at__gte=lower, received_at__lt=upper)
    if unit is not None:
        qs = qs.for_unit(unit)
    if kind == "complaints":
        qs = qs.filter(Q(channel=Matter.Channel.COMPLAINT) | Q(category="complaint"))
    qs = (
        qs.select_related("enterprise", "received_by", "lead_unit")
        .prefetch_related(Prefetch("cooperations", queryset=MatterCooperation.objects.select_related("unit")))
        .order_by("received_at", "id")
    )
    if kind == "complaints":
        header = [
            _("No."),
            _("Tracking number"),
            _("Date received"),
            _("Complainant / enterprise"),
            _("Contact phone"),
            _("Complaint"),
            _("Receiving unit"),
            _("Lead unit"),
            _("State"),
            _("Date replied"),
            _("Reply"),
            _("Rating"),
        ]
    else:
        header = [
            _("No."),
            _("Tracking number"),
            _("Date received"),
            _("Channel"),
            _("Enterprise"),
            _("Category"),
            _("Subject"),
            _("Receiving unit"),
            _("Lead unit"),
            _("Cooperating units"),
            _("Due date"),
            _("State"),
            _("Date replied"),
            _("Closed on time"),
            _("Working days to close"),
            _("Rating"),
            _("Supervised"),
        ]
    rows = []
    for n, m in enumerate(qs.iterator(chunk_size=2000), start=1):
        received = timezone.localdate(m.received_at)
        replied = timezone.localdate(m.replied_at) if m.replied_at else None
        lead = m.lead_unit.name if m.lead_unit_id else ""
        rating = m.get_rating_display() if m.rating else ""
        if kind == "complaints":
            who = m.display_enterprise or m.contact_name
            rows.append(
                [
                    n,
                    m.tracking_number,
                    received,
                    who,
                    m.contact_phone,
                    f"{m.title}：{m.description}",
                    m.received_by.name,
                    lead,
                    m.get_state_display(),
                    replied,
                    m.reply,
                    rating,
                ]
            )
        else:
            coop = "、".join(c.unit.name for c in m.cooperations.all())
            on_time = "" if m.closed_on_time is None else (_("yes") if m.closed_on_time else _("no"))
            rows.append(
                [
                    n,
                    m.tracking_number,
                    received,
                    m.get_channel_display(),
                    m.display_enterprise,
                    m.get_category_display(),
                    m.title,
                    m.received_by.name,
                    lead,
                    coop,
                    m.due_date,
                    m.get_state_display(),
                    replied,
                    on_time,
                    m.workdays_to_close if m.workdays_to_close is not None else "",
                    rating,
                    _("yes") if m.supervised else "",
                ]
            )
    return [str(h) for h in header], rows


def ledger_title(kind):
    return _("Complaints accepted ledger") if kind == "complaints" else _("Matters handled ledger")


def ledger_response(matters, kind, start, end, fmt, unit=None):
    header, rows = ledger_rows(matters, kind, start, end, unit)
    title = ledger_title(kind)
    scope = unit.name if unit else _("all units")
    filename = f"{title}-{scope}-{start:%Y%m%d}-{end:%Y%m%d}"
    if fmt == "csv":
        return spreadsheets.csv_response(filename, header, rows)
    return spreadsheets.xlsx_response(
        filename,
        spreadsheets.Sheet(
            title=str(title),
            header=header,
            rows=rows,
            caption=f"{title}（{scope}，{start:%Y-%m-%d}—{end:%Y-%m-%d}）",
            widths=[6, 18, 12, 12, 24, 12, 30, 20, 20, 20, 12, 12, 12, 10, 10, 10, 8],
            wrap=True,
        ),
    )
