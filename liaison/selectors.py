"""Reads for matters. Every list starts from `Matter.objects.visible_to(user)`."""
from django.contrib.auth.hashers import make_password

from portal.workdays import add_workdays

from . import clock
from .deadlines import NEAR_DUE_WORKDAYS
from .models import Matter, MatterAttachment


def matters_for_enterprise(enterprise, user):
    """The matters of one enterprise that `user` may see (一企一档), newest first."""
    return (Matter.objects.visible_to(user).filter(enterprise=enterprise)
            .select_related("received_by", "lead_unit", "responsible_unit").order_by("-received_at", "-id"))


def matter_list_for(user):
    """The officials' list: visible matters with what the list shows, in one query."""
    return (Matter.objects.visible_to(user)
            .select_related("received_by", "lead_unit", "responsible_unit", "enterprise")
            .order_by("-received_at", "-id"))


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


def review_queue(user, today=None):
    """The county office's queue: five sections, each the first 50 rows plus a total."""
    today = today or clock.today()
    base = matter_list_for(user)
    sections = [
        ("referral_requests", base.referral_requests().order_by("received_at", "id")),
        ("extension_requests", base.extension_requests().order_by("due_date", "id")),
        ("returned", base.returned().select_related("returned_by_unit").order_by("received_at", "id")),
        ("overdue", base.overdue(today).order_by("received_at", "id")),
        ("near_due", base.near_due(today, near_due_horizon(today)).order_by("received_at", "id")),
        ("supervised", base.supervised().order_by("due_date", "id")),
        ("unsatisfied", base.unsatisfied().order_by("rated_at", "id")),
    ]
    return [(key, qs.count(), list(qs[:REVIEW_QUEUE_LIMIT])) for key, qs in sections]
