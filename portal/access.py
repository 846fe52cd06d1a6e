"""Who a user is in the portal. Every app's access rules start from these few functions."""
from .models import EnterpriseAccount, Official


def official_of(user):
    """The user's official profile, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.official
    except Official.DoesNotExist:
        return None


def unit_of(user):
    official = official_of(user)
    return official.unit if official else None


def sees_all_units(user):
    """Superusers and the county office (县政府办) see every unit's records."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
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
