"""The security audit log: refused attempts at official pages and every change of an
official's role, second-factor devices and scope. Kept at least six months (网络安全法
第二十一条: 留存相关的网络日志不少于六个月); `audit_cleanup` removes only older entries."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntryQuerySet(models.QuerySet):
    def older_than(self, moment):
        """Entries recorded before `moment` (what the clean-up may delete)."""
        return self.filter(at__lt=moment)


class AuditEntry(models.Model):
    class Kind(models.TextChoices):
        REFUSED = "refused", _("Refused access")
        ROLE = "role", _("Role change")
        DEVICE = "device", _("Second-factor device change")
        SCOPE = "scope", _("Scope change")

    class Action(models.TextChoices):
        """Every code the log writes (portal/core/audit.py's signals, the refusals, the second factor),
        shown with its label in the workspace and the exports."""

        ADMIN_REFUSED = "admin.refused", _("Workspace refused")
        PAGE_REFUSED = "page.refused", _("Page refused")
        OFFICIAL_CREATED = "official.created", _("Official created")
        OFFICIAL_ROLE_CHANGED = "official.role_changed", _("Official's role changed")
        OFFICIAL_UNIT_CHANGED = "official.unit_changed", _("Official moved to another unit")
        OFFICIAL_DELETED = "official.deleted", _("Official deleted")
        USER_CREATED = "user.created", _("User created")
        USER_FLAGS_CHANGED = "user.flags_changed", _("User's staff, superuser or active flag changed")
        USER_GROUPS_ADDED = "user.groups.added", _("User added to groups")
        USER_GROUPS_REMOVED = "user.groups.removed", _("User removed from groups")
        USER_GROUPS_CLEARED = "user.groups.cleared", _("User's groups cleared")
        USER_PERMISSIONS_ADDED = "user.permissions.added", _("User given permissions")
        USER_PERMISSIONS_REMOVED = "user.permissions.removed", _("User's permissions removed")
        USER_PERMISSIONS_CLEARED = "user.permissions.cleared", _("User's permissions cleared")
        GROUP_PERMISSIONS_ADDED = "group.permissions.added", _("Group given permissions")
        GROUP_PERMISSIONS_REMOVED = "group.permissions.removed", _("Group's permissions removed")
        GROUP_PERMISSIONS_CLEARED = "group.permissions.cleared", _("Group's permissions cleared")
        DEVICE_CONFIRMED = "device.confirmed", _("Authenticator confirmed")
        DEVICE_DISABLED = "device.disabled", _("Authenticator disabled")
        DEVICE_REMOVED = "device.removed", _("Authenticator removed")
        RECOVERY_CODES_ISSUED = "recovery_codes.issued", _("Recovery codes issued")
        SECOND_FACTOR_RESET = "second_factor.reset", _("Second factor reset by the county office")
        ASSIGNMENT_CREATED = "liaisonassignment.created", _("Liaison assignment made")
        ASSIGNMENT_CHANGED = "liaisonassignment.changed", _("Liaison assignment changed")
        ASSIGNMENT_DELETED = "liaisonassignment.deleted", _("Liaison assignment ended")

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=60, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("by"),
    )
    # The user name at the time: the entry outlives a deleted account.
    actor_name = models.CharField(_("by (user name)"), max_length=150, blank=True)
    subject = models.CharField(_("concerning"), max_length=300, blank=True)
    detail = models.TextField(_("detail"), blank=True)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)
    path = models.CharField(_("page"), max_length=500, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["kind", "at"], name="audit_kind_at_idx")]

    def __str__(self):
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.actor_name} {self.get_action_display()}"
