"""Writes on the shared schema: enterprise accounts and their confirmation."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from portal.models import EnterpriseAccount
from portal.core.workflow import Action, Workflow, transition

# An enterprise account's confirmation by its town, written down once. A decision may be
# revised (a rejected registration confirmed after all, a confirmed one withdrawn).
_A = EnterpriseAccount.Status
ACCOUNT_WORKFLOW = Workflow(
    _A,
    [
        Action("confirm", _lazy("Confirm"), (_A.PENDING, _A.REJECTED), _A.CONFIRMED),
        Action("reject", _lazy("Reject"), (_A.PENDING, _A.CONFIRMED), _A.REJECTED),
    ],
)


def enterprise_account_register(*, username, password, email, enterprise, real_name, phone, position=""):
    """Self-registration: the account exists at once but cannot act until confirmed."""
    with transaction.atomic():
        user = get_user_model().objects.create_user(username=username, password=password, email=email)
        account = EnterpriseAccount(
            user=user, enterprise=enterprise, real_name=real_name, phone=phone, position=position
        )
        account.full_clean()
        account.save()
    return account


def can_decide_account(user, account):
    """Staff of the enterprise's own town (or the county office) confirm its accounts
    (portal/rules.py)."""
    return bool(user is not None and user.has_perm("portal.change_enterpriseaccount", account))


def _decide(account, *, by, action, note):
    if not can_decide_account(by, account):
        raise PermissionDenied(_("Only staff of the enterprise's town can confirm its accounts."))

    def apply(locked):
        locked.decided_by, locked.decided_at, locked.decision_note = by, timezone.now(), note
        return ["decided_by", "decided_at", "decision_note"]

    return transition(account, ACCOUNT_WORKFLOW, action, user=by, reason=note, apply=apply)


def enterprise_account_confirm(*, account, by, note=""):
    """ActionRefused when the account is confirmed already."""
    return _decide(account, by=by, action="confirm", note=note)


def enterprise_account_reject(*, account, by, note=""):
    """ActionRefused when the account is rejected already."""
    return _decide(account, by=by, action="reject", note=note)


def enterprise_accounts_purge_stale(*, now, dry_run=False):
    """个人信息保护: registrations rejected, or never confirmed, for longer than
    UNCONFIRMED_PERSONAL_DATA_DAYS are deleted with their user (the privacy notice says so)."""
    cutoff = now - datetime.timedelta(days=settings.UNCONFIRMED_PERSONAL_DATA_DAYS)
    stale = EnterpriseAccount.objects.filter(
        Q(status=EnterpriseAccount.Status.REJECTED, decided_at__lt=cutoff)
        | Q(status=EnterpriseAccount.Status.PENDING, created_at__lt=cutoff)
    )
    users = get_user_model().objects.filter(enterprise_account__in=stale, is_staff=False)
    count = users.count()
    if not dry_run:
        users.delete()
    return count
