"""New officials' accounts: created without a password, opened with a one-time link.

The link carries a signed, timestamped token bound to the account's current password hash:
it stops working once the password is set (the hash changes) or after
settings.WELCOME_LINK_DAYS. It reaches the official by e-mail, or on a printed A4 sheet the
unit hands over (portal/core/welcome_sheets.py). No password ever travels in a file.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from portal.core import messaging
from portal.core.access import otp_required_for
from portal.models import Official
from portal.core.roles import GROUP_NAMES, group_for

SALT = "portal.core.onboarding.welcome"


def link_days():
    return int(getattr(settings, "WELCOME_LINK_DAYS", 14))


def _state(user):
    """Changes when the password is set, so a used link is dead."""
    return salted_hmac(SALT, f"{user.pk}:{user.password}", algorithm="sha256").hexdigest()[:12]


def welcome_token(user):
    return signing.TimestampSigner(salt=SALT, algorithm="sha256").sign(f"{user.pk}.{_state(user)}")


def user_for_welcome_token(token):
    """The account the token opens, or None when it is forged, used or expired."""
    try:
        value = signing.TimestampSigner(salt=SALT, algorithm="sha256").unsign(token, max_age=link_days() * 86400)
    except signing.BadSignature:
        return None
    pk, _sep, state = value.partition(".")
    user = get_user_model().objects.filter(pk=pk if pk.isdigit() else None, is_active=True).first()
    if user is None or user.has_usable_password() or not constant_time_compare(state, _state(user)):
        return None
    return user


def welcome_url(user):
    return settings.SITE_BASE_URL.rstrip("/") + reverse("portal:welcome", args=[welcome_token(user)])


def awaiting_first_login():
    """Officials whose account has not been opened yet (no password set)."""
    return Official.objects.filter(user__password__startswith=UNUSABLE_PASSWORD_PREFIX, user__is_active=True)


def official_save(*, username, name, unit, role, post="", phone="", email=""):
    """Create or update an official and their account (natural key: the username). A new
    account has no password: it is opened with the welcome link. Returns (official, created)."""
    User = get_user_model()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=username).first()
        created = user is None
        if created:
            user = User(username=username, is_staff=True)
            user.set_unusable_password()
        user.email = email
        user.is_staff = True
        user.full_clean(exclude=["password"])
        user.save()
        official = Official.objects.filter(user=user).first() or Official(user=user)
        official.name, official.unit, official.role, official.post, official.phone = name, unit, role, post, phone
        official.full_clean()
        official.save()
        role_groups = [group for group in user.groups.all() if group.name in GROUP_NAMES.values()]
        user.groups.remove(*[g for g in role_groups if g.name != GROUP_NAMES[role]])
        user.groups.add(group_for(role))
    return official, created


def welcome_mail_send(official):
    """E-mail the official their one-time link (queued after the transaction commits)."""
    user = official.user
    url = welcome_url(user)
    subject = _("Your account on %(site)s") % {"site": settings.COUNTY_NAME + settings.SITE_NAME}
    body = _(
        "%(name)s:\n\nAn account has been opened for you on %(site)s (user name: %(username)s).\n"
        "Open this link within %(days)d days to choose your password%(otp)s:\n\n%(url)s\n\n"
        "The link works once. If it has expired, ask the county government office for a new one.\n"
    ) % {
        "name": official.name,
        "site": settings.COUNTY_NAME + settings.SITE_NAME,
        "username": user.username,
        "days": link_days(),
        "url": url,
        "otp": _(" and set up your authenticator app") if otp_required_for(user) else "",
    }
    transaction.on_commit(lambda: messaging.send_email(subject=subject, body=body, to=[user.email]))
