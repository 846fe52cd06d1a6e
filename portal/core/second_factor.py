"""The second factor (TOTP authenticator app, plus one-time recovery codes for a lost phone).

A confirmed authenticator is replaced only by its holder after a current code (or a
recovery code), or removed by the county office (`second_factor_reset`). Every change of a
device is written to the audit log by portal.core.audit's device signals.
"""

from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.core.access import otp_required_for, sees_all_units  # noqa: F401  (re-exported)
from portal.core.audit import audit_record
from portal.models import AuditEntry

RECOVERY_CODE_COUNT = 10


def confirmed_authenticator(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def pending_authenticator(user):
    """The not-yet-confirmed authenticator whose secret the setup page shows (made once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def device_for_code(user, code):
    """The device a typed code belongs to: 6 digits are the app's, anything else a recovery code."""
    code = (code or "").strip()
    if code.isdigit():
        return confirmed_authenticator(user)
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def verify_code(user, code):
    """The device that accepts `code` now (throttled by django-otp), or None."""
    device = device_for_code(user, code)
    if device is None:
        return None
    allowed, _extra = device.verify_is_allowed()
    if not allowed:
        return None
    return device if device.verify_token((code or "").strip().replace(" ", "")) else None


@transaction.atomic
def authenticator_confirm(*, user, device, code):
    """Confirm the pending `device` with a code from it; it replaces any earlier authenticator.
    The caller has checked that the user may replace one. Returns True on success."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(code):
        return False
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


@transaction.atomic
def recovery_codes_issue(*, user):
    """Ten new one-time recovery codes (the old ones stop working); shown to the user once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, defaults={"name": _("Recovery codes")})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(
        kind=AuditEntry.Kind.DEVICE,
        action="recovery_codes.issued",
        subject=user.get_username(),
        detail=f"{len(codes)} codes",
    )
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def can_reset_second_factor(by):
    """Only the county office (and superusers) reset another official's second factor."""
    return by.has_perm("portal.reset_second_factor")


@transaction.atomic
def second_factor_reset(*, user, by):
    """Remove every device of `user` (lost phone and codes): their next login sets up a new
    authenticator. Audited by the device signals and by this entry naming who reset it."""
    if not can_reset_second_factor(by):
        raise PermissionError("only the county office resets a second factor")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(kind=AuditEntry.Kind.DEVICE, action="second_factor.reset", subject=user.get_username(), actor=by)
