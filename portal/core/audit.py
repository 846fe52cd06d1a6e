"""Writes to the security audit log (portal.core.audit_models.AuditEntry).

Changes of roles, devices and scopes are caught where the rows change (model signals), so no
path — admin, workspace page, command, shell — writes one unseen; the request in hand (kept
by simple_history's HistoryRequestMiddleware) tells who and from which address.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from simple_history.models import HistoricalRecords

from portal.core.client_address import client_address
from portal.models import AuditEntry, Official

Kind = AuditEntry.Kind
MIN_RETENTION_DAYS = 184


def current_request():
    return getattr(HistoricalRecords.context, "request", None)


def audit_record(*, kind, action, subject="", detail="", actor=None, request=None):
    """Record one entry; `actor` and the address default to the request being served."""
    request = request if request is not None else current_request()
    if actor is None and request is not None:
        user = getattr(request, "user", None)
        actor = user if getattr(user, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        kind=kind,
        action=action,
        actor_id=actor.pk if actor is not None else None,
        actor_name=actor.get_username() if actor is not None else "",
        subject=str(subject)[:300],
        detail=str(detail),
        address=(client_address(request) or None) if request is not None else None,
        path=request.get_full_path()[:500] if request is not None else "",
    )


def _describe_user(user):
    return user.get_username()


def _remember_old(sender, instance, fields):
    """Keep the stored values of `fields` on the instance before it is saved."""
    old = None
    if instance.pk:
        old = sender._base_manager.filter(pk=instance.pk).values(*fields).first()
    instance._audit_old = old


# --- officials: role and unit (the unit is the official's scope) ---------------------------------


def _official_pre_save(sender, instance, raw=False, **kwargs):
    if not raw:
        _remember_old(sender, instance, ["role", "unit_id"])


def _official_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    old = getattr(instance, "_audit_old", None)
    subject = f"{instance.name} ({_describe_user(instance.user)})"
    if created or old is None:
        audit_record(
            kind=Kind.ROLE,
            action="official.created",
            subject=subject,
            detail=f"role={instance.role} unit={instance.unit}",
        )
        return
    if old["role"] != instance.role:
        audit_record(
            kind=Kind.ROLE,
            action="official.role_changed",
            subject=subject,
            detail=f"role: {old['role']} → {instance.role}",
        )
    if old["unit_id"] != instance.unit_id:
        audit_record(
            kind=Kind.SCOPE,
            action="official.unit_changed",
            subject=subject,
            detail=f"unit id: {old['unit_id']} → {instance.unit_id} ({instance.unit})",
        )


def _official_post_delete(sender, instance, **kwargs):
    audit_record(
        kind=Kind.ROLE,
        action="official.deleted",
        subject=instance.name,
        detail=f"role={instance.role} unit_id={instance.unit_id}",
    )


# --- user accounts: staff/superuser/active flags, groups and permissions ------------------------

USER_FLAGS = ["is_staff", "is_superuser", "is_active"]


def _user_pre_save(sender, instance, raw=False, **kwargs):
    if not raw:
        _remember_old(sender, instance, USER_FLAGS)


def _user_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    old = getattr(instance, "_audit_old", None)
    if created or old is None:
        if instance.is_staff or instance.is_superuser:
            audit_record(
                kind=Kind.ROLE,
                action="user.created",
                subject=_describe_user(instance),
                detail=" ".join(f"{flag}={getattr(instance, flag)}" for flag in USER_FLAGS),
            )
        return
    changes = [
        f"{flag}: {old[flag]} → {getattr(instance, flag)}"
        for flag in USER_FLAGS
        if old[flag] != getattr(instance, flag)
    ]
    if changes:
        audit_record(
            kind=Kind.ROLE, action="user.flags_changed", subject=_describe_user(instance), detail="; ".join(changes)
        )


def _m2m_changed(what):
    def handler(sender, instance, action, reverse, model, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear"):
            return
        if action != "post_clear" and not pk_set:
            return
        names = sorted(str(obj) for obj in model._base_manager.filter(pk__in=pk_set or ()))
        verb = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}[action]
        audit_record(kind=Kind.ROLE, action=f"{what}.{verb}", subject=str(instance), detail=", ".join(names))

    return handler


# --- second-factor devices ------------------------------------------------------------------------


def _device_pre_save(sender, instance, raw=False, **kwargs):
    if not raw:
        _remember_old(sender, instance, ["confirmed"])


def _device_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    old = getattr(instance, "_audit_old", None)
    was_confirmed = bool(old and old["confirmed"])
    if instance.confirmed and not was_confirmed:
        audit_record(
            kind=Kind.DEVICE,
            action="device.confirmed",
            subject=_describe_user(instance.user),
            detail=f"{sender._meta.model_name}: {instance.name}",
        )
    elif was_confirmed and not instance.confirmed:
        audit_record(
            kind=Kind.DEVICE,
            action="device.disabled",
            subject=_describe_user(instance.user),
            detail=f"{sender._meta.model_name}: {instance.name}",
        )


def _device_post_delete(sender, instance, **kwargs):
    if instance.confirmed:
        audit_record(
            kind=Kind.DEVICE,
            action="device.removed",
            subject=_describe_user(instance.user),
            detail=f"{sender._meta.model_name}: {instance.name}",
        )


def track_scope_changes(model, *, describe):
    """For an app's scope model (e.g. visits' liaison assignments): record each save and delete.
    `describe(instance)` says what the row grants to whom."""

    def saved(sender, instance, created, raw=False, **kwargs):
        if not raw:
            audit_record(
                kind=Kind.SCOPE,
                action=f"{model._meta.model_name}.{'created' if created else 'changed'}",
                subject=describe(instance),
            )

    def deleted(sender, instance, **kwargs):
        audit_record(kind=Kind.SCOPE, action=f"{model._meta.model_name}.deleted", subject=describe(instance))

    uid = f"audit-scope-{model._meta.label_lower}"
    post_save.connect(saved, sender=model, weak=False, dispatch_uid=f"{uid}-save")
    post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=f"{uid}-delete")


def connect_signals():
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    User = get_user_model()
    pre_save.connect(_official_pre_save, sender=Official, dispatch_uid="audit-official-pre")
    post_save.connect(_official_post_save, sender=Official, dispatch_uid="audit-official-post")
    post_delete.connect(_official_post_delete, sender=Official, dispatch_uid="audit-official-del")
    pre_save.connect(_user_pre_save, sender=User, dispatch_uid="audit-user-pre")
    post_save.connect(_user_post_save, sender=User, dispatch_uid="audit-user-post")
    m2m_changed.connect(
        _m2m_changed("user.groups"), sender=User.groups.through, weak=False, dispatch_uid="audit-user-groups"
    )
    m2m_changed.connect(
        _m2m_changed("user.permissions"),
        sender=User.user_permissions.through,
        weak=False,
        dispatch_uid="audit-user-perms",
    )
    m2m_changed.connect(
        _m2m_changed("group.permissions"),
        sender=Group.permissions.through,
        weak=False,
        dispatch_uid="audit-group-perms",
    )
    for device_model in (TOTPDevice, StaticDevice):
        label = device_model._meta.label_lower
        pre_save.connect(_device_pre_save, sender=device_model, dispatch_uid=f"audit-{label}-pre")
        post_save.connect(_device_post_save, sender=device_model, dispatch_uid=f"audit-{label}-post")
        post_delete.connect(_device_post_delete, sender=device_model, dispatch_uid=f"audit-{label}-del")


def retention_days():
    """How long entries are kept: AUDIT_RETENTION_DAYS, never under six months (网络安全法 第二十一条;
    184 days covers the longest six calendar months)."""
    return max(MIN_RETENTION_DAYS, getattr(settings, "AUDIT_RETENTION_DAYS", MIN_RETENTION_DAYS))


def audit_entries_purge(*, now, dry_run, keep_days=None):
    """Delete entries older than the retention period (only those); return how many."""
    keep_days = max(MIN_RETENTION_DAYS, keep_days or retention_days())
    old = AuditEntry.objects.older_than(now - datetime.timedelta(days=keep_days))
    count = old.count()
    if not dry_run and count:
        old.delete()
    return count
