"""Who a user is in the portal. Every app's access rules start from these few functions.

An official whose session still owes its second factor is no official here: every page,
preview, attachment and download that asks `official_of` or `sees_all_units` refuses it.
"""

from django.conf import settings
from django_otp import user_has_device

from portal.models import EnterpriseAccount, Official


def _official_profile(user):
    try:
        return user.official
    except Official.DoesNotExist:
        return None


def otp_required_for(user):
    """Whether the user's role must use a second factor: superusers and OTP_REQUIRED_ROLES."""
    if not getattr(user, "is_authenticated", False):
        return False
    official = _official_profile(user)
    return bool(user.is_superuser or (official and official.role in settings.OTP_REQUIRED_ROLES))


def needs_second_factor(user):
    """Superusers, officials of a role in OTP_REQUIRED_ROLES, and anyone who has set up an
    authenticator must confirm each login with a code (cached on the user object)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_portal_needs_second_factor", None)
    if cached is None:
        cached = bool(otp_required_for(user) or ((user.is_staff or _official_profile(user)) and user_has_device(user)))
        user._portal_needs_second_factor = cached
    return cached


def awaiting_second_factor(user):
    """True for a request user who must give a code and has not yet in this session.

    django-otp's OTPMiddleware gives every request user `is_verified()`; a user loaded
    outside a request (a command acting for someone) has none and is taken as it is.
    """
    is_verified = getattr(user, "is_verified", None)
    if is_verified is None or is_verified():
        return False
    return needs_second_factor(user)


def official_of(user):
    """The user's official profile, or None (also while the second factor is owed)."""
    if not getattr(user, "is_authenticated", False):
        return None
    official = _official_profile(user)
    if official is None or awaiting_second_factor(user):
        return None
    return official


def unit_of(user):
    official = official_of(user)
    return official.unit if official else None


def sees_all_units(user):
    """Superusers and the county office (县政府办) see every unit's records."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return not awaiting_second_factor(user)
    official = official_of(user)
    return bool(official and official.sees_everything)


def enterprise_account_of(user):
    """The user's enterprise account (confirmed or not), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.enterprise_account
    except EnterpriseAccount.DoesNotExist:
        return None


def acting_enterprise(user):
    """The enterprise the user may act for: only through a confirmed account."""
    account = enterprise_account_of(user)
    return account.enterprise if account and account.can_act else None


def has_role(user, *roles):
    official = official_of(user)
    return bool(official and official.role in roles)


# ---- the unit scope of a list (the vocabulary every list of unit-owned records reads through)


def default_unit(user):
    """The unit a record this user makes is filed under when nobody chose one: the official's own
    unit; None for the county office (and superusers), who file for any unit."""
    return None if sees_all_units(user) else unit_of(user)


def scope_to_own_unit(queryset, user, path="unit"):
    """`queryset` narrowed to the records of the units the user acts for (`path` leads from the
    record to its unit): all of them for the county office, the own unit's for any other
    official, none for anyone else."""
    if sees_all_units(user):
        return queryset
    unit = unit_of(user)
    return queryset.filter(**{path: unit.pk}) if unit is not None else queryset.none()


def unit_choices_for(user):
    """The units the user may file records for or read the figures of, as the choices of a unit
    field: None for the county office (any unit: the field keeps its own choices), the own unit
    for other officials, none for anyone else."""
    from portal.models import Unit

    return None if sees_all_units(user) else scope_to_own_unit(Unit.objects.all(), user, "pk")


def unit_scope(user):
    """(sees every unit, the own unit or None): the pair the visits querysets start from."""
    if sees_all_units(user):
        return True, None
    return False, unit_of(user)
