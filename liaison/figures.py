"""Figures per unit and period (统计). The definitions below are shown on the pages; each
figure is computed in SQL from fields the workflow fixes at the moment they happen
(accepted_on_time at 受理, closed_on_time and workdays_to_close at 答复)."""

import datetime

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.models import Unit

from .models import POOR_RATINGS, SATISFIED_RATINGS

DEFINITIONS = [
    (_("Received"), _("Matters registered in the period, counted for the unit that received them.")),
    (
        _("Accepted on time"),
        _(
            "受理及时率: of the matters received whose acceptance is decided — accepted, or "
            "past the acceptance limit without being accepted — the share accepted within "
            "the limit in working days. Matters not yet due for acceptance are not counted."
        ),
    ),
    (
        _("Completion rate"),
        _("办结率: of the matters received in the period, the share replied to (答复/办结) by now."),
    ),
    (
        pgettext_lazy("matter figures", "Closed"),
        _(
            "Matters replied to (答复/办结) in the period, counted for the unit responsible: the lead "
            "unit if assigned, else the receiving unit."
        ),
    ),
    (
        _("Closed on time"),
        _(
            "按期办结率 (the 12345 hotline's rule): matters replied to on or before their due "
            "date (after approved extensions and pauses while waiting for the enterprise) ÷ "
            "matters that had to be finished (应办结): those replied to in the period, plus those "
            "still open whose handling deadline fell in the period and has passed. Matters whose "
            "deadline has not yet come are not counted."
        ),
    ),
    (_("Average working days to close"), _("Mean of the working days from receipt to reply of the matters closed.")),
    (
        _("Satisfaction rate"),
        _("(Very satisfied + satisfied + fairly satisfied) ÷ matters rated, among those closed in the period."),
    ),
    (
        _("First-rating satisfaction"),
        _(
            "The same share over the enterprise's first rating of each matter, "
            "before any reopening (重办); the rate above counts the final rating."
        ),
    ),
    (_("Unsatisfied"), _("Matters closed in the period and rated unsatisfied or very unsatisfied.")),
]


def day_bounds(start, end):
    """The aware datetimes [start 00:00, the day after end 00:00) of local days start..end."""
    tz = timezone.get_current_timezone()
    lower = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min), tz)
    upper = timezone.make_aware(datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min), tz)
    return lower, upper


def _local_day(value):
    """A truncated month from the database as the local date (never the UTC date)."""
    return timezone.localdate(value) if isinstance(value, datetime.datetime) else value


def _pct(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def received_aggregates(today):
    """Counts over the matters received in a period. Acceptance is *decided* once accepted or
    once its limit has passed unaccepted; a matter still within its limit is neither on time
    nor late yet (the 12345 hotline's rule)."""
    from .workflow import FINISHED_STATES

    # "acceptance_decided" first: it filters on the field accepted_on_time, which the
    # annotation of the same name would hide once added.
    return {
        "acceptance_decided": Count(
            "id", filter=Q(accepted_on_time__isnull=False) | Q(accepted_at__isnull=True, accept_due__lt=today)
        ),
        "received": Count("id"),
        "accepted_on_time": Count("id", filter=Q(accepted_on_time=True)),
        "completed": Count("id", filter=Q(state__in=FINISHED_STATES)),
    }


def due_unclosed_aggregate(start, end, today):
    """Still open, the handling deadline fell in [start, end] and has passed: counted as
    not finished on time (the unit responsible for it)."""
    from .deadlines import past

    return Count("id", filter=past(today, ["handling"]) & Q(due_date__gte=start, due_date__lte=end))


CLOSED_AGG = {
    "closed": Count("id"),
    "closed_on_time": Count("id", filter=Q(closed_on_time=True)),
    "avg_days": Avg("workdays_to_close"),
    "rated": Count("id", filter=Q(rating__isnull=False)),
    "satisfied": Count("id", filter=Q(rating__in=SATISFIED_RATINGS)),
    "unsatisfied": Count("id", filter=Q(rating__in=POOR_RATINGS)),
    "first_rated": Count("id", filter=Q(first_rating__isnull=False)),
    "first_satisfied": Count("id", filter=Q(first_rating__in=SATISFIED_RATINGS)),
}
COUNTS = (
    "received",
    "accepted_on_time",
    "acceptance_decided",
    "completed",
    "closed",
    "closed_on_time",
    "rated",
    "satisfied",
    "unsatisfied",
    "first_rated",
    "first_satisfied",
    "due_unclosed",
)
EMPTY = {**dict.fromkeys(COUNTS, 0), "avg_days": None}


def _finish(row):
    row["accepted_on_time_rate"] = _pct(row["accepted_on_time"], row["acceptance_decided"])
    row["completion_rate"] = _pct(row["completed"], row["received"])
    row["first_satisfaction_rate"] = _pct(row["first_satisfied"], row["first_rated"])
    row["should_close"] = row["closed"] + row["due_unclosed"]
    row["closed_on_time_rate"] = _pct(row["closed_on_time"], row["should_close"])
    row["satisfaction_rate"] = _pct(row["satisfied"], row["rated"])
    row["avg_days"] = round(row["avg_days"], 1) if row["avg_days"] is not None else None
    return row


def unit_figures(matters, start, end, *, by_unit=True, today=None):
    """Figures for [start, end] over the matters given (already scoped with visible_to).
    by_unit: a list of rows (one per unit with any figure) + county totals; else totals."""
    from . import clock

    today = today or clock.today()
    received_agg = received_aggregates(today)
    due_agg = {"due_unclosed": due_unclosed_aggregate(start, end, today)}
    lower, upper = day_bounds(start, end)
    received = matters.filter(received_at__gte=lower, received_at__lt=upper)
    closed = matters.filter(replied_at__gte=lower, replied_at__lt=upper)
    due = matters.filter(due_date__gte=start, due_date__lte=end)
    if not by_unit:
        row = dict(EMPTY)
        row.update(received.aggregate(**received_agg))
        row.update(closed.aggregate(**CLOSED_AGG))
        row.update(due.aggregate(**due_agg))
        return _finish(row)
    rows = {}
    for item in received.order_by().values("received_by").annotate(**received_agg):
        rows.setdefault(item.pop("received_by"), dict(EMPTY)).update(item)
    for item in closed.order_by().values("responsible_unit").annotate(**CLOSED_AGG):
        rows.setdefault(item.pop("responsible_unit"), dict(EMPTY)).update(item)
    for item in due.order_by().values("responsible_unit").annotate(**due_agg):
        if item["due_unclosed"]:
            rows.setdefault(item.pop("responsible_unit"), dict(EMPTY)).update(item)
    units = Unit.objects.in_bulk(list(rows))
    result = []
    for unit_id, row in rows.items():
        row["unit"] = units[unit_id]
        result.append(_finish(row))
    result.sort(key=lambda r: (r["unit"].sort_order, r["unit"].name))
    return result


def totals_of(rows):
    total = dict(EMPTY)
    weighted = 0
    for row in rows:
        for key in COUNTS:
            total[key] += row[key]
        if row["avg_days"] is not None:
            weighted += row["avg_days"] * row["closed"]
    total["avg_days"] = weighted / total["closed"] if total["closed"] else None
    return _finish(total)


def monthly_trend(matters, today, months=12):
    """Received and closed per month and the satisfaction rate, the last `months` months,
    with bar widths (0–100) for the server-drawn chart."""
    first = (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    lower, upper = day_bounds(first, today)
    tz = timezone.get_current_timezone()
    received = {
        _local_day(r["month"]): r["n"]
        for r in matters.filter(received_at__gte=lower, received_at__lt=upper)
        .order_by()
        .annotate(month=TruncMonth("received_at", tzinfo=tz))
        .values("month")
        .annotate(n=Count("id"))
    }
    closed = {}
    for r in (
        matters.filter(replied_at__gte=lower, replied_at__lt=upper)
        .order_by()
        .annotate(month=TruncMonth("replied_at", tzinfo=tz))
        .values("month")
        .annotate(
            n=Count("id"),
            rated=Count("id", filter=Q(rating__isnull=False)),
            satisfied=Count("id", filter=Q(rating__in=SATISFIED_RATINGS)),
        )
    ):
        closed[_local_day(r["month"])] = r
    rows = []
    month = first
    while month <= today:
        c = closed.get(month, {})
        rows.append(
            {
                "month": month,
                "received": received.get(month, 0),
                "closed": c.get("n", 0),
                "satisfaction_rate": _pct(c.get("satisfied", 0), c.get("rated", 0)),
            }
        )
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    peak = max([r["received"] for r in rows] + [r["closed"] for r in rows] + [1])
    for r in rows:
        r["received_bar"] = round(100 * r["received"] / peak)
        r["closed_bar"] = round(100 * r["closed"] / peak)
    return rows


def clocks_now(matters, today, horizon):
    """Per clock (deadlines.CLOCKS): how many of `matters` ran out and how many run out by
    `horizon`, in one query."""
    from . import deadlines

    counts = {}
    for c in deadlines.CLOCKS:
        counts[f"{c.key}_overdue"] = Count("id", filter=deadlines.past(today, [c.key]))
        counts[f"{c.key}_near"] = Count("id", filter=deadlines.due_between(today, horizon, [c.key]))
    result = matters.order_by().aggregate(**counts)
    return [(c.label, result[f"{c.key}_overdue"], result[f"{c.key}_near"]) for c in deadlines.CLOCKS]


def with_bars(rows, key="received"):
    peak = max([r[key] for r in rows] + [1])
    for r in rows:
        r["bar"] = round(100 * r[key] / peak)
    return rows


def search_index():
    """The public figures page in the site search (in the site's language)."""
    from django.conf import settings
    from django.urls import reverse
    from django.utils import translation

    from portal.core import search

    with translation.override(settings.LANGUAGE_CODE):
        search.index_object(
            "page",
            "matter-figures",
            title=str(_("How matters are handled")),
            url=reverse("liaison:figures"),
            summary=str(_("County totals of enterprise matters: received, accepted and closed on time, satisfaction.")),
            extra_terms="统计 数据 办理情况 满意率 按时办结率 按期办结率",
            body="\n".join(f"{name}：{text}" for name, text in DEFINITIONS),
        )
    return 1
