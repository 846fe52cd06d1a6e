from django.apps import AppConfig
from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

EDIT = [
    "policies.view_policy",
    "policies.add_policy",
    "policies.change_policy",
    "policies.delete_policy",
    "policies.view_interpretation",
    "policies.add_interpretation",
    "policies.change_interpretation",
    "policies.delete_interpretation",
    "policies.view_attachment",
    "policies.add_attachment",
    "policies.change_attachment",
    "policies.delete_attachment",
    "policies.view_policychange",
    "policies.view_theme",
]


class PoliciesConfig(AppConfig):
    name = "policies"
    verbose_name = _("Policy disclosure")
    sitemaps = {
        "policy-pages": "policies.sitemaps.PolicyPagesSitemap",
        "policies": "policies.sitemaps.PolicySitemap",
        "interpretations": "policies.sitemaps.InterpretationSitemap",
    }
    search_indexer = "policies.services.rebuild_index"

    role_permissions = {
        "county_office": EDIT
        + [
            "policies.publish_policy",
            "policies.add_theme",
            "policies.change_theme",
            "policies.view_subscription",
            "portal.view_searchsynonym",
            "portal.add_searchsynonym",
            "portal.change_searchsynonym",
            "portal.delete_searchsynonym",
            "portal.view_searchdocument",
        ],
        "unit_head": EDIT + ["policies.publish_policy"],
        "unit_staff": EDIT,
        "county_leader": ["policies.view_policy", "policies.view_interpretation"],
    }

    def ready(self):
        from portal.core import page_cache

        from . import selectors

        # A policy scheduled to appear changes the lists and the pages linking to it when
        # its moment comes, with no save to announce it.
        for tag in ("policies", "policy-pages"):
            page_cache.register_next_change(tag, selectors.next_scheduled_publication)

    def home_panel(self, request):
        from . import selectors

        return {
            "template": "policies/panel_home.html",
            "latest": selectors.latest_policies(6),
            "windows": selectors.open_windows(4),
        }

    def enterprise_panel(self, request):
        from portal.core.access import acting_enterprise

        from . import selectors

        enterprise = acting_enterprise(request.user)
        if enterprise is None:
            return None
        return {
            "template": "policies/panel_enterprise.html",
            "enterprise": enterprise,
            "policies": selectors.policies_for_enterprise(enterprise, 10),
        }

    def admin_dashboard_links(self, request):
        if not request.user.has_perm("policies.view_policy"):
            return []
        return [
            (
                _("Policy disclosure report"),
                reverse("admin:policies_policy_report"),
                _(
                    "Interpretations overdue (3 working days) and documents published more than 20 working days "
                    "after being written."
                ),
            )
        ]

    def admin_dashboard_notices(self, request):
        """政府网站 inspection rule: the home page shows something new at least every two weeks.
        The county office is told when the newest published policy is older than that."""
        from . import selectors

        if not request.user.has_perm("policies.watch_publication"):
            return []
        days = selectors.days_since_last_publication()
        if days is None or days < settings.HOME_STALE_DAYS:
            return []
        return [
            _(
                "Nothing new has been published for %(days)d days: the home page of a government website must be "
                "updated at least every %(limit)d days. Publish the latest policies or interpretations."
            )
            % {"days": days, "limit": settings.HOME_STALE_DAYS}
        ]

    def search_page(self):
        """The site search page: this app's kinds of document and a withdrawn policy's state."""
        from .models import Policy

        return {
            "kinds": {"policy": _("Policy documents"), "interpretation": _("Policy interpretations")},
            "validity_labels": dict(Policy.Validity.choices),
        }

    def personal_data_cleanup(self, *, now, dry_run):
        from . import services

        return [
            (
                "subscriptions never confirmed, or unsubscribed",
                services.subscriptions_purge_stale(now=now, dry_run=dry_run),
            )
        ]
