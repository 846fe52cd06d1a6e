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

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    action = models.CharField(_("action"), max_length=60)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("by"))
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
        return f"{timezone.localtime(self.at):%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"
