from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_HANDLE = [
    "liaison.view_matter",
    "liaison.change_matter",
    "liaison.handle_matter",
    "liaison.view_matterevent",
    "liaison.view_matterattachment",
    "liaison.view_replytemplate",
    "liaison.view_deadlinerule",
]


class LiaisonConfig(AppConfig):
    name = "liaison"
    search_indexer = "liaison.figures.search_index"
    verbose_name = _("Enterprise matters")
    sitemaps = {"matter-pages": "liaison.sitemaps.MatterPagesSitemap"}

    role_permissions = {
        "county_office": _HANDLE
        + [
            "liaison.add_matter",
            "liaison.assign_matter",
            "liaison.view_matter_figures",
            "liaison.add_replytemplate",
            "liaison.change_replytemplate",
            "liaison.delete_replytemplate",
            "liaison.add_deadlinerule",
            "liaison.change_deadlinerule",
            "liaison.delete_deadlinerule",
        ],
        "unit_head": _HANDLE + ["liaison.add_matter", "liaison.view_matter_figures"],
        "unit_staff": _HANDLE + ["liaison.add_matter"],
        "county_leader": ["liaison.view_matter", "liaison.view_matterevent", "liaison.view_matter_figures"],
    }

    def enterprise_panel(self, request):
        from .panels import enterprise_panel

        return enterprise_panel(request)

    def interaction_panel(self, request):
        """政企互动: where the public sees how matters are handled."""
        return {"template": "liaison/panel_interaction.html"}

    def home_panel(self, request):
        from .panels import home_panel

        return home_panel(request)

    def admin_dashboard_links(self, request):
        from .panels import admin_dashboard_links

        return admin_dashboard_links(request)

    def personal_data_cleanup(self, *, now, dry_run):
        from .services import matter_contacts_erase_old

        return [("contact details of matters finished long ago", matter_contacts_erase_old(now=now, dry_run=dry_run))]
