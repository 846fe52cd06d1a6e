from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_delete, post_migrate, post_save, pre_migrate
from django.utils.translation import gettext_lazy as _
from simple_history.signals import pre_create_historical_record


class PortalConfig(AppConfig):
    default = True
    name = "portal"
    verbose_name = _("Units and enterprises")

    role_permissions = {
        "county_office": [
            "portal.view_unit",
            "portal.change_unit",
            "portal.add_unit",
            "portal.view_leadinggroupmember",
            "portal.add_leadinggroupmember",
            "portal.change_leadinggroupmember",
            "portal.delete_leadinggroupmember",
            "portal.view_enterprise",
            "portal.add_enterprise",
            "portal.change_enterprise",
            "portal.view_official",
            "portal.add_official",
            "portal.change_official",
            "portal.view_enterpriseaccount",
            "portal.change_enterpriseaccount",
            "portal.view_calendaradjustment",
            "portal.add_calendaradjustment",
            "portal.change_calendaradjustment",
            "portal.delete_calendaradjustment",
            "portal.view_financialinstitution",
            "portal.add_financialinstitution",
            "portal.change_financialinstitution",
        ],
        "unit_head": [
            "portal.view_unit",
            "portal.change_unit",
            "portal.view_leadinggroupmember",
            "portal.add_leadinggroupmember",
            "portal.change_leadinggroupmember",
            "portal.delete_leadinggroupmember",
            "portal.view_enterprise",
            "portal.add_enterprise",
            "portal.change_enterprise",
            "portal.view_official",
            "portal.view_enterpriseaccount",
            "portal.change_enterpriseaccount",
        ],
        "unit_staff": [
            "portal.view_unit",
            "portal.view_leadinggroupmember",
            "portal.view_enterprise",
            "portal.add_enterprise",
            "portal.change_enterprise",
            "portal.view_enterpriseaccount",
            "portal.change_enterpriseaccount",
            "portal.view_financialinstitution",
        ],
        "county_leader": ["portal.view_unit", "portal.view_enterprise", "portal.view_financialinstitution"],
    }

    def ready(self):
        from portal.core import audit, page_cache, roles, workdays
        from portal.models import CalendarAdjustment, CalendarYear

        post_migrate.connect(roles.sync_role_groups_after_migrate, dispatch_uid="portal-sync-roles")
        pre_migrate.connect(create_cache_table, sender=self, dispatch_uid="portal-cache-table")
        post_save.connect(workdays.clear_cache, sender=CalendarAdjustment, dispatch_uid="portal-calendar-save")
        post_delete.connect(workdays.clear_cache, sender=CalendarAdjustment, dispatch_uid="portal-calendar-del")
        post_save.connect(workdays.clear_cache, sender=CalendarYear, dispatch_uid="portal-calendar-year-save")
        post_delete.connect(workdays.clear_cache, sender=CalendarYear, dispatch_uid="portal-calendar-year-del")
        page_cache.connect_signals()
        pre_create_historical_record.connect(_blank_change_reason, dispatch_uid="portal-history-reason")
        audit.connect_signals()

    def personal_data_cleanup(self, *, now, dry_run):
        from portal import services

        from portal.core.audit import audit_entries_purge

        return [
            (
                "enterprise registrations rejected or never confirmed",
                services.enterprise_accounts_purge_stale(now=now, dry_run=dry_run),
            ),
            (
                "audit-log entries past the retention period (at least six months)",
                audit_entries_purge(now=now, dry_run=dry_run),
            ),
        ]


def _blank_change_reason(sender, history_instance, **kwargs):
    """A history row saved without a reason says nothing, not "None", on the history page."""
    if history_instance.history_change_reason is None:
        history_instance.history_change_reason = ""


def create_cache_table(using="default", verbosity=1, **kwargs):
    """`migrate` first makes the database cache table (the rate limits' shared cache when no
    CACHE_URL; data migrations may already use it), so `./run start`, a deployment and the
    test database all have it."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))


class PortalAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "portal.site.admin_site.PortalAdminSite"

    def ready(self):
        super().ready()
        # The queue's own read-only page is replaced by the county office's background jobs
        # page (portal/site/admin_jobs.py).
        from django.contrib import admin
        from django_tasks_db.models import DBTaskResult

        if admin.site.is_registered(DBTaskResult):
            admin.site.unregister(DBTaskResult)
