"""Appointment notices, both ways, through the notifications service (mail, and 短信 to the
enterprise's mobile number): the enterprise hears of a proposed, re-proposed, confirmed or
cancelled visit; the proposing official hears the enterprise's answer (accepted, another
time, declined) and a cancellation by the enterprise. Nobody is told of their own step."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from portal.core import messaging
from portal.core.access import official_of
from portal.models import EnterpriseAccount

TO_ENTERPRISE = ("propose", "reschedule", "accept_counter")
TO_OFFICIAL = ("accept", "counter", "decline")


def _when(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "—"


def _enterprise_addresses(enterprise):
    addresses = {enterprise.email.strip().lower(): enterprise.email.strip()} if enterprise.email else {}
    for email in (
        EnterpriseAccount.objects.confirmed()
        .filter(enterprise=enterprise, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    ):
        addresses.setdefault(email.strip().lower(), email.strip())
    return list(addresses.values())


def appointment_notify(*, appointment, action, by=None):
    """Queue the notices for `action` just performed on `appointment` by `by`."""
    by_official = official_of(by) is not None if by is not None else True
    if action in TO_ENTERPRISE or (action == "cancel" and by_official):
        _tell_enterprise(appointment, action)
    elif action in TO_OFFICIAL or action == "cancel":
        if by_official:  # an official recorded the answer given by phone: the unit knows
            return
        _tell_official(appointment, action)


def _tell_enterprise(appointment, action):
    with override(settings.LANGUAGE_CODE):
        context = {
            "unit": appointment.unit.name,
            "when": _when(appointment.starts_at),
            "purpose": appointment.purpose,
            "url": settings.SITE_BASE_URL.rstrip("/") + reverse("visits:my_appointment", args=[appointment.pk]),
        }
        if action in ("propose", "reschedule"):
            subject = _("Visit proposed for %(when)s") % context
            text = (
                _(
                    "%(unit)s proposes to visit your enterprise at %(when)s (%(purpose)s). Please accept, propose "
                    "another time or decline: %(url)s"
                )
                % context
            )
        elif action == "accept_counter":
            subject = _("Visit confirmed for %(when)s") % context
            text = _("%(unit)s agrees to visit your enterprise at the time you proposed, %(when)s.") % context
        else:
            subject = _("Visit on %(when)s cancelled") % context
            text = _("%(unit)s has cancelled the visit planned for %(when)s.") % context
    enterprise = appointment.enterprise
    messaging.send_email(subject=subject, body=text, to=_enterprise_addresses(enterprise))
    messaging.send_text(mobile=enterprise.contact_phone, text=text)


def _tell_official(appointment, action):
    official = appointment.proposed_by
    if official is None or not official.user.is_active or not official.user.email:
        return
    with override(settings.LANGUAGE_CODE):
        context = {
            "enterprise": appointment.enterprise.name,
            "when": _when(appointment.starts_at),
            "counter": _when(appointment.counter_starts_at),
            "note": appointment.response_note or "",
            "url": settings.SITE_BASE_URL.rstrip("/")
            + reverse("admin:visits_appointment_change", args=[appointment.pk]),
        }
        subject, text = {
            "accept": (
                _("%(enterprise)s accepted the visit on %(when)s"),
                _("%(enterprise)s accepted the visit on %(when)s. %(note)s\n\n%(url)s"),
            ),
            "counter": (
                _("%(enterprise)s proposes another time: %(counter)s"),
                _(
                    "%(enterprise)s cannot receive the visit on %(when)s and proposes %(counter)s. %(note)s\n\n"
                    "Agree to it or propose a new time: %(url)s"
                ),
            ),
            "decline": (
                _("%(enterprise)s declined the visit on %(when)s"),
                _("%(enterprise)s declined the visit on %(when)s. %(note)s\n\n%(url)s"),
            ),
            "cancel": (
                _("%(enterprise)s cancelled the visit on %(when)s"),
                _("%(enterprise)s cancelled the visit on %(when)s.\n\n%(url)s"),
            ),
        }[action]
        subject, text = subject % context, text % context
    messaging.send_email(subject=subject, body=text, to=[official.user.email])
