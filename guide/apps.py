from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_CONTENT = ["serviceitem", "material", "step", "fee", "faq"]


def _perms(models, actions):
    return [f"guide.{action}_{model}" for model in models for action in actions]


def _unit_changed(sender, instance, raw=False, **kwargs):
    """A unit's contact entry (and the leaders' duties naming it) in the site search follow
    each edit, once it is committed."""
    if raw:  # loading a fixture
        return
    from .services import unit_reindex_later

    unit_reindex_later(unit_pk=instance.pk)


class GuideConfig(AppConfig):
    name = "guide"
    verbose_name = _("Enterprise service guide")
    sitemaps = {"guide-pages": "guide.sitemaps.GuidePagesSitemap", "guide-items": "guide.sitemaps.ServiceItemSitemap"}
    search_indexer = "guide.services.search_reindex"

    role_permissions = {
        "county_office": _perms(
            _CONTENT + ["guideedition", "leaderduty", "loanproduct"], ["view", "add", "change", "delete"]
        ),
        "unit_head": _perms(_CONTENT + ["leaderduty"], ["view", "add", "change", "delete"])
        + _perms(["guideedition", "loanproduct"], ["view"]),
        "unit_staff": _perms(_CONTENT, ["view", "add", "change", "delete"])
        + _perms(["guideedition", "loanproduct", "leaderduty"], ["view"]),
        "county_leader": _perms(_CONTENT + ["guideedition", "leaderduty", "loanproduct"], ["view"]),
    }

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from portal.models import Unit

        post_save.connect(_unit_changed, sender=Unit, dispatch_uid="guide-unit-search-save")
        post_delete.connect(_unit_changed, sender=Unit, dispatch_uid="guide-unit-search-delete")

    def home_panel(self, request):
        from .selectors import current_edition, departments_with_items

        edition = current_edition()
        if edition is None:
            return None
        return {
            "template": "guide/panel_home.html",
            "guide_edition": edition,
            "guide_department_count": len(departments_with_items(edition)),
        }

    def admin_dashboard_links(self, request):
        from .admin import dashboard_links

        return dashboard_links(request)

    def search_page(self):
        """The site search page: this app's kinds of document and its topics to browse by."""
        from .models import Topic

        return {
            "kinds": {
                "service_item": _("Service-guide items"),
                "faq": _("Questions and answers"),
                "loan_product": _("Loan products"),
                "leader": _("Leaders' duties"),
                "contact": _("Contacts"),
            },
            "topics": Topic.choices,
        }
