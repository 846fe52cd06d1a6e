"""Writes of the policies app: the publishing workflow, change notes, the search index and
subscriptions. Every transition goes through `portal.core.workflow.transition` with the table below."""

import datetime
import re

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from portal.core import messaging, search
from portal.core.queue import enqueue_after_commit
from portal.models import Unit
from portal.core.workflow import Action, Workflow, transition

from .models import Policy, PolicyChange, Subscription
from .rendering import plain_text

# The publishing workflow, written down once; `portal.core.workflow.transition` applies it.
WORKFLOW = Workflow(
    Policy.Status,
    [
        Action("publish", _lazy("Publish"), (Policy.Status.DRAFT,), Policy.Status.PUBLISHED),
        Action("withdraw", _lazy("Withdraw"), (Policy.Status.PUBLISHED,), Policy.Status.WITHDRAWN, needs_reason=True),
        Action("return_to_draft", _lazy("Return to draft"), (Policy.Status.WITHDRAWN,), Policy.Status.DRAFT),
    ],
    state_refusal=_lazy("A %(state)s policy cannot become %(target)s."),
)

SUBSCRIPTION_SALT = "policies.subscription"
CONFIRM_MAX_AGE = 7 * 24 * 3600


# ---------------------------------------------------------------------- permissions


def can_edit(user, policy):
    """Unit staff edit their unit's drafts; the unit head also its published policies; the
    county office everything (policies/rules.py)."""
    return user.has_perm("policies.change_policy", policy)


def can_publish(user, policy):
    """Only the unit's head (or the county office) publishes and withdraws (policies/rules.py)."""
    return user.has_perm("policies.publish_policy", policy)


def policy_steps(user, policy):
    """The workflow steps open from the policy's status (the WORKFLOW table), as (action,
    reason): reason "" when `user` may take it now, else why not."""
    refusal = (
        ""
        if can_publish(user, policy)
        else _("Only the unit head or the county office may publish or withdraw a policy.")
    )
    return [(action, refusal) for action in WORKFLOW.allowed_from(policy.status)]


def _require_publisher(user, policy):
    if not can_publish(user, policy):
        raise PermissionDenied(_("Only the unit head or the county office may publish or withdraw a policy."))


# ---------------------------------------------------------------------- index number


def next_index_number(*, unit, year):
    """索引号: the unit's credit/organisation code, a slash, the year and a five-digit serial.
    The unit row is locked so that two publications never draw the same serial."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    code = unit.code or f"UNIT{unit.pk:06d}"
    prefix = f"{code}/{year}-"
    serials = [
        int(m.group(1))
        for m in (
            re.match(r"^.*-(\d+)$", n)
            for n in Policy.objects.filter(index_number__startswith=prefix).values_list("index_number", flat=True)
        )
        if m
    ]
    return f"{prefix}{max(serials, default=0) + 1:05d}"


# ---------------------------------------------------------------------- workflow


@transaction.atomic
def policy_publish(*, policy, user, publish_at=None):
    """Publish now or at `publish_at` (scheduled). Assigns the 索引号 if it has none."""
    now = timezone.now()
    when = publish_at or now
    reason = (
        _("Scheduled for %(when)s") % {"when": f"{timezone.localtime(when):%Y-%m-%d %H:%M}"}
        if when > now
        else _("Published")
    )

    def apply(policy):
        _require_publisher(user, policy)
        policy.full_clean()
        policy.published_at = when
        policy.published_on = policy.published_on or timezone.localdate(when)
        policy.published_by = user
        fields = ["published_at", "published_on", "published_by"]
        if not policy.index_number:
            year = (policy.written_on or policy.published_on).year
            policy.index_number = next_index_number(unit=policy.unit, year=year)
            fields.append("index_number")
        policy._change_reason = reason
        return fields

    policy = transition(policy, WORKFLOW, "publish", user=user, reason=reason, apply=apply)
    policy_reindex(policy=policy)
    return policy


@transaction.atomic
def policy_withdraw(*, policy, user, reason):
    """撤回: the record stays, with the reason; it disappears from every public place."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})

    def apply(policy):
        _require_publisher(user, policy)
        policy.withdrawn_at = timezone.now()
        policy.withdrawal_reason = reason[:300]
        policy._change_reason = _("Withdrawn: %(reason)s") % {"reason": reason}
        return ["withdrawn_at", "withdrawal_reason"]

    policy = transition(policy, WORKFLOW, "withdraw", user=user, reason=reason, apply=apply)
    policy_reindex(policy=policy)
    return policy


@transaction.atomic
def policy_return_to_draft(*, policy, user):
    """A withdrawn policy goes back to draft to be corrected and published again."""

    def apply(policy):
        _require_publisher(user, policy)
        policy._change_reason = _("Returned to draft")

    policy = transition(policy, WORKFLOW, "return_to_draft", user=user, apply=apply)
    policy_reindex(policy=policy)
    return policy


def policy_record_change(*, policy, user, note):
    """更新说明 for an update to a published policy; required, listed on the public page."""
    note = (note or "").strip()
    if not note:
        raise ValidationError({"change_note": _("Describe the change in a short note for the public page.")})
    change = PolicyChange.objects.create(policy=policy, note=note[:300], changed_by=user)
    policy_reindex(policy=policy)
    return change


# ---------------------------------------------------------------------- search index


def policy_reindex(*, policy):
    """Put the policy (and its interpretations) in the site search, or take it out: a job for
    the background worker (policies.tasks), which runs once the transaction has committed, so
    the index never shows something that was rolled back. The public counts change now."""
    from .selectors import bump_counts_version
    from .tasks import reindex_policy

    enqueue_after_commit(reindex_policy, policy.pk)
    transaction.on_commit(bump_counts_version)


def reindex_now(pk):
    policy = Policy.objects.select_related("unit").prefetch_related("themes", "interpretations").filter(pk=pk).first()
    if policy is None:
        search.remove_object("policy", pk)
        return
    listed = policy.status == Policy.Status.PUBLISHED
    interpretations = list(policy.interpretations.all())
    if not listed:
        search.remove_object("policy", policy.pk)
        for interpretation in interpretations:
            search.remove_object("interpretation", interpretation.pk)
        return
    index_policy_document(policy)
    for interpretation in interpretations:
        index_interpretation_document(interpretation, policy)


def index_policy_document(policy):
    themes = " ".join(t.name for t in policy.themes.all())
    search.index_object(
        "policy",
        policy.pk,
        title=policy.title,
        body=plain_text(policy.body),
        url=policy.get_absolute_url(),
        summary=policy.summary,
        date=policy.published_on,
        in_force=policy.in_force,
        unit=policy.unit,
        extra_terms=" ".join([policy.doc_number, policy.index_number or "", policy.issuer, policy.keywords, themes]),
        available_from=policy.published_at,
        validity="" if policy.in_force else policy.validity,
    )


def index_interpretation_document(interpretation, policy):
    # The policy's 文号 and title go in the body (lowest weight), so that the policy itself
    # ranks above its interpretations for a 文号 search.
    search.index_object(
        "interpretation",
        interpretation.pk,
        title=interpretation.title,
        body=f"{plain_text(interpretation.body)}\n{policy.doc_number} {policy.title}",
        url=interpretation.get_absolute_url(),
        summary=policy.title,
        date=interpretation.published_on,
        in_force=policy.in_force,
        unit=policy.unit,
        available_from=policy.published_at,
        validity="" if policy.in_force else policy.validity,
    )


def rebuild_index(*, batch=500, stdout=None):
    """Re-index every published policy (after a dictionary or synonym change)."""
    count = 0
    qs = (
        Policy.objects.filter(status=Policy.Status.PUBLISHED)
        .select_related("unit")
        .prefetch_related("themes", "interpretations")
        .order_by("pk")
    )
    for policy in qs.iterator(chunk_size=batch):
        index_policy_document(policy)
        for interpretation in policy.interpretations.all():
            index_interpretation_document(interpretation, policy)
        count += 1
    return count


# ---------------------------------------------------------------------- subscriptions


def _token(subscription, purpose):
    return signing.dumps({"id": subscription.pk, "p": purpose}, salt=SUBSCRIPTION_SALT, compress=True)


def subscription_token_read(token, purpose, max_age=None):
    try:
        data = signing.loads(token, salt=SUBSCRIPTION_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if data.get("p") != purpose:
        return None
    return Subscription.objects.filter(pk=data.get("id")).first()


def confirm_url(subscription):
    return reverse("policies:subscription_confirm", args=[_token(subscription, "confirm")])


def unsubscribe_url(subscription):
    return reverse("policies:unsubscribe", args=[_token(subscription, "unsubscribe")])


def _absolute(path):
    return getattr(settings, "SITE_URL", "http://127.0.0.1:8000").rstrip("/") + path


@transaction.atomic
def subscription_request(*, email, themes, industries):
    """Step 1 of the double opt-in: record the wish and mail a confirmation link. An existing
    address gets its choices updated and a new link; nothing is sent anywhere else."""
    email = email.strip().lower()
    subscription, _created = Subscription.objects.get_or_create(email=email)
    subscription.industries = sorted(set(industries))
    subscription.unsubscribed_at = None
    subscription.save(update_fields=["industries", "unsubscribed_at"])
    subscription.themes.set(themes)
    link = _absolute(confirm_url(subscription))
    context = {"subscription": subscription, "link": link}
    transaction.on_commit(
        lambda: _send(
            subscription, _("Confirm your policy subscription"), "policies/email/subscription_confirm.txt", context
        )
    )
    return subscription


def subscription_confirm(*, token):
    subscription = subscription_token_read(token, "confirm", max_age=CONFIRM_MAX_AGE)
    if subscription is None:
        return None
    if subscription.confirmed_at is None or subscription.unsubscribed_at:
        subscription.confirmed_at = timezone.now()
        subscription.unsubscribed_at = None
        subscription.last_sent_at = subscription.last_sent_at or timezone.now()
        subscription.save(update_fields=["confirmed_at", "unsubscribed_at", "last_sent_at"])
    return subscription


def subscription_cancel(*, token):
    subscription = subscription_token_read(token, "unsubscribe")
    if subscription is None:
        return None
    if subscription.unsubscribed_at is None:
        subscription.unsubscribed_at = timezone.now()
        subscription.save(update_fields=["unsubscribed_at"])
    return subscription


def _send(subscription, subject, template, context):
    unsubscribe = _absolute(unsubscribe_url(subscription))
    body = render_to_string(template, {**context, "unsubscribe": unsubscribe})
    messaging.send_email(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=body,
        to=[subscription.email],
        headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def digest_policies(subscription, since, until):
    qs = Policy.objects.published(now=until).filter(published_at__gt=since)
    theme_ids = list(subscription.themes.values_list("pk", flat=True))
    if theme_ids:
        qs = qs.filter(themes__in=theme_ids)
    if subscription.industries:
        from django.db.models import Q

        qs = qs.filter(Q(industries=[]) | Q(industries__overlap=subscription.industries))
    return list(qs.distinct().select_related("unit").order_by("-published_at")[:50])


def subscription_send_digests(*, now=None, dry_run=False):
    """发送订阅摘要: every active subscription gets the policies published since its last
    digest that match its themes and industries. Returns (mails sent, subscriptions checked)."""
    now = now or timezone.now()
    sent = checked = 0
    active = Subscription.objects.filter(confirmed_at__isnull=False, unsubscribed_at__isnull=True)
    for subscription in active.prefetch_related("themes"):
        checked += 1
        since = subscription.last_sent_at or subscription.confirmed_at
        policies = digest_policies(subscription, since, now)
        if not policies:
            continue
        if not dry_run:
            _send(
                subscription,
                _("New policies"),
                "policies/email/digest.txt",
                {"policies": policies, "site": _absolute(""), "subscription": subscription},
            )
            subscription.last_sent_at = now
            subscription.save(update_fields=["last_sent_at"])
        sent += 1
    return sent, checked


def subscriptions_purge_stale(*, now, dry_run=False):
    """个人信息保护: addresses never confirmed within UNCONFIRMED_PERSONAL_DATA_DAYS, and those
    that unsubscribed, are deleted (the privacy notice says so)."""
    cutoff = now - datetime.timedelta(days=settings.UNCONFIRMED_PERSONAL_DATA_DAYS)
    stale = Subscription.objects.filter(
        Q(confirmed_at__isnull=True, created_at__lt=cutoff) | Q(unsubscribed_at__isnull=False)
    )
    count = stale.count()
    if not dry_run:
        stale.delete()
    return count
