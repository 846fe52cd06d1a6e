"""Reads for enterprise-situation monitoring: coverage, the enterprise file (一企一档), ledgers,
financing totals. Every figure is an aggregate query: the number of queries does not grow
with the number of visits, officials or enterprises."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.core.access import official_of
from portal.models import Official, Unit

from .models import (
    Appointment,
    FinancingMatch,
    FinancingNeed,
    LiaisonAssignment,
    MatchmakingEvent,
    Meeting,
    MeetingProblem,
    Visit,
    VisitParticipant,
)
from .periods import current_period, last_periods, today


# --------------------------------------------------------------------------- for the liaison app


def liaison_enterprise_ids(user):
    """Ids of the enterprises the user currently looks after (liaison assignments in force
    today). The liaison app shows a county leader these enterprises' matters."""
    return set(liaison_enterprise_ids_queryset(user).values_list("enterprise_id", flat=True))


def liaison_enterprise_ids_queryset(user):
    """The same ids as a subquery (for `enterprise_id__in=`), as liaison's hook wants."""
    return LiaisonAssignment.objects.enterprises_looked_after_by(user)


# --------------------------------------------------------------------------- appointments


def overlapping_appointments(appointment):
    """Other units' open appointments with the same enterprise whose times overlap."""
    return (
        Appointment.objects.open()
        .filter(
            enterprise_id=appointment.enterprise_id,
            starts_at__lt=appointment.ends_at,
            ends_at__gt=appointment.starts_at,
        )
        .exclude(unit_id=appointment.unit_id)
        .exclude(pk=appointment.pk)
        .select_related("unit")
    )


def appointments_waiting_for(enterprise):
    """What the enterprise is asked to answer, and what is agreed, soonest first."""
    return (
        Appointment.objects.for_enterprise(enterprise)
        .open()
        .select_related("unit", "proposed_by")
        .order_by("starts_at")
    )


# --------------------------------------------------------------------------- coverage


def coverage_unit(user, requested_unit=None):
    """Which unit's coverage the user may see: the county office any (None = all units);
    anyone else only their own unit."""
    if user.has_perm("visits.view_county_coverage"):
        return requested_unit
    official = official_of(user)
    return official.unit if official else Unit(pk=0)


def _visited(period):
    return Exists(
        VisitParticipant.objects.filter(
            official=OuterRef("official"), enterprise=OuterRef("enterprise"), date__range=(period.start, period.end)
        )
    )


def _scoped_assignments(unit):
    qs = LiaisonAssignment.objects.all()
    return qs.filter(unit=unit) if unit is not None else qs


def _rate(visited, assigned):
    return round(100 * visited / assigned) if assigned else None


@dataclass
class Coverage:
    period: object
    unit: object
    totals: dict
    units: list
    officials: list
    enterprises: list
    overdue: list
    trend: list
    days_left: int
    extra: dict = field(default_factory=dict)


def coverage(*, unit=None, period=None, overdue_limit=200, enterprise_limit=300):
    """Coverage of `period` (default: the current one) for one unit or, with unit None, every
    unit: per unit, per official, per enterprise; the overdue list; the trend over four periods.
    Seven queries whatever the data size."""
    period = period or current_period()
    base = _scoped_assignments(unit).overlapping(period.start, period.end)
    counted = dict(assigned=Count("id"), visited=Count("id", filter=Q(_visited(period))))

    units = list(
        base.values("unit_id", "unit__name", "unit__kind", "unit__sort_order")
        .annotate(officials=Count("official", distinct=True), enterprises=Count("enterprise", distinct=True), **counted)
        .order_by("unit__sort_order", "unit__name")
    )
    officials = list(
        base.values(
            "official_id",
            "official__name",
            "official__post",
            "official__role",
            "unit__name",
            "unit__sort_order",
            "kind",
        )
        .annotate(**counted)
        .order_by("unit__sort_order", "official__name", "official_id")
    )
    last_visit = Visit.objects.filter(enterprise=OuterRef("enterprise_id")).order_by("-date").values("date")[:1]
    enterprises = list(
        base.values("enterprise_id", "enterprise__name", "enterprise__town__name", "enterprise__is_key")
        .annotate(last_visit=Subquery(last_visit), **counted)
        .order_by("visited", "enterprise__town__name", "enterprise__name")[:enterprise_limit]
    )
    previous = period.previous()
    overdue = list(
        base.filter(~_visited(period), ~_visited(previous), start_date__lte=previous.end)
        .select_related("official", "enterprise", "unit")
        .order_by("unit__sort_order", "official__name", "enterprise__name")[:overdue_limit]
    )
    totals = base.aggregate(
        officials=Count("official", distinct=True), enterprises=Count("enterprise", distinct=True), **counted
    )
    trend = coverage_trend(unit=unit, periods=last_periods(4, period.end))
    for rows in (units, officials, enterprises):
        for row in rows:
            row["rate"] = _rate(row["visited"], row["assigned"])
            row["missing"] = row["assigned"] - row["visited"]
    totals["rate"] = _rate(totals["visited"], totals["assigned"])
    totals["missing"] = totals["assigned"] - totals["visited"]
    day = today()
    days_left = period.days_left(day) if period.contains(day) else None
    return Coverage(
        period=period,
        unit=unit,
        totals=totals,
        units=units,
        officials=officials,
        enterprises=enterprises,
        overdue=overdue,
        trend=trend,
        days_left=days_left,
        extra={
            "enterprise_limit": enterprise_limit,
            "overdue_limit": overdue_limit,
            "enterprises_cut": totals["enterprises"] > len(enterprises),
            "overdue_cut": len(overdue) >= overdue_limit,
        },
    )


def coverage_trend(*, unit=None, periods):
    """Assigned and visited (official, enterprise) pairs for each period, in one query."""
    aggregates = {}
    for i, period in enumerate(periods):
        overlaps = Q(start_date__lte=period.end) & (Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        aggregates[f"a{i}"] = Count("id", filter=overlaps)
        aggregates[f"v{i}"] = Count("id", filter=overlaps & Q(_visited(period)))
    figures = _scoped_assignments(unit).filter(start_date__lte=periods[-1].end).aggregate(**aggregates)
    trend = []
    for i, period in enumerate(periods):
        assigned, visited = figures[f"a{i}"], figures[f"v{i}"]
        trend.append({"period": period, "assigned": assigned, "visited": visited, "rate": _rate(visited, assigned)})
    return trend


def unvisited_assignments(period, *, on=None, official=None):
    """Assignments in force on `on` (default: today) not yet visited in `period`."""
    qs = (
        LiaisonAssignment.objects.active_on(on or today())
        .filter(~_visited(period))
        .select_related("official__user", "enterprise__town", "unit")
        .order_by("official_id", "enterprise__name")
    )
    return qs.filter(official=official) if official is not None else qs


# --------------------------------------------------------------------------- 一企一档


def can_view_enterprise_file(user, enterprise):
    """Officials who may look the enterprise up (Enterprise.objects.visible_to)."""
    return official_of(user) is not None and user.has_perm("portal.view_enterprise", enterprise)


def enterprise_file(enterprise, user):
    """Everything about one enterprise, newest first, as (date, kind, object) entries, plus the
    officials who look after it. A fixed number of queries."""
    visits = list(
        Visit.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("unit")
        .prefetch_related("participants__official", "problems")
        .order_by("-date", "-id")[:200]
    )
    meetings = list(
        Meeting.objects.visible_to(user)
        .filter(
            Q(enterprises_attending=enterprise)
            | Q(pk__in=MeetingProblem.objects.filter(enterprise=enterprise).values("meeting_id"))
        )
        .distinct()
        .select_related("unit")
        .prefetch_related("problems", "decisions")
        .order_by("-date")[:100]
    )
    needs = list(
        FinancingNeed.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("event")
        .prefetch_related("matches__institution")
        .order_by("-created_at")
    )
    appointments = list(
        Appointment.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("unit", "proposed_by")
        .order_by("-starts_at")[:50]
    )
    assignments = list(
        LiaisonAssignment.objects.filter(enterprise=enterprise)
        .select_related("official", "unit")
        .order_by("end_date", "-start_date")
    )
    matters = _matters(enterprise, user)
    responses = _survey_responses(enterprise, user)
    entries = [(v.date, "visit", v) for v in visits]
    # Dates of the day in Asia/Shanghai: an event at 01:30 local is stored as the previous UTC day.
    entries += [(timezone.localdate(r.submitted_at), "survey", r) for r in responses]
    entries += [(m.date, "meeting", m) for m in meetings]
    entries += [(timezone.localdate(n.created_at), "financing", n) for n in needs]
    entries += [
        (timezone.localdate(a.starts_at), "appointment", a) for a in appointments if a.status != Appointment.Status.HELD
    ]
    entries += [(timezone.localdate(m.received_at), "matter", m) for m in matters]
    entries.sort(key=lambda entry: entry[0], reverse=True)
    return {
        "entries": entries,
        "assignments": assignments,
        "counts": {
            "visits": len(visits),
            "meetings": len(meetings),
            "needs": len(needs),
            "matters": len(matters),
            "surveys": len(responses),
        },
    }


def _matters(enterprise, user):
    from liaison import selectors as liaison_selectors

    return list(liaison_selectors.matters_for_enterprise(enterprise, user)[:100])


def _survey_responses(enterprise, user):
    """Evaluation answers, through the surveys app's selector (county office only)."""
    from liaison.surveys import selectors as survey_selectors

    return list(survey_selectors.responses_for_enterprise_file(enterprise, user)[:50])


# --------------------------------------------------------------------------- ledgers


def visit_ledger(user, *, unit=None, official=None, start=None, end=None):
    """The visit ledger (走访企业台帐) the user may see, filtered, oldest first."""
    qs = Visit.objects.visible_to(user)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if official is not None:
        qs = qs.filter(participants__official=official)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return (
        qs.select_related("unit", "enterprise__town")
        .prefetch_related("participants__official", "problems")
        .order_by("date", "id")
    )


def meeting_ledger(user, *, unit=None, start=None, end=None):
    qs = Meeting.objects.visible_to(user)
    if unit is not None:
        qs = qs.filter(unit=unit)
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    return (
        qs.select_related("unit")
        .prefetch_related(
            "units_attending", "enterprises_attending", "problems__enterprise", "decisions__follow_up_unit"
        )
        .order_by("date", "id")
    )


def ledger_officials(user):
    return Official.objects.pickable_by(user).select_related("unit").order_by("unit__sort_order", "name")


# --------------------------------------------------------------------------- 政银企 totals


def _match_money():
    """The aggregates of a set of matches: how many, with which outcome, credit and loans."""
    outcome = FinancingMatch.Outcome
    return dict(
        matches=Count("id"),
        credit_count=Count("id", filter=Q(outcome__in=[outcome.CREDIT, outcome.LOAN])),
        loan_count=Count("id", filter=Q(outcome=outcome.LOAN)),
        failed=Count("id", filter=Q(outcome=outcome.FAILED)),
        negotiating=Count("id", filter=Q(outcome=outcome.NEGOTIATING)),
        credit=Coalesce(
            Sum("credit_amount", filter=Q(outcome__in=[outcome.CREDIT, outcome.LOAN])),
            0,
            output_field=FinancingMatch._meta.get_field("credit_amount"),
        ),
        loans=Coalesce(
            Sum("loan_amount", filter=Q(outcome=outcome.LOAN)),
            0,
            output_field=FinancingMatch._meta.get_field("loan_amount"),
        ),
    )


def financing_totals(user):
    """Needs, credit and loans per event, per institution and per town (three queries)."""
    needs = FinancingNeed.objects.visible_to(user)
    matches = FinancingMatch.objects.filter(need__in=needs)
    outcome = FinancingMatch.Outcome
    money = _match_money()
    by_institution = list(
        matches.values("institution__name", "institution__sort_order")
        .annotate(**money)
        .order_by("institution__sort_order", "institution__name")
    )
    by_event = list(
        MatchmakingEvent.objects.annotate(
            need_count=Count("needs", filter=Q(needs__in=needs), distinct=True),
            need_amount=Subquery(
                needs.filter(event=OuterRef("pk")).values("event").annotate(s=Sum("amount")).values("s")[:1]
            ),
            credit=Subquery(
                matches.filter(event=OuterRef("pk"))
                .values("event")
                .annotate(s=Sum("credit_amount", filter=Q(outcome__in=[outcome.CREDIT, outcome.LOAN])))
                .values("s")[:1]
            ),
            loans=Subquery(
                matches.filter(event=OuterRef("pk"))
                .values("event")
                .annotate(s=Sum("loan_amount", filter=Q(outcome=outcome.LOAN)))
                .values("s")[:1]
            ),
        ).order_by("-date")
    )
    by_town = list(
        needs.values("enterprise__town__name", "enterprise__town__sort_order")
        .annotate(
            need_count=Count("id", distinct=True),
            need_amount=Sum("amount"),
        )
        .order_by("enterprise__town__sort_order")
    )
    town_money = {
        row["need__enterprise__town__name"]: row
        for row in matches.values("need__enterprise__town__name").annotate(**money)
    }
    for row in by_town:
        row.update(
            {
                k: v
                for k, v in town_money.get(row["enterprise__town__name"], {}).items()
                if k != "need__enterprise__town__name"
            }
        )
    return {"by_institution": by_institution, "by_event": by_event, "by_town": by_town}


def public_min_items():
    """An amount on the public page adds up at least this many needs or matches; below it the
    amount is withheld (shown as "—"), since a total of one or two is one enterprise's figure."""
    return getattr(settings, "MATCHMAKING_PUBLIC_MIN_ITEMS", 3)


# Each public amount and the count of the items it adds up.
_PUBLIC_AMOUNTS = {"need_amount": "need_count", "credit": "credit_count", "loans": "loan_count"}


def _withhold_small_amounts(figures, threshold):
    for amount, count in _PUBLIC_AMOUNTS.items():
        if count in figures and 0 < figures[count] < threshold:
            figures[amount] = None
    return figures


@dataclass
class PublicMatchmaking:
    upcoming: list  # MatchmakingEvent, soonest first
    past: list  # MatchmakingEvent with .figures (dict of aggregates), latest first
    totals: dict  # the past events' figures added up
    by_institution: list  # dicts: institution__name and the _match_money() aggregates
    threshold: int  # amounts of fewer items are withheld


def public_matchmaking(*, on=None):
    """政银企对接活动 for the public site: the events (date, place, organiser, institutions) and,
    per past event and per institution, aggregates only: never an enterprise, a need or one
    match's amount. Five queries however many events, needs and matches."""
    on = on or today()
    events = list(
        MatchmakingEvent.objects.select_related("unit").prefetch_related("institutions").order_by("-date", "-id")
    )
    need_rows = {
        row["event"]: row
        for row in FinancingNeed.objects.filter(event__isnull=False)
        .values("event")
        .annotate(need_count=Count("id"), need_amount=Sum("amount"))
        .order_by()
    }
    match_rows = {
        row["event"]: row
        for row in FinancingMatch.objects.filter(event__isnull=False)
        .values("event")
        .annotate(**_match_money())
        .order_by()
    }
    keys = ["need_count", "need_amount", "matches", "credit_count", "credit", "loan_count", "loans"]
    totals = dict.fromkeys(keys, 0)
    upcoming, past = [], []
    for event in events:
        figures = {**need_rows.get(event.pk, {}), **match_rows.get(event.pk, {})}
        event.figures = {key: figures.get(key) or 0 for key in keys}
        event.institution_names = [
            i.name for i in sorted(event.institutions.all(), key=lambda i: (i.sort_order, i.name))
        ]
        if event.date >= on:
            upcoming.append(event)
        else:
            past.append(event)
            for key in keys:
                totals[key] += event.figures[key]
    upcoming.reverse()
    threshold = public_min_items()
    for event in past:
        _withhold_small_amounts(event.figures, threshold)
    _withhold_small_amounts(totals, threshold)
    by_institution = [
        _withhold_small_amounts(row, threshold)
        for row in FinancingMatch.objects.values("institution__name", "institution__sort_order")
        .annotate(**_match_money())
        .order_by("institution__sort_order", "institution__name")
    ]
    return PublicMatchmaking(
        upcoming=upcoming, past=past, totals=totals, by_institution=by_institution, threshold=threshold
    )


def matchmaking_summary(*, on=None):
    """For the 政企互动 panel: the next event, how many were held, credit and loans at events."""
    on = on or today()
    outcome = FinancingMatch.Outcome
    upcoming = MatchmakingEvent.objects.filter(date__gte=on).select_related("unit").order_by("date", "id").first()
    held = MatchmakingEvent.objects.filter(date__lt=on).aggregate(n=Count("id"))["n"]
    money = FinancingMatch.objects.filter(event__date__lt=on).aggregate(
        credit_count=Count("id", filter=Q(outcome__in=[outcome.CREDIT, outcome.LOAN])),
        loan_count=Count("id", filter=Q(outcome=outcome.LOAN)),
        credit=Coalesce(
            Sum("credit_amount", filter=Q(outcome__in=[outcome.CREDIT, outcome.LOAN])),
            0,
            output_field=FinancingMatch._meta.get_field("credit_amount"),
        ),
        loans=Coalesce(
            Sum("loan_amount", filter=Q(outcome=outcome.LOAN)),
            0,
            output_field=FinancingMatch._meta.get_field("loan_amount"),
        ),
    )
    return {"next_event": upcoming, "held": held, **_withhold_small_amounts(money, public_min_items())}
