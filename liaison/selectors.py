"""Reads for matters. Every list starts from `Matter.objects.visible_to(user)`."""

from dataclasses import dataclass
from typing import Callable

from django.contrib.auth.hashers import make_password
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core.workdays import add_workdays, workdays_between

from . import clock
from .deadlines import NEAR_DUE_WORKDAYS
from .models import Matter, MatterAttachment, MatterEvent
from .workflow import FINISHED_STATES


def matters_for_sources(sources):
    """{source pk: Matter} for records of one model that became matters (a survey's findings,
    a visit's problems), looked up by their source; each matter's `is_finished` says whether
    it has been replied to or closed."""
    sources = list(sources)
    if not sources:
        return {}
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(sources[0])
    matters = Matter.objects.filter(source_type=content_type, source_id__in=[str(s.pk) for s in sources]).only(
        "id", "source_id", "state"
    )
    found = {}
    for matter in matters:
        matter.is_finished = matter.state in FINISHED_STATES
        found[int(matter.source_id)] = matter
    return found


def matters_for_enterprise(enterprise, user):
    """The matters of one enterprise that `user` may see (一企一档), newest first."""
    return (
        Matter.objects.visible_to(user)
        .filter(enterprise=enterprise)
        .select_related("received_by", "lead_unit", "responsible_unit")
        .order_by("-received_at", "-id")
    )


def matter_list_for(user):
    """The officials' list: visible matters with what the list shows, in one query."""
    return (
        Matter.objects.visible_to(user)
        .select_related("received_by", "lead_unit", "responsible_unit", "enterprise")
        .order_by("-received_at", "-id")
    )


def matter_by_tracking(tracking_number, query_code):
    """The matter for a tracking number AND its query code, or None. Both must match; an
    unknown number costs the same hashing time as a wrong code."""
    number = (tracking_number or "").strip().upper()
    code = (query_code or "").strip().upper()
    if not number or not code:
        return None
    matter = Matter.objects.filter(tracking_number=number).first()
    if matter is None:
        make_password(code)
        return None
    return matter if matter.check_query_code(code) else None


def public_timeline(matter):
    """Events the enterprise sees."""
    return matter.events.public().select_related("actor_unit").order_by("created_at", "id")


def full_timeline(matter):
    return matter.events.select_related("actor_unit").order_by("created_at", "id")


def public_attachments(matter):
    return matter.attachments.filter(is_public=True)


def attachment_for(public_id):
    return MatterAttachment.objects.select_related("matter").filter(public_id=public_id).first()


def near_due_horizon(today=None):
    return add_workdays(today or clock.today(), NEAR_DUE_WORKDAYS)


REVIEW_QUEUE_LIMIT = 30


@dataclass(frozen=True)
class QueueSection:
    """One section of the county office's review queue, written down once: a section added
    here gets its tab, its count, its rows, its 等待时长 and its buttons with no other change."""

    key: str
    label: str
    rows: Callable  # (visible matters, today) -> the section's matters, oldest wait first
    changelist_query: str  # the same list on the matters' changelist
    waiting_since: str = ""  # the MatterEvent action that started the wait ("": the matter's receipt)
    waiting_since_label: str = ""
    next_steps: tuple = ()  # the county office's steps offered on each row, the first one primary


QUEUE_SECTIONS = [
    QueueSection(
        "referral_requests",
        _("Referral requests waiting"),
        lambda qs, today: qs.referral_requests().order_by("received_at", "id"),
        "?state__exact=referral_requested",
        "request_referral",
        _("since the request"),
        ("assign",),
    ),
    QueueSection(
        "extension_requests",
        _("Extension requests"),
        lambda qs, today: qs.extension_requests().order_by("due_date", "id"),
        "?due=extension",
        "request_extension",
        _("since the request"),
        ("approve_extension", "reject_extension"),
    ),
    QueueSection(
        "returned",
        _("Assignments returned"),
        lambda qs, today: qs.returned().select_related("returned_by_unit").order_by("received_at", "id"),
        "?state__exact=returned",
        "return_assignment",
        _("since the return"),
        ("assign",),
    ),
    QueueSection(
        "return_window",
        _("Assignments that may still be returned"),
        lambda qs, today: qs.near_due(today, near_due_horizon(today), ["return"]).order_by("return_due", "id"),
        "?due=return_window",
        "assign",
        _("since the assignment"),
        ("note",),
    ),
    QueueSection(
        "overdue",
        _("Overdue"),
        lambda qs, today: qs.overdue(today).order_by("received_at", "id"),
        "?due=overdue",
        "",
        _("since received"),
        ("supervise", "note"),
    ),
    QueueSection(
        "near_due",
        _("Due within 2 working days"),
        lambda qs, today: qs.near_due(today, near_due_horizon(today)).order_by("received_at", "id"),
        "?due=near",
        "",
        _("since received"),
        ("supervise", "note"),
    ),
    QueueSection(
        "supervised",
        _("Supervised (督办)"),
        lambda qs, today: qs.supervised().order_by("due_date", "id"),
        "?supervised__exact=1",
        "supervise",
        _("since supervision began"),
        ("note", "unsupervise"),
    ),
    QueueSection(
        "unsatisfied",
        _("Unsatisfied ratings"),
        lambda qs, today: qs.unsatisfied().order_by("rated_at", "id"),
        "?state__exact=rated",
        "rate",
        _("since the rating"),
        ("reopen", "close"),
    ),
]


def queue_section(key):
    return next((section for section in QUEUE_SECTIONS if section.key == key), None)


def review_queue_counts(user, today=None):
    """(section, how many matters) for every section of the queue."""
    today = today or clock.today()
    base = matter_list_for(user)
    return [(section, section.rows(base, today).count()) for section in QUEUE_SECTIONS]


def review_queue_rows(user, section, today=None):
    """The first REVIEW_QUEUE_LIMIT matters of `section`, each with `waiting_since` (a date) and
    `waited_workdays` (working days since then, today counted): two queries whatever the rows."""
    today = today or clock.today()
    rows = list(section.rows(matter_list_for(user), today)[:REVIEW_QUEUE_LIMIT])
    started = {}
    if section.waiting_since and rows:
        started = dict(
            MatterEvent.objects.filter(matter__in=rows, action=section.waiting_since)
            .values("matter_id")
            .annotate(last=Max("created_at"))
            .values_list("matter_id", "last")
        )
    for matter in rows:
        since = started.get(matter.pk) or matter.received_at
        matter.waiting_since = timezone.localdate(since) if since else today
        matter.waited_workdays = workdays_between(matter.waiting_since, today)
    return rows


def review_queue(user, today=None):
    """The county office's queue: every section's key, total and first rows."""
    today = today or clock.today()
    return [
        (section.key, count, review_queue_rows(user, section, today) if count else [])
        for section, count in review_queue_counts(user, today)
    ]
