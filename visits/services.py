"""Writes for enterprise-situation monitoring. Each function checks its rule, writes, and
refuses anything else with a clear message (ValidationError / PermissionDenied)."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from portal.core import messaging
from portal.core.access import official_of
from portal.models import Official, Unit
from portal.core.workflow import Action, ActionRefused, Workflow, transition

from . import notifications
from .models import Appointment, FinancingNeed, LiaisonAssignment, ReminderLog, Visit, VisitParticipant
from .periods import current_period, today as local_today


# --------------------------------------------------------------------------- assignments


def leader_bounds():
    """(min, max) key enterprises per county leader: 2–3 by the 2012 document, settings may change it."""
    return (int(getattr(settings, "LEADER_LIAISON_MIN", 2)), int(getattr(settings, "LEADER_LIAISON_MAX", 3)))


def can_manage_assignments(user, official):
    """The county office manages every assignment (and alone the county leaders'); a unit's
    head and staff manage their own unit's cadres (the rule visits.manage_assignments_of)."""
    return bool(user is not None and user.has_perm("visits.manage_assignments_of", official))


def check_leader_set(*, leader, enterprises):
    """The 2–3 rule on a county leader's whole set of key enterprises."""
    if leader.role != Official.Role.COUNTY_LEADER:
        raise ValidationError(_("%(name)s is not a county leader.") % {"name": leader.name})
    low, high = leader_bounds()
    not_key = [e.name for e in enterprises if not e.is_key]
    if not_key:
        raise ValidationError(
            _("County leaders look after key enterprises only; not key: %(names)s.") % {"names": "、".join(not_key)}
        )
    count = len(set(e.pk for e in enterprises))
    if not low <= count <= high:
        raise ValidationError(
            _(
                "Each county leader looks after %(low)d to %(high)d key enterprises; %(name)s would have %(count)d. "
                "Choose the whole set at once under “County leaders' key enterprises”."
            )
            % {"low": low, "high": high, "name": leader.name, "count": count}
        )


def check_cadre_remit(*, official, enterprise):
    """A town's cadre looks after the town's enterprises only; department cadres any enterprise."""
    if official.role == Official.Role.COUNTY_LEADER:
        raise ValidationError(_("County leaders' enterprises are set under “County leaders' key enterprises”."))
    unit = official.unit
    if unit.kind == Unit.Kind.TOWN and enterprise.town_id != unit.pk:
        raise ValidationError(
            _("%(enterprise)s is in %(its_town)s; cadres of %(town)s look after enterprises in %(town)s only.")
            % {"enterprise": enterprise.name, "its_town": enterprise.town.name, "town": unit.name}
        )


def _open_assignments(official):
    return LiaisonAssignment.objects.select_for_update().filter(official=official, end_date__isnull=True)


def _end(assignment, end_date):
    assignment.end_date = max(assignment.start_date, end_date)
    assignment.save(update_fields=["end_date"])


@transaction.atomic
def leader_assignments_set(*, leader, enterprises, start_date, by=None):
    """Set a county leader's key enterprises as a whole (2–3): new ones start on `start_date`,
    dropped ones end the day before; unchanged ones continue. History records each change."""
    if by is not None and not can_manage_assignments(by, leader):
        raise PermissionDenied(_("Only the county office sets the county leaders' enterprises."))
    enterprises = list(enterprises)
    check_leader_set(leader=leader, enterprises=enterprises)
    Official.objects.select_for_update().filter(pk=leader.pk).first()  # serialise concurrent edits
    wanted = {e.pk: e for e in enterprises}
    current = {a.enterprise_id: a for a in _open_assignments(leader)}
    for enterprise_id, assignment in current.items():
        if enterprise_id not in wanted:
            _end(assignment, start_date - datetime.timedelta(days=1))
    created = []
    for enterprise_id, enterprise in wanted.items():
        if enterprise_id not in current:
            created.append(
                LiaisonAssignment.objects.create(
                    official=leader,
                    enterprise=enterprise,
                    unit=leader.unit,
                    kind=LiaisonAssignment.Kind.LEADER,
                    start_date=start_date,
                )
            )
    return created


@transaction.atomic
def assignment_create(*, official, enterprise, start_date, note="", by=None):
    """Give an official one more enterprise to look after."""
    if by is not None and not can_manage_assignments(by, official):
        raise PermissionDenied(_("You may assign enterprises to your own unit's officials only."))
    if official.role == Official.Role.COUNTY_LEADER:
        current = [a.enterprise for a in _open_assignments(official).select_related("enterprise")]
        leader_assignments_set(leader=official, enterprises=current + [enterprise], start_date=start_date, by=by)
        return LiaisonAssignment.objects.get(official=official, enterprise=enterprise, end_date__isnull=True)
    check_cadre_remit(official=official, enterprise=enterprise)
    if LiaisonAssignment.objects.filter(official=official, enterprise=enterprise, end_date__isnull=True).exists():
        raise ValidationError(
            _("%(official)s already looks after %(enterprise)s.")
            % {"official": official.name, "enterprise": enterprise.name}
        )
    assignment = LiaisonAssignment(
        official=official,
        enterprise=enterprise,
        unit=official.unit,
        kind=LiaisonAssignment.Kind.CADRE,
        start_date=start_date,
        note=note,
    )
    assignment.full_clean()
    assignment.save()
    return assignment


@transaction.atomic
def official_enterprises_set(*, official, enterprises, start_date, by=None):
    """An official's whole set of 联系企业 at once (the officials import): a county leader's
    through the 2–3 rule, a cadre's enterprise by enterprise under the remit rule; enterprises
    left out end the day before `start_date`, unchanged ones continue."""
    if official.role == Official.Role.COUNTY_LEADER:
        return leader_assignments_set(leader=official, enterprises=enterprises, start_date=start_date, by=by)
    if by is not None and not can_manage_assignments(by, official):
        raise PermissionDenied(_("You may assign enterprises to your own unit's officials only."))
    wanted = {e.pk: e for e in enterprises}
    current = {a.enterprise_id: a for a in _open_assignments(official)}
    for enterprise_id, assignment in current.items():
        if enterprise_id not in wanted:
            _end(assignment, start_date - datetime.timedelta(days=1))
    return [
        assignment_create(official=official, enterprise=enterprise, start_date=start_date, by=by)
        for enterprise_id, enterprise in wanted.items()
        if enterprise_id not in current
    ]


@transaction.atomic
def assignment_end(*, assignment, end_date, by=None):
    """End an assignment; a county leader may not drop below the minimum this way."""
    if by is not None and not can_manage_assignments(by, assignment.official):
        raise PermissionDenied(_("You may end your own unit's assignments only."))
    if end_date < assignment.start_date:
        raise ValidationError(_("The end date cannot be before the start date."))
    if assignment.kind == LiaisonAssignment.Kind.LEADER and assignment.end_date is None:
        remaining = [
            a.enterprise
            for a in _open_assignments(assignment.official).select_related("enterprise")
            if a.pk != assignment.pk
        ]
        check_leader_set(leader=assignment.official, enterprises=remaining)
    assignment.end_date = end_date
    assignment.save(update_fields=["end_date"])
    return assignment


# --------------------------------------------------------------------------- appointments

# The appointment workflow, written down once; `portal.core.workflow.transition` applies it.
_S = Appointment.Status
APPOINTMENT_WORKFLOW = Workflow(
    _S,
    [
        Action("accept", _lazy("Accept"), (_S.PROPOSED,), _S.ACCEPTED),
        Action("counter", _lazy("Propose another time"), (_S.PROPOSED, _S.ACCEPTED), _S.COUNTER),
        Action("decline", _lazy("Decline"), (_S.PROPOSED, _S.ACCEPTED), _S.DECLINED),
        Action("accept_counter", _lazy("Agree to the enterprise's time"), (_S.COUNTER,), _S.ACCEPTED),
        Action("reschedule", _lazy("Propose a new time"), (_S.COUNTER, _S.ACCEPTED, _S.DECLINED), _S.PROPOSED),
        Action("cancel", _lazy("Cancel the appointment"), (_S.PROPOSED, _S.COUNTER, _S.ACCEPTED), _S.CANCELLED),
        Action("hold", _lazy("Visit held"), (_S.ACCEPTED,), _S.HELD),
    ],
    state_refusal=_lazy("An appointment that is “%(state)s” cannot become “%(target)s”."),
)


def _check_times(starts_at, ends_at):
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        raise ValidationError(_("The end must be after the start."))


@transaction.atomic
def appointment_propose(*, enterprise, official, starts_at, ends_at, purpose):
    """An official proposes a visit time. Returns the appointment and the other units'
    appointments that overlap it (a warning, not a refusal)."""
    from .selectors import overlapping_appointments

    _check_times(starts_at, ends_at)
    appointment = Appointment(
        enterprise=enterprise,
        unit=official.unit,
        proposed_by=official,
        starts_at=starts_at,
        ends_at=ends_at,
        purpose=purpose,
    )
    appointment.full_clean()
    appointment.save()
    notifications.appointment_notify(appointment=appointment, action="propose", by=official.user)
    return appointment, list(overlapping_appointments(appointment))


@transaction.atomic
def appointment_respond(
    *, appointment, by, answer, starts_at=None, ends_at=None, note="", channel=Appointment.Channel.ONLINE
):
    """The enterprise's answer: "accept", "counter" (with another time) or "decline" — given
    online by its confirmed account, or by phone and recorded by an official of the unit."""
    if answer not in ("accept", "counter", "decline"):
        raise ActionRefused(_("Choose an answer."), "answer")
    current = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if current.status not in APPOINTMENT_WORKFLOW[answer].sources:
        raise ActionRefused(_("This appointment is not waiting for the enterprise's answer."), "state")

    def apply(appointment):
        fields = ["response_note", "response_channel", "responded_by", "responded_at"]
        if answer == "counter":
            _check_times(starts_at, ends_at)
            if starts_at < timezone.now():
                raise ActionRefused(_("Propose a time in the future."), "time")
            appointment.counter_starts_at, appointment.counter_ends_at = starts_at, ends_at
            fields += ["counter_starts_at", "counter_ends_at"]
        appointment.response_note = note
        appointment.response_channel = channel
        appointment.responded_by = by
        appointment.responded_at = timezone.now()
        return fields

    answered = transition(current, APPOINTMENT_WORKFLOW, answer, user=by, reason=note, apply=apply)
    notifications.appointment_notify(appointment=answered, action=answer, by=by)
    return answered


@transaction.atomic
def appointment_accept_counter(*, appointment, by):
    """The official takes the time the enterprise proposed."""
    current = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if current.status != Appointment.Status.COUNTER:
        raise ActionRefused(_("The enterprise has not proposed another time."), "state")

    def apply(appointment):
        appointment.starts_at, appointment.ends_at = appointment.counter_starts_at, appointment.counter_ends_at
        return ["starts_at", "ends_at"]

    agreed = transition(current, APPOINTMENT_WORKFLOW, "accept_counter", user=by, apply=apply)
    notifications.appointment_notify(appointment=agreed, action="accept_counter", by=by)
    return agreed


@transaction.atomic
def appointment_reschedule(*, appointment, starts_at, ends_at, by=None):
    """The official proposes a new time; the enterprise is asked again."""
    _check_times(starts_at, ends_at)

    def apply(locked):
        locked.starts_at, locked.ends_at = starts_at, ends_at
        return ["starts_at", "ends_at"]

    appointment = transition(appointment, APPOINTMENT_WORKFLOW, "reschedule", user=by, apply=apply)
    notifications.appointment_notify(appointment=appointment, action="reschedule", by=by)
    from .selectors import overlapping_appointments

    return appointment, list(overlapping_appointments(appointment))


def appointment_cancel(*, appointment, by, reason=""):
    """The official's unit or the enterprise calls the visit off while it is still open."""
    cancelled = transition(appointment, APPOINTMENT_WORKFLOW, "cancel", user=by, reason=reason)
    notifications.appointment_notify(appointment=cancelled, action="cancel", by=by)
    return cancelled


@transaction.atomic
def appointment_held(*, appointment, by=None):
    """A visit was recorded for an appointment: if it was agreed, it took place (已走访)."""
    if appointment is None:
        return None
    current = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if current.status != Appointment.Status.ACCEPTED:
        return current
    return transition(current, APPOINTMENT_WORKFLOW, "hold", user=by)


# --------------------------------------------------------------------------- visits


@transaction.atomic
def visit_set_participants(*, visit, officials):
    """Who went on the visit. The participant rows carry the visit's enterprise and date."""
    officials = list(officials)
    if not officials:
        raise ValidationError(_("Name at least one official who went."))
    wanted = {o.pk for o in officials}
    VisitParticipant.objects.filter(visit=visit).exclude(official_id__in=wanted).delete()
    VisitParticipant.objects.filter(visit=visit).update(enterprise_id=visit.enterprise_id, date=visit.date)
    existing = set(VisitParticipant.objects.filter(visit=visit).values_list("official_id", flat=True))
    VisitParticipant.objects.bulk_create(
        [
            VisitParticipant(visit=visit, official_id=pk, enterprise_id=visit.enterprise_id, date=visit.date)
            for pk in wanted - existing
        ]
    )


@transaction.atomic
def visit_record(*, unit, enterprise, date, officials, recorded_by=None, appointment=None, problems=(), **fields):
    """Record a visit with who went and the problems raised (list of dicts)."""
    if date > local_today():
        raise ValidationError(_("A visit cannot be recorded for a future date."))
    visit = Visit(
        unit=unit, enterprise=enterprise, date=date, recorded_by=recorded_by, appointment=appointment, **fields
    )
    visit.full_clean()
    visit.save()
    visit_set_participants(visit=visit, officials=officials)
    for problem in problems:
        visit.problems.create(enterprise=enterprise, **problem)
    appointment_held(appointment=appointment, by=recorded_by)
    return visit


# --------------------------------------------------------------------------- problems → matters


def problem_to_matter(*, problem, by):
    """Turn a problem raised at a visit or a meeting into a liaison matter — exactly once.

    Returns (problem, created). A second call (double click, two officials at once) returns
    the matter already made: the problem row is locked while the matter is created, and the
    liaison app keeps one matter per source."""
    from liaison import services as liaison_services

    model = type(problem)
    official = official_of(by)
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=problem.pk)
        if locked.matter_id is not None:
            return locked, False
        owner = locked.owner
        received_by = official.unit if official else locked.receiving_unit
        description = locked.description or locked.title
        if locked.CHANNEL == "visit":
            description = _("%(text)s\n\n(Raised during the visit on %(date)s.)") % {
                "text": description,
                "date": owner.date.isoformat(),
            }
        else:
            description = _("%(text)s\n\n(Raised at the meeting “%(title)s” on %(date)s.)") % {
                "text": description,
                "title": owner.title,
                "date": owner.date.isoformat(),
            }
        # liaison keeps one matter per source: a matter made for this problem meanwhile is returned
        matter = liaison_services.matter_create(
            enterprise=locked.enterprise,
            title=locked.title,
            description=description,
            category=locked.category,
            channel=locked.CHANNEL,
            received_by=received_by,
            created_by=by,
            source=locked,
            contact_name=locked.enterprise.contact_name,
            contact_phone=locked.enterprise.contact_phone,
        )
        locked.matter_id = matter.pk
        locked.matter_label = matter.tracking_number
        locked.turned_at = timezone.now()
        locked.save(update_fields=["matter_id", "matter_label", "turned_at"])
    return locked, True


# --------------------------------------------------------------------------- financing

# A financing need: open until it is met or the enterprise no longer needs it; either may be
# reopened (a loan that fell through, a need that came back).
_N = FinancingNeed.Status
FINANCING_NEED_WORKFLOW = Workflow(
    _N,
    [
        Action("meet", _lazy("Mark as met"), (_N.OPEN,), _N.MET),
        Action("withdraw", _lazy("Withdraw"), (_N.OPEN,), _N.WITHDRAWN),
        Action("reopen", _lazy("Reopen"), (_N.MET, _N.WITHDRAWN), _N.OPEN),
    ],
)


@transaction.atomic
def financing_need_create(
    *,
    enterprise,
    amount,
    purpose,
    term_months,
    collateral="",
    by=None,
    source=FinancingNeed.Source.OFFICIAL,
    event=None,
):
    need = FinancingNeed(
        enterprise=enterprise,
        amount=amount,
        purpose=purpose,
        term_months=term_months,
        collateral=collateral,
        entered_by=by,
        source=source,
        event=event,
    )
    need.full_clean()
    need.save()
    return need


def financing_need_transition(*, need, action, by=None, reason=""):
    """Mark a need met, withdraw it or reopen it (FINANCING_NEED_WORKFLOW); ActionRefused when
    its state does not allow it."""
    return transition(need, FINANCING_NEED_WORKFLOW, action, user=by, reason=reason)


# --------------------------------------------------------------------------- reminders


def reminder_days():
    return int(getattr(settings, "VISIT_REMINDER_DAYS_BEFORE", 14))


def coverage_reminders_send(*, day=None, force=False, preview=None):
    """Mail each official the enterprises they have not visited this period, from two weeks
    before the period ends (once per official and period, so cron may run it daily).
    Returns (mails sent, officials skipped for want of an e-mail address). With `preview`
    (a callable taking address, subject, body) nothing is sent or logged: a dry run."""
    from .selectors import unvisited_assignments

    day = day or local_today()
    period = current_period(day)
    if not force and period.days_left(day) > reminder_days():
        return 0, 0
    by_official = {}
    for assignment in unvisited_assignments(period, on=day):
        by_official.setdefault(assignment.official, []).append(assignment.enterprise)
    already = set(ReminderLog.objects.filter(period_start=period.start).values_list("official_id", flat=True))
    sent = skipped = 0
    for official, enterprises in by_official.items():
        if official.pk in already:
            continue
        if not official.user.email:
            skipped += 1
            continue
        context = {
            "official": official,
            "enterprises": enterprises,
            "period": period,
            "days_left": period.days_left(day),
            "site_url": settings.SITE_BASE_URL,
        }
        subject = _("Enterprises you have not visited in %(period)s") % {"period": period.label}
        body = render_to_string("visits/email/coverage_reminder.txt", context)
        if preview is not None:
            preview(official.user.email, subject, body)
        else:
            messaging.send_email(subject=subject, body=body, to=[official.user.email])
            ReminderLog.objects.create(official=official, period_start=period.start, enterprise_count=len(enterprises))
        sent += 1
    return sent, skipped
