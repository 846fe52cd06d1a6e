"""Mail to the officials who must act next on a matter, so that no matter waits unseen.

`NOTICES` is the one table: for each workflow action (and "create", a matter arriving in a
unit's inbox) the officials told and what they are asked to do; None: nobody is mailed.
`ENTERPRISE_NOTICES` is the enterprise's: the key moments it is told of by mail and, when
its contact gave a mobile number, by text message (短信).

`services` calls `notify_on_commit` after writing the step's MatterEvent: the mails go when
the transaction commits (never for a refused or rolled-back step), one per address, in the
site's language (the actor may be browsing in English), to active users with an address,
never to the actor. They never carry the query code.
"""

import logging
from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

from portal.core import messaging
from portal.core.access import official_of
from portal.models import EnterpriseAccount, Official

from . import workflow
from .models import POOR_RATINGS

logger = logging.getLogger(__name__)


# ---------------------------------------------------------------------------- who
def _receiving_unit(matter, kinds):
    return Official.objects.acting_for([matter.received_by_id])


def _handling_unit(matter, kinds):
    return Official.objects.acting_for([matter.lead_unit_id or matter.received_by_id])


def _handling_and_cooperating_units(matter, kinds):
    cooperating = matter.cooperations.values_list("unit_id", flat=True)
    return Official.objects.acting_for([matter.lead_unit_id or matter.received_by_id, *cooperating])


def _county_office(matter, kinds):
    return Official.objects.county_office()


def _county_office_if_unsatisfied(matter, kinds):
    return Official.objects.county_office() if matter.rating in POOR_RATINGS else None


def _handling_unit_if_enterprise_answered(matter, kinds):
    # The handler may resume a matter itself (the enterprise answered by phone): then the
    # unit knows already.
    return None if "handler" in kinds else _handling_unit(matter, kinds)


# ---------------------------------------------------------------------------- the table
@dataclass(frozen=True)
class Notice:
    recipients: Callable  # (matter, actor's workflow kinds) -> Official queryset, or None
    message: str  # what happened and what the recipients should do (%-formatted, see _context)
    subject: str = ""  # the action in the subject; default: the workflow's label


NOTICES = {
    # A new matter in a unit's inbox, from any channel: the unit must accept it (受理时限).
    "create": Notice(
        _receiving_unit,
        gettext_lazy(
            "A new matter has been received by %(receiver)s (channel: %(channel)s). Please accept it by %(accept_due)s."
        ),
        gettext_lazy("New matter"),
    ),
    # Accepting, handling oneself, notes, replies, closing, archiving: the one who acted is
    # the one who acts next (or nobody must); the enterprise's mails are sent by services.
    "accept": None,
    "handle_self": None,
    "note": None,
    "request_supplement": None,
    "reply": None,
    "close": None,
    "archive": None,
    "unsupervise": None,
    # The county office decides: refer, re-assign, extend, reopen or close.
    "request_referral": Notice(
        _county_office,
        gettext_lazy(
            "%(receiver)s asks the county office to refer this matter to the unit that can solve it. Please assign it."
        ),
    ),
    "return_assignment": Notice(
        _county_office, gettext_lazy("%(returned_by)s has returned the assignment. Please assign the matter again.")
    ),
    "request_extension": Notice(
        _county_office,
        gettext_lazy(
            "%(handler)s asks for %(requested_days)d more working days. Please approve or refuse the extension."
        ),
    ),
    # 差评 (the last two levels): the county office reopens it or closes it with an explanation.
    # A satisfied rating needs nobody.
    "rate": Notice(
        _county_office_if_unsatisfied,
        gettext_lazy(
            "The enterprise rated the reply “%(rating)s”. Please reopen the matter or close it with an explanation."
        ),
        gettext_lazy("Unsatisfied rating"),
    ),
    # Assigned (or re-assigned): the lead unit and each cooperating unit start work.
    "assign": Notice(
        _handling_and_cooperating_units,
        gettext_lazy(
            "The county office has assigned this matter to %(lead)s (lead unit)%(cooperating)s. Please handle it "
            "by the deadline."
        ),
    ),
    # Reopened after 差评: the same units handle it again, with a new deadline.
    "reopen": Notice(
        _handling_and_cooperating_units,
        gettext_lazy(
            "The county office has reopened this matter after an unsatisfied rating. Please handle it again by "
            "the new deadline."
        ),
    ),
    # The unit asked for an extension and its deadline depends on the answer.
    "approve_extension": Notice(
        _handling_unit, gettext_lazy("The county office has approved the extension. The new deadline is below.")
    ),
    "reject_extension": Notice(
        _handling_unit, gettext_lazy("The county office has refused the extension. The deadline stays as below.")
    ),
    # 督办: the county office presses the unit that answers for the matter.
    "supervise": Notice(
        _handling_unit,
        gettext_lazy(
            "The county office is supervising this matter (督办). Please report progress and answer by the deadline."
        ),
    ),
    # 待企业补充 → the enterprise has answered: back on the handling unit's desk, clock running.
    "resume": Notice(
        _handling_unit_if_enterprise_answered,
        gettext_lazy(
            "The enterprise has supplied the information asked for; the clock runs again. Please continue "
            "handling the matter."
        ),
    ),
}
assert set(NOTICES) == set(workflow.ACTIONS) | {"create"}, "every workflow action needs a line in NOTICES"


# ---------------------------------------------------------------------------- sending
def notify_on_commit(event, *, kinds=frozenset()):
    """Mail the officials `NOTICES` names for `event` once the transaction commits."""
    if NOTICES.get(event.action) is not None:
        transaction.on_commit(lambda: _notify_quietly(event, kinds))


def _notify_quietly(event, kinds):
    # The step is committed; a failure to mail must not turn it into an error page.
    try:
        notify_officials(event, kinds=kinds)
    except Exception:
        logger.exception("Mail to officials for %s %s failed", event.matter.tracking_number, event.action)


def notify_officials(event, *, kinds=frozenset()):
    """Send the mails for `event` now; returns how many were sent."""
    notice = NOTICES.get(event.action)
    if notice is None:
        return 0
    officials = notice.recipients(event.matter, kinds)
    if officials is None:
        return 0
    addresses = recipient_addresses(officials, actor=event.actor)
    if not addresses:
        return 0
    with override(settings.LANGUAGE_CODE):
        subject, body = _render(notice, event)
    for address in addresses:
        messaging.send_email(subject=subject, body=body, to=[address])
    return len(addresses)


def recipient_addresses(officials, *, actor=None):
    """Distinct addresses of active users among `officials`, without the actor's."""
    officials = officials.filter(user__is_active=True).exclude(user__email="")
    skip = set()
    if actor is not None:
        officials = officials.exclude(user_id=actor.pk)
        if actor.email:
            skip.add(actor.email.strip().lower())
    addresses = {}
    for email in officials.order_by("user__email").values_list("user__email", flat=True):
        key = email.strip().lower()
        if key and key not in skip:
            addresses.setdefault(key, email.strip())
    return list(addresses.values())


def _context(matter):
    cooperating = [
        c.unit.name for c in matter.cooperations.select_related("unit").order_by("unit__sort_order", "unit__name")
    ]
    return {
        "receiver": matter.received_by.name,
        "handler": matter.handling_unit.name,
        "lead": matter.lead_unit.name if matter.lead_unit_id else "",
        "cooperating": (_(", with %(units)s cooperating") % {"units": "、".join(cooperating)}) if cooperating else "",
        "cooperating_list": "、".join(cooperating),
        "returned_by": matter.returned_by_unit.name if matter.returned_by_unit_id else "",
        "channel": matter.get_channel_display(),
        "accept_due": f"{matter.accept_due:%Y-%m-%d}",
        "requested_days": matter.extension_requested_days,
        "rating": matter.get_rating_display() if matter.rating else "",
    }


def _deadline(matter):
    if matter.due_date is None:
        return ""
    date = f"{matter.due_date:%Y-%m-%d}"
    if not matter.deadline_workdays:
        return date
    if matter.extension_workdays:
        return _("%(date)s (%(n)d working days, extended by %(extra)d)") % {
            "date": date,
            "n": matter.deadline_workdays,
            "extra": matter.extension_workdays,
        }
    return _("%(date)s (%(n)d working days)") % {"date": date, "n": matter.deadline_workdays}


def _render(notice, event):
    matter = event.matter
    context = _context(matter)
    action = notice.subject or workflow.ACTION_LABELS.get(event.action, event.action)
    subject = _("Matter %(number)s: %(action)s") % {"number": matter.tracking_number, "action": action}
    lines = [
        str(notice.message) % context,
        "",
        _("Tracking number: %(value)s") % {"value": matter.tracking_number},
        _("Title: %(value)s") % {"value": matter.title},
        _("Enterprise: %(value)s") % {"value": matter.display_enterprise or "—"},
    ]
    if matter.lead_unit_id:
        lines.append(_("Lead unit: %(value)s") % {"value": context["lead"]})
    if context["cooperating_list"]:
        lines.append(_("Cooperating units: %(value)s") % {"value": context["cooperating_list"]})
    deadline = _deadline(matter)
    if deadline:
        lines.append(_("Deadline: %(value)s") % {"value": deadline})
    elif event.action == "create":
        lines.append(_("Accept by: %(value)s") % {"value": context["accept_due"]})
    text = matter.description if event.action == "create" else event.reason
    if text:
        lines += ["", _("Reason or text of this step:"), text]
    by = event.actor_name or "—"
    official = official_of(event.actor) if event.actor_id else None
    if official is not None:  # (a matter's "create" event names the receiving unit for anyone)
        by = f"{by}（{official.unit.name}）"
    lines += ["", _("By: %(value)s") % {"value": by}]
    url = settings.SITE_BASE_URL.rstrip("/") + reverse("admin:liaison_matter_change", args=[matter.pk])
    lines += [
        "",
        _("Open the matter: %(url)s") % {"url": url},
        "",
        _("This mail goes to the officials who act next on this matter in %(site)s. Please do not reply to it.")
        % {"site": settings.SITE_NAME},
    ]
    return subject, "\n".join(lines)


# ---------------------------------------------------------------------------- the enterprise
@dataclass(frozen=True)
class EnterpriseNotice:
    subject: str  # %(number)s
    message: str  # %-formatted with _enterprise_context
    with_text: bool = False  # the step's text (when public) goes in the mail


ENTERPRISE_NOTICES = {
    "accept": EnterpriseNotice(
        gettext_lazy("Matter %(number)s accepted"),
        gettext_lazy("%(receiver)s has accepted your matter “%(title)s” and will answer by %(due)s."),
    ),
    "assign": EnterpriseNotice(
        gettext_lazy("Matter %(number)s assigned"),
        gettext_lazy(
            "The county office has assigned your matter “%(title)s” to %(handler)s, which will answer by %(due)s."
        ),
    ),
    "approve_extension": EnterpriseNotice(
        gettext_lazy("Matter %(number)s: deadline extended"),
        gettext_lazy("The deadline for your matter “%(title)s” has been extended; the new deadline is %(due)s."),
    ),
    "reply": EnterpriseNotice(
        gettext_lazy("Matter %(number)s has been answered"),
        gettext_lazy("%(handler)s has replied to your matter “%(title)s”. Please read the reply and rate it."),
        with_text=True,
    ),
    "request_supplement": EnterpriseNotice(
        gettext_lazy("Matter %(number)s: information needed"),
        gettext_lazy("%(handler)s, handling your matter “%(title)s”, needs more from you."),
        with_text=True,
    ),
    "reopen": EnterpriseNotice(
        gettext_lazy("Matter %(number)s reopened"),
        gettext_lazy("Your matter “%(title)s” is being handled again by %(handler)s; the new deadline is %(due)s."),
    ),
}


def notify_enterprise_on_commit(event):
    """Tell the enterprise of `event` (mail, and 短信 to a mobile number) once it commits."""
    if event.action in ENTERPRISE_NOTICES:
        transaction.on_commit(lambda: notify_enterprise(event))


def notify_enterprise(event):
    """Queue the enterprise's mail and text message for `event`; returns how many."""
    notice = ENTERPRISE_NOTICES.get(event.action)
    matter = event.matter
    if notice is None:
        return 0
    with override(settings.LANGUAGE_CODE):
        context = {
            "number": matter.tracking_number,
            "title": matter.title,
            "receiver": matter.received_by.name,
            "handler": matter.handling_unit.name,
            "due": f"{matter.due_date:%Y-%m-%d}" if matter.due_date else "—",
        }
        lead = str(notice.message) % context
        subject = str(notice.subject) % context
        site = settings.SITE_BASE_URL.rstrip("/")
        url = site + reverse("liaison:track")
        if matter.contact_email:
            tail = _("See the matter and answer or rate it at %(url)s with your tracking number and query code.") % {
                "url": url
            }
        else:  # mailed to its accounts (a matter raised at a visit): no query code was ever given
            tail = _("Log in and see the matter, answer or rate it under My enterprise at %(url)s.") % {
                "url": site + reverse("liaison:mine_detail", args=[matter.tracking_number])
            }
        text = event.reason if notice.with_text and event.is_public else ""
        body = "\n\n".join(part for part in (lead, text, tail) if part)
        short = _("%(lead)s Tracking number %(number)s; details at %(url)s") % {
            "lead": lead,
            "number": matter.tracking_number,
            "url": url,
        }
    sent = 0
    for address in enterprise_addresses(matter):
        messaging.send_email(subject=subject, body=body, to=[address])
        sent += 1
    if messaging.send_text(mobile=matter.contact_phone, text=short):
        sent += 1
    return sent


def enterprise_addresses(matter):
    """Where the enterprise is mailed: the matter's contact address; without one (a problem
    raised at a visit takes the enterprise's record, often without e-mail), the addresses of
    the enterprise's confirmed accounts, who follow the matter in 我的企业."""
    if matter.contact_email:
        return [matter.contact_email]
    if not matter.enterprise_id:
        return []
    addresses = {}
    for email in (
        EnterpriseAccount.objects.confirmed()
        .filter(enterprise_id=matter.enterprise_id, user__is_active=True)
        .exclude(user__email="")
        .order_by("user__email")
        .values_list("user__email", flat=True)
    ):
        addresses.setdefault(email.strip().lower(), email.strip())
    return list(addresses.values())
