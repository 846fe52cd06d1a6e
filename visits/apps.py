from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

_VIEW = [
    "view_liaisonassignment",
    "view_countyleader",
    "view_appointment",
    "view_visit",
    "view_visitproblem",
    "view_attachment",
    "view_meeting",
    "view_meetingproblem",
    "view_meetingdecision",
    "view_matchmakingevent",
    "view_financingneed",
    "view_financingmatch",
]
_RECORD = [
    "add_appointment",
    "change_appointment",
    "add_visit",
    "change_visit",
    "delete_visit",
    "add_visitproblem",
    "change_visitproblem",
    "delete_visitproblem",
    "add_attachment",
    "change_attachment",
    "delete_attachment",
    "add_meeting",
    "change_meeting",
    "add_meetingproblem",
    "change_meetingproblem",
    "delete_meetingproblem",
    "add_meetingdecision",
    "change_meetingdecision",
    "delete_meetingdecision",
    "add_financingneed",
    "change_financingneed",
    "add_financingmatch",
    "change_financingmatch",
    "delete_financingmatch",
]


def _perms(*names):
    return [f"visits.{name}" for group in names for name in group]


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Enterprise-situation monitoring")
    sitemaps = {"matchmaking": "visits.sitemaps.MatchmakingSitemap"}
    # The officials import (portal/core/imports.py) sets 联系企业 through this service.
    official_enterprises_set = "visits.services.official_enterprises_set"

    role_permissions = {
        "county_office": _perms(
            _VIEW,
            _RECORD,
            [
                "add_liaisonassignment",
                "change_liaisonassignment",
                "change_countyleader",
                "delete_meeting",
                "add_matchmakingevent",
                "change_matchmakingevent",
                "delete_matchmakingevent",
                "view_reminderlog",
            ],
        ),
        "unit_head": _perms(_VIEW, _RECORD, ["add_liaisonassignment", "change_liaisonassignment", "delete_meeting"]),
        "unit_staff": _perms(_VIEW, _RECORD, ["add_liaisonassignment", "change_liaisonassignment"]),
        "county_leader": _perms(
            _VIEW,
            [
                "add_visit",
                "change_visit",
                "add_visitproblem",
                "change_visitproblem",
                "add_attachment",
                "add_appointment",
                "change_appointment",
            ],
        ),
    }

    def admin_dashboard_links(self, request):
        from .access import is_official
        from .hooks import dashboard_links

        return dashboard_links(request) if is_official(request.user) else []

    def liaison_leader_enterprise_ids(self, user):
        """For liaison: the enterprises a county leader looks after (their matters are shown)."""
        from .selectors import liaison_enterprise_ids_queryset

        return liaison_enterprise_ids_queryset(user)

    def enterprise_panel(self, request):
        from .hooks import enterprise_panel

        return enterprise_panel(request)

    def interaction_panel(self, request):
        from .hooks import interaction_panel

        return interaction_panel(request)

    def ready(self):
        from portal.core.audit import track_scope_changes

        from .models import LiaisonAssignment

        # 联系企业 decides which enterprises (and their matters) an official sees: a scope.
        track_scope_changes(
            LiaisonAssignment, describe=lambda a: f"{a} ({a.get_kind_display()}, {a.start_date}–{a.end_date or ''})"
        )
