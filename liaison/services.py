"""Writes for matters. `matter_create` is the contract other apps (visits, surveys) call;
`matter_transition` is the one function that moves a matter through `workflow.ACTIONS`."""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core import messaging
from portal.core.access import official_of
from portal.models import Official, Unit
from portal.core.workdays import add_workdays, workdays_between
from portal.core.uploads import check_upload, safe_name
from portal.core.workflow import ActionRefused

from . import clock, deadlines, notifications, workflow
from .models import (
    POOR_RATINGS,
    DeadlineRule,
    Matter,
    MatterAttachment,
    MatterCooperation,
    MatterEvent,
    MatterRating,
    Rating,
)
from .rules import actor_kinds, actor_kinds_on_any_matter
from .uploads import MAX_FILES

DEFAULT_DEADLINE_WORKDAYS = 5
MAX_EXTENSION_WORKDAYS = 10
RETURN_WINDOW_WORKDAYS = 2
SITE_ERROR_WORKDAYS = 3
# Alphabet without look-alikes (0/O, 1/I/L): tracking numbers are read out on the phone.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def accept_workdays():
    """受理时限: working days the receiving unit has to accept a matter."""
    return getattr(settings, "LIAISON_ACCEPT_WORKDAYS", 2)


def deadline_workdays_for(category, urgency):
    """办结时限 for a category and urgency: a DeadlineRule, else 5 working days."""
    rule = DeadlineRule.objects.filter(category=category, urgency=urgency).values_list("workdays", flat=True).first()
    return rule or DEFAULT_DEADLINE_WORKDAYS


QUERY_CODE_LENGTH = 8


def _random_code(length):
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def _new_tracking_number(today):
    """ZQ + date + 6 random characters: not sequential, not guessable from a neighbour."""
    return f"ZQ{today:%y%m%d}{_random_code(6)}"


# ---------------------------------------------------------------------------- creation
def matter_create(
    *,
    enterprise,
    title,
    description,
    category,
    channel,
    received_by,
    created_by=None,
    source=None,
    urgency="normal",
    contact_name="",
    contact_phone="",
    attachments=(),
):
    """Register a matter received by `received_by` through `channel`.

    `source` (any saved model instance: a visit's problem, a survey finding) makes the call
    idempotent: a second call with the same source returns the matter made the first time,
    never a second one (constraint `matter_one_per_source`).
    """
    matter, _created = matter_register(
        enterprise=enterprise,
        title=title,
        description=description,
        category=category,
        channel=channel,
        received_by=received_by,
        created_by=created_by,
        source=source,
        urgency=urgency,
        contact_name=contact_name,
        contact_phone=contact_phone,
        attachments=attachments,
    )
    return matter


def matter_register(
    *,
    enterprise,
    title,
    description,
    category,
    channel,
    received_by,
    created_by=None,
    source=None,
    urgency="normal",
    contact_name="",
    contact_phone="",
    contact_email="",
    enterprise_name="",
    attachments=(),
    idempotency_key=None,
    actor_name="",
    query_code_hash=None,
):
    """Register a matter (matter_create's full form) and return (matter, created): created is
    False when `source` or `idempotency_key` names a matter made before. `query_code_hash`: one
    code hashed once for many matters (demo data; hashing costs most of a second by design)."""
    if channel not in Matter.Channel.values:
        raise ActionRefused(_("Unknown channel."), "channel")
    if category not in Matter.Category.values:
        raise ActionRefused(_("Unknown category."), "category")
    if urgency not in Matter.Urgency.values:
        raise ActionRefused(_("Unknown urgency."), "urgency")
    if not title or not description:
        raise ActionRefused(_("A matter needs a title and a description."), "empty")
    if received_by is None:
        raise ActionRefused(_("A matter needs a receiving unit."), "unit")
    attachments = list(attachments or ())
    if len(attachments) > MAX_FILES:
        raise ActionRefused(_("At most %(n)d attachments.") % {"n": MAX_FILES}, "attachments")
    checked = []
    for upload in attachments:
        try:
            checked.append((upload, check_upload(upload)))
        except ValidationError as error:
            raise ActionRefused(" ".join(error.messages), "attachment") from error

    source_type = source_id = None
    if source is not None:
        if source.pk is None:
            raise ActionRefused(_("The source must be saved first."), "source")
        source_type = ContentType.objects.get_for_model(source)
        source_id = str(source.pk)
        existing = Matter.objects.filter(source_type=source_type, source_id=source_id).first()
        if existing is not None:
            return existing, False
    if idempotency_key is not None:
        existing = Matter.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing, False

    now = clock.now()
    today = clock.today()
    matter = Matter(
        enterprise=enterprise,
        enterprise_name=enterprise_name or (enterprise.name if enterprise else ""),
        title=title.strip()[:200],
        description=description,
        category=category,
        channel=channel,
        urgency=urgency,
        received_by=received_by,
        responsible_unit=received_by,
        created_by=created_by,
        contact_name=contact_name or (enterprise.contact_name if enterprise else ""),
        contact_phone=contact_phone or (enterprise.contact_phone if enterprise else ""),
        contact_email=contact_email or (enterprise.email if enterprise else ""),
        source_type=source_type,
        source_id=source_id or "",
        idempotency_key=idempotency_key,
        received_at=now,
        accept_due=add_workdays(today, accept_workdays()),
        unit_ids=[received_by.pk],
    )
    if query_code_hash:
        matter.query_code = query_code_hash
    else:
        matter.set_query_code(_random_code(QUERY_CODE_LENGTH))
    if channel == Matter.Channel.SITE_ERROR:
        # 我为政府网站找错: answered within 3 working days of receipt.
        matter.deadline_workdays = SITE_ERROR_WORKDAYS
        matter.due_date = add_workdays(today, SITE_ERROR_WORKDAYS)
    try:
        with transaction.atomic():
            for _attempt in range(5):
                matter.tracking_number = _new_tracking_number(today)
                if not Matter.objects.filter(tracking_number=matter.tracking_number).exists():
                    break
            matter.save()
            official = official_of(created_by) if created_by else None
            event = MatterEvent.objects.create(
                matter=matter,
                action="create",
                from_state="",
                to_state=matter.state,
                actor=created_by,
                actor_name=actor_name or (official.name if official else ""),
                # The enterprise's own contact is not an official of the receiving unit.
                actor_unit=official.unit if official else None,
                created_at=now,
                reason=matter.get_channel_display(),
                is_public=True,
            )
            for upload, mime in checked:
                _store_attachment(matter, upload, mime)
            notifications.notify_on_commit(event)
    except IntegrityError:
        # A concurrent call with the same source or submission token won the race.
        if source_type is not None:
            existing = Matter.objects.filter(source_type=source_type, source_id=source_id).first()
        else:
            existing = Matter.objects.filter(idempotency_key=idempotency_key).first() if idempotency_key else None
        if existing is None:
            raise
        return existing, False
    return matter, True


def _store_attachment(matter, upload, mime, is_public=True):
    upload.seek(0)
    attachment = MatterAttachment(
        matter=matter, original_name=safe_name(upload.name), mime_type=mime, size=upload.size, is_public=is_public
    )
    attachment.file.save(attachment.public_id.hex, ContentFile(upload.read()), save=False)
    attachment.save()
    return attachment


def matter_submit_online(
    *,
    user,
    enterprise,
    title,
    description,
    category,
    urgency,
    contact_name,
    contact_phone,
    contact_email="",
    enterprise_name="",
    attachments=(),
    idempotency_key,
    channel=Matter.Channel.ONLINE,
):
    """An online submission (logged-in enterprise or anonymous). The enterprise's town
    receives it; without a known enterprise, or for a website error, the county office.
    The same submission token never makes two matters. Returns (matter, created)."""
    if channel == Matter.Channel.SITE_ERROR or enterprise is None:
        received_by = county_office_unit()
    else:
        received_by = enterprise.town
    matter, created = matter_register(
        enterprise=enterprise,
        enterprise_name=enterprise_name,
        title=title,
        description=description,
        category=category,
        channel=channel,
        received_by=received_by,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        urgency=urgency,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        attachments=attachments,
        idempotency_key=idempotency_key,
        actor_name=contact_name,
    )
    if created and matter.contact_email:
        transaction.on_commit(lambda: _send_confirmation(matter))
    return matter, created


def matter_record_call(
    *,
    user,
    enterprise,
    enterprise_name,
    title,
    description,
    category,
    channel,
    urgency,
    received_by,
    contact_name,
    contact_phone,
):
    """An official records a phone call or a complaint (登记): the matter, with its query code
    (`issued_query_code`) to read out to the caller."""
    matter, _created = matter_register(
        enterprise=enterprise,
        enterprise_name=enterprise_name,
        title=title,
        description=description,
        category=category,
        channel=channel,
        urgency=urgency,
        received_by=received_by,
        created_by=user,
        contact_name=contact_name,
        contact_phone=contact_phone,
    )
    return matter


def county_office_unit():
    unit = Unit.objects.filter(kind=Unit.Kind.COUNTY_OFFICE, is_active=True).order_by("sort_order", "id").first()
    if unit is None:
        raise ActionRefused(_("No county office is set up to receive matters."), "unit")
    return unit


def _send_confirmation(matter):
    body = _(
        'Your matter "%(title)s" has been received.\n\nTracking number: %(number)s\nQuery code: '
        "%(code)s\n\nKeep both: with them you can follow the handling at %(url)s. It will be accepted "
        "by %(date)s."
    ) % {
        "title": matter.title,
        "number": matter.tracking_number,
        "code": matter.issued_query_code,
        "url": settings.SITE_BASE_URL.rstrip("/") + "/matters/track/",
        "date": matter.accept_due,
    }
    messaging.send_email(
        subject=_("Matter %(number)s received") % {"number": matter.tracking_number},
        body=body,
        to=[matter.contact_email],
    )


def matter_reissue_query_code(*, tracking_number):
    """A lost query code: a new one replaces it and goes by mail to the contact on file.
    Reveals nothing to the asker (no return value); without an e-mail on file nothing
    changes (the receiving unit can help by phone)."""
    number = (tracking_number or "").strip().upper()
    with transaction.atomic():
        matter = Matter.objects.select_for_update().filter(tracking_number=number).exclude(contact_email="").first()
        if matter is None:
            return
        matter.set_query_code(_random_code(QUERY_CODE_LENGTH))
        matter.save(update_fields=["query_code", "updated_at"])
        code = matter.issued_query_code
        transaction.on_commit(lambda: _send_new_code(matter, code))


def _send_new_code(matter, code):
    body = _(
        'A new query code was asked for your matter "%(title)s".\n\nTracking number: %(number)s\n'
        "New query code: %(code)s\n\nThe old code no longer works. Follow the handling at %(url)s. If you "
        "did not ask for this, keep the new code; nobody else has received it."
    ) % {
        "title": matter.title,
        "number": matter.tracking_number,
        "code": code,
        "url": settings.SITE_BASE_URL.rstrip("/") + "/matters/track/",
    }
    messaging.send_email(
        subject=_("New query code for matter %(number)s") % {"number": matter.tracking_number},
        body=body,
        to=[matter.contact_email],
    )


# ---------------------------------------------------------------------------- who acts
# The rule of who acts (liaison/rules.py): receiver, lead, handler, participant, county office, enterprise.
def available_actions(matter, user, *, tracking_grant=False):
    """Actions `user` may try now (state and role allow; guards are checked on submit)."""
    kinds = actor_kinds(matter, user, tracking_grant=tracking_grant)
    return [a for a in workflow.allowed_from(matter.state) if kinds & set(a.actors)]


# Conditions beyond state and role, checked again on submit by the step itself: here only to
# grey the button with the same words. A toggle whose other half applies is not shown at all.
_GUARDS = {
    "approve_extension": (lambda m: bool(m.extension_requested_days), gettext_lazy("No extension has been requested.")),
    "reject_extension": (lambda m: bool(m.extension_requested_days), gettext_lazy("No extension has been requested.")),
    "request_extension": (
        lambda m: not m.extension_requested_days,
        gettext_lazy("An extension request is already waiting for the county office."),
    ),
}
_TOGGLES = {"supervise": lambda m: not m.supervised, "unsupervise": lambda m: m.supervised}


@dataclass(frozen=True)
class Step:
    action: object  # the workflow's Action
    allowed: bool
    reason: str = ""


def _step_reason(name, matter, kinds):
    """Why holders of `kinds` may not take step `name` on `matter` now ("" when they may)."""
    reason = workflow.WORKFLOW.why_not(name, state=matter.state, kinds=kinds, who=workflow.WHO)
    if not reason and name in _GUARDS and not _GUARDS[name][0](matter):
        reason = str(_GUARDS[name][1])
    return reason


def queue_steps(matters, user, names):
    """For the county office's review queue: on each of `matters`, the steps among `names` that
    `user` may take now, as `matter.next_steps` (no query per matter: the county office's
    role does not depend on the matter)."""
    kinds = actor_kinds_on_any_matter(user)
    for matter in matters:
        matter.next_steps = [
            workflow.ACTIONS[name]
            for name in names
            if (name not in _TOGGLES or _TOGGLES[name](matter)) and not _step_reason(name, matter, kinds)
        ]
    return matters


def matter_steps(matter, user):
    """The official-side steps for `user` on `matter` as the change page shows them: those they
    may take now (allowed), then those they cannot, each with the reason — a step of theirs one
    of their own steps away ("First: Accept"), or a step open now to another unit ("Only the
    lead unit may do this"). Steps further off are left out."""
    if not user.has_perm("liaison.view_matter", matter):
        return []
    kinds = actor_kinds(matter, user)
    now, later = [], []
    for name in workflow.OFFICIAL_ACTIONS:
        spec = workflow.ACTIONS[name]
        if name in _TOGGLES and not _TOGGLES[name](matter):
            continue
        mine, open_now = bool(kinds & set(spec.actors)), matter.state in spec.sources
        if not open_now and not (
            mine and any(kinds & set(a.actors) for a in workflow.WORKFLOW.predecessors(name, matter.state))
        ):
            continue  # neither open now nor one of the user's own steps away
        reason = _step_reason(name, matter, kinds)
        if not reason:
            now.append(Step(spec, True))
        elif mine or name not in ("approve_extension", "reject_extension", "supervise", "unsupervise", "note"):
            later.append(Step(spec, False, reason))
    return now + later


def _actor_label(user, kinds, matter):
    official = official_of(user) if getattr(user, "is_authenticated", False) else None
    if official is not None:
        return official.name, official.unit
    if "enterprise" in kinds:
        account = getattr(user, "enterprise_account", None) if getattr(user, "is_authenticated", False) else None
        return (account.real_name if account else matter.contact_name) or _("The enterprise"), None
    return (user.get_username() if getattr(user, "is_authenticated", False) else ""), None


# ---------------------------------------------------------------------------- transitions
@transaction.atomic
def matter_transition(*, matter, action, user, reason="", public=None, tracking_grant=False, **params):
    """Perform `action` on `matter` as `user`: checks the action exists, may start from the
    current state and that the user holds one of its roles, applies its rule, records a
    MatterEvent and returns the refreshed matter. Refuses anything else with
    ActionRefused (a clear message)."""
    if action not in workflow.ACTIONS:
        raise ActionRefused(_("Unknown action."), "unknown")
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    kinds = actor_kinds(matter, user, tracking_grant=tracking_grant)
    reason = (reason or "").strip()
    spec = workflow.WORKFLOW.check(action, state=matter.state, kinds=kinds, reason=reason)
    from_state = matter.state
    changed = _APPLY[action](matter, kinds=kinds, reason=reason, **params)
    # A rule may add a line for the record (e.g. the phone override of 交办).
    recorded = "\n".join(part for part in (reason, getattr(matter, "event_note", "")) if part)
    to_state = spec.target or matter.state
    matter.state = to_state
    matter.save(update_fields=sorted(set(changed) | {"state", "updated_at"}))
    name, unit = _actor_label(user, kinds, matter)
    event = MatterEvent.objects.create(
        matter=matter,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=user if getattr(user, "is_authenticated", False) else None,
        actor_name=name,
        actor_unit=unit,
        created_at=clock.now(),
        reason=recorded,
        is_public=spec.public if public is None else bool(public),
    )
    notifications.notify_on_commit(event, kinds=frozenset(kinds))
    notifications.notify_enterprise_on_commit(event)
    return matter


# Typed entry points for the steps that carry more than a reason; each goes through
# matter_transition (the one function that moves a matter) with its arguments named.
def matter_reply(*, matter, user, reply: str):
    """答复/办结: the handling unit's reply, which the enterprise reads and rates."""
    return matter_transition(matter=matter, action="reply", user=user, reason=reply)


def matter_assign(
    *,
    matter,
    user,
    lead_unit,
    cooperating_units=(),
    workdays: int | None = None,
    note: str = "",
    phone_contact: str = "",
):
    """交办: the county office names the lead unit (and cooperating units) and the deadline; a
    lead unit with nobody active needs `phone_contact` (who will be phoned), kept on the event."""
    return matter_transition(
        matter=matter,
        action="assign",
        user=user,
        reason=note,
        lead_unit=lead_unit,
        cooperating_units=list(cooperating_units),
        workdays=workdays,
        phone_contact=phone_contact,
    )


def matter_rate(*, matter, user, rating: int, comment: str = "", tracking_grant: bool = False):
    """好差评: the enterprise rates the reply; a poor rating needs a comment."""
    return matter_transition(
        matter=matter, action="rate", user=user, reason=comment, rating=rating, tracking_grant=tracking_grant
    )


def matter_resume(*, matter, user, message: str = "", tracking_grant: bool = False):
    """The enterprise (or the handler) answers a request for more; the clock runs again."""
    return matter_transition(matter=matter, action="resume", user=user, reason=message, tracking_grant=tracking_grant)


def matter_request_extension(*, matter, user, days: int, reason: str):
    """延期: the handling unit asks the county office for more working days."""
    return matter_transition(matter=matter, action="request_extension", user=user, reason=reason, days=days)


def _accept(matter, **kw):
    """受理 starts the handling clock: the due date exists from this moment on."""
    matter.accepted_at = clock.now()
    matter.accepted_on_time = clock.today() <= matter.accept_due
    if matter.due_date is None:
        matter.deadline_workdays = deadline_workdays_for(matter.category, matter.urgency)
        matter.due_date = add_workdays(clock.today(), matter.deadline_workdays)
    return ["accepted_at", "accepted_on_time", "deadline_workdays", "due_date"]


def _handle_self(matter, **kw):
    if matter.due_date is None:
        matter.deadline_workdays = deadline_workdays_for(matter.category, matter.urgency)
        matter.due_date = add_workdays(clock.today(), matter.deadline_workdays)
    return ["deadline_workdays", "due_date"]


def _request_referral(matter, reason, **kw):
    matter.referral_reason = reason
    return ["referral_reason"]


def units_that_can_act(units):
    """Ids of `units` (objects or ids) with at least one active official who acts on matters:
    a unit without one is never mailed and nobody there can open the matter."""
    return set(Official.objects.acting_for(units).values_list("unit_id", flat=True))


def _assign(matter, lead_unit=None, cooperating_units=(), workdays=None, phone_contact="", **kw):
    if lead_unit is None:
        raise ActionRefused(_("Choose a lead unit."), "lead_unit")
    phone_contact = (phone_contact or "").strip()
    if lead_unit.pk not in units_that_can_act([lead_unit]):
        # 交办 to a unit nobody can act for needs an explicit override naming who is phoned.
        if not phone_contact:
            raise ActionRefused(
                _(
                    "Nobody in %(unit)s has an active account, so nobody there would see this matter. Name who "
                    "will be phoned (name and number) to assign it anyway."
                )
                % {"unit": lead_unit.name},
                "nobody_active",
            )
        matter.event_note = _("%(unit)s has nobody active in the portal; to be phoned: %(who)s") % {
            "unit": lead_unit.name,
            "who": phone_contact,
        }
    cooperating = [u for u in cooperating_units if u.pk != lead_unit.pk]
    if workdays is None:
        workdays = deadline_workdays_for(matter.category, matter.urgency)
    if not 1 <= int(workdays) <= 60:
        raise ActionRefused(_("The deadline must be between 1 and 60 working days."), "workdays")
    today = clock.today()
    fields = [
        "lead_unit",
        "responsible_unit",
        "assigned_at",
        "return_due",
        "deadline_workdays",
        "due_date",
        "extension_workdays",
        "extension_requested_days",
        "extension_reason",
        "paused_workdays",
        "reassign_due",
        "extension_decide_by",
    ]
    if matter.accepted_at is None:
        fields += _accept(matter)
    matter.lead_unit = lead_unit
    matter.responsible_unit = lead_unit
    matter.assigned_at = clock.now()
    matter.return_due = add_workdays(today, RETURN_WINDOW_WORKDAYS)
    matter.deadline_workdays = int(workdays)
    matter.due_date = add_workdays(today, int(workdays))
    matter.extension_workdays = 0
    matter.extension_requested_days = 0
    matter.extension_reason = ""
    matter.extension_decide_by = None
    matter.reassign_due = None
    matter.paused_workdays = 0
    MatterCooperation.objects.filter(matter=matter).delete()
    MatterCooperation.objects.bulk_create([MatterCooperation(matter=matter, unit=u) for u in cooperating])
    matter.unit_ids = matter.compute_unit_ids(cooperating)
    return fields + ["unit_ids"]


def _return_assignment(matter, reason, **kw):
    if matter.return_due is None or clock.today() > matter.return_due:
        raise ActionRefused(
            _("An assignment can only be returned within %(n)d working days of being assigned.")
            % {"n": RETURN_WINDOW_WORKDAYS},
            "return_window",
        )
    matter.returned_by_unit = matter.lead_unit
    matter.return_reason = reason
    matter.lead_unit = None
    matter.responsible_unit = matter.received_by
    # The handling due date stays (the enterprise's wait goes on); the county office now
    # has its own clock to assign again.
    matter.return_due = None
    matter.reassign_due = add_workdays(clock.today(), deadlines.REASSIGN_WORKDAYS)
    MatterCooperation.objects.filter(matter=matter).delete()
    matter.unit_ids = matter.compute_unit_ids()
    return [
        "returned_by_unit",
        "return_reason",
        "lead_unit",
        "responsible_unit",
        "return_due",
        "reassign_due",
        "unit_ids",
    ]


def _request_supplement(matter, **kw):
    matter.paused_state = matter.state
    matter.paused_on = clock.today()
    matter.supplement_due = add_workdays(matter.paused_on, deadlines.SUPPLEMENT_WORKDAYS)
    return ["paused_state", "paused_on", "supplement_due"]


def _resume(matter, **kw):
    """The clock stood still while waiting: the deadline moves by the paused working days."""
    paused = workdays_between(matter.paused_on, clock.today()) if matter.paused_on else 0
    if matter.due_date is not None and paused:
        matter.due_date = add_workdays(matter.due_date, paused)
    if matter.return_due is not None and paused:
        matter.return_due = add_workdays(matter.return_due, paused)
    matter.paused_workdays += paused
    matter.state = matter.paused_state or (workflow.ASSIGNED if matter.lead_unit_id else workflow.HANDLING)
    matter.paused_state = ""
    matter.paused_on = None
    matter.supplement_due = None
    return ["due_date", "return_due", "paused_workdays", "paused_state", "paused_on", "supplement_due"]


def _note(matter, **kw):
    return []


def _request_extension(matter, reason, days=None, **kw):
    days = int(days or 0)
    if matter.extension_requested_days:
        raise ActionRefused(_("An extension request is already waiting for the county office."), "pending")
    if days < 1:
        raise ActionRefused(_("Ask for at least one working day."), "days")
    if matter.extension_workdays + days > MAX_EXTENSION_WORKDAYS:
        raise ActionRefused(
            _("A matter may be extended by at most %(max)d working days in all; %(left)d are left.")
            % {"max": MAX_EXTENSION_WORKDAYS, "left": MAX_EXTENSION_WORKDAYS - matter.extension_workdays},
            "extension_limit",
        )
    matter.extension_requested_days = days
    matter.extension_reason = reason
    matter.extension_decide_by = add_workdays(clock.today(), deadlines.EXTENSION_DECISION_WORKDAYS)
    return ["extension_requested_days", "extension_reason", "extension_decide_by"]


def _approve_extension(matter, **kw):
    days = matter.extension_requested_days
    if not days:
        raise ActionRefused(_("No extension has been requested."), "no_request")
    if matter.extension_workdays + days > MAX_EXTENSION_WORKDAYS:
        raise ActionRefused(
            _("A matter may be extended by at most %(max)d working days in all.") % {"max": MAX_EXTENSION_WORKDAYS},
            "extension_limit",
        )
    matter.due_date = add_workdays(matter.due_date or clock.today(), days)
    matter.extension_workdays += days
    matter.extension_requested_days = 0
    matter.extension_decide_by = None
    return ["due_date", "extension_workdays", "extension_requested_days", "extension_decide_by"]


def _reject_extension(matter, **kw):
    if not matter.extension_requested_days:
        raise ActionRefused(_("No extension has been requested."), "no_request")
    matter.extension_requested_days = 0
    matter.extension_decide_by = None
    return ["extension_requested_days", "extension_decide_by"]


def _reply(matter, reason, **kw):
    today = clock.today()
    matter.reply = reason
    matter.replied_at = clock.now()
    matter.workdays_to_close = workdays_between(clock.today_of(matter.received_at), today)
    matter.closed_on_time = matter.due_date is None or today <= matter.due_date
    matter.extension_requested_days = 0
    matter.extension_decide_by = None
    return [
        "reply",
        "replied_at",
        "workdays_to_close",
        "closed_on_time",
        "extension_requested_days",
        "extension_decide_by",
    ]


def _rate(matter, reason, rating=None, **kw):
    try:
        rating = Rating(int(rating))
    except (TypeError, ValueError) as error:
        raise ActionRefused(_("Choose one of the five ratings."), "rating") from error
    if rating in POOR_RATINGS and not reason:
        raise ActionRefused(_("Please say why you are not satisfied."), "rating_reason")
    matter.rating = rating
    matter.rating_reason = reason
    matter.rated_at = clock.now()
    if matter.first_rating is None:
        matter.first_rating = rating
    MatterRating.objects.create(
        matter=matter, rating=rating, reason=reason, rated_at=matter.rated_at, replied_at=matter.replied_at
    )
    return ["rating", "rating_reason", "rated_at", "first_rating"]


def _reopen(matter, workdays=None, **kw):
    if matter.rating not in POOR_RATINGS:
        raise ActionRefused(_("Only a matter rated unsatisfied is reopened."), "not_poor")
    workdays = int(workdays or deadline_workdays_for(matter.category, matter.urgency))
    matter.state = workflow.ASSIGNED if matter.lead_unit_id else workflow.HANDLING
    matter.deadline_workdays = workdays
    matter.due_date = add_workdays(clock.today(), workdays)
    matter.return_due = None
    matter.extension_workdays = 0
    matter.paused_workdays = 0
    # The current rating makes way for the next round; every rating stays in MatterRating.
    for field in ("rating", "rated_at", "replied_at", "workdays_to_close", "closed_on_time"):
        setattr(matter, field, None)
    matter.rating_reason = ""
    return [
        "deadline_workdays",
        "due_date",
        "return_due",
        "extension_workdays",
        "paused_workdays",
        "rating",
        "rated_at",
        "replied_at",
        "workdays_to_close",
        "closed_on_time",
        "rating_reason",
    ]


def _close(matter, reason, **kw):
    if matter.rating not in POOR_RATINGS:
        raise ActionRefused(_("Only a matter rated unsatisfied is closed with an explanation."), "not_poor")
    matter.closing_explanation = reason
    return ["closing_explanation"]


def _archive(matter, kinds, **kw):
    if matter.state == workflow.RATED and matter.rating in POOR_RATINGS:
        raise ActionRefused(
            _("A matter rated unsatisfied must first be reopened or closed with an explanation by the county office."),
            "poor_rating",
        )
    if matter.state == workflow.REPLIED and "county_office" not in kinds:
        raise ActionRefused(_("Only the county office archives a matter the enterprise has not rated."), "unrated")
    matter.archived_at = clock.now()
    return ["archived_at"]


def _supervise(matter, reason, **kw):
    if matter.supervised:
        raise ActionRefused(_("The matter is already supervised."), "already")
    matter.supervised = True
    matter.supervision_note = reason
    return ["supervised", "supervision_note"]


def _unsupervise(matter, **kw):
    if not matter.supervised:
        raise ActionRefused(_("The matter is not supervised."), "not_supervised")
    matter.supervised = False
    return ["supervised"]


_APPLY = {
    "accept": _accept,
    "handle_self": _handle_self,
    "request_referral": _request_referral,
    "assign": _assign,
    "return_assignment": _return_assignment,
    "request_supplement": _request_supplement,
    "resume": _resume,
    "note": _note,
    "request_extension": _request_extension,
    "approve_extension": _approve_extension,
    "reject_extension": _reject_extension,
    "reply": _reply,
    "rate": _rate,
    "reopen": _reopen,
    "close": _close,
    "archive": _archive,
    "supervise": _supervise,
    "unsupervise": _unsupervise,
}
assert set(_APPLY) == set(workflow.ACTIONS), "every workflow action needs its rule"


def matter_attach(*, matter, uploads, is_public=True):
    """Add checked files to a matter (e.g. the enterprise's supplement)."""
    stored = []
    for upload in uploads:
        try:
            mime = check_upload(upload)
        except ValidationError as error:
            raise ActionRefused(" ".join(error.messages), "attachment") from error
        stored.append(_store_attachment(matter, upload, mime, is_public=is_public))
    return stored


def matter_contacts_erase_old(*, now, dry_run=False):
    """个人信息保护: a finished matter keeps its record (the ledgers and figures need it) but
    loses the contact's name, phone and e-mail PERSONAL_DATA_RETENTION_YEARS after its last
    change, as the privacy notice promises."""
    cutoff = now - datetime.timedelta(days=365 * settings.PERSONAL_DATA_RETENTION_YEARS)
    finished = Matter.objects.filter(
        state__in=[Matter.State.RATED, Matter.State.CLOSED, Matter.State.ARCHIVED], updated_at__lt=cutoff
    ).exclude(contact_name="", contact_phone="", contact_email="")
    count = finished.count()
    if not dry_run:
        # update() on purpose: erasing contacts is not a change of the matter (updated_at stays).
        finished.update(contact_name="", contact_phone="", contact_email="")
    return count
