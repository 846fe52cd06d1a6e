"""What this app contributes to the portal's shared pages (admin index links, 我的企业 panel,
政企互动 panel)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.access import acting_enterprise


def dashboard_links(request):
    everything = request.user.has_perm("visits.view_county_coverage")
    return [
        (
            _("Visit coverage"),
            reverse("visits:coverage"),
            _("Every unit's coverage this quarter, overdue visits, the trend over four quarters.")
            if everything
            else _("Your unit's coverage this quarter and overdue visits."),
        ),
        (
            _("Visit and meeting ledgers"),
            reverse("visits:ledgers"),
            _("走访企业台帐 and meeting ledger as Excel or CSV, by unit, official and period."),
        ),
        (
            _("政银企 matchmaking totals"),
            reverse("visits:financing_totals"),
            _("Financing needs, credit and loans per event, institution and town."),
        ),
        (
            _("Enterprise files (一企一档)"),
            reverse("visits:enterprise_list"),
            _("Everything about one enterprise in time order."),
        ),
    ]


def enterprise_panel(request):
    from .selectors import appointments_waiting_for
    from .models import FinancingNeed

    enterprise = acting_enterprise(request.user)
    if enterprise is None:
        return None
    return {
        "template": "visits/panel_enterprise.html",
        "appointments": list(appointments_waiting_for(enterprise)[:10]),
        "needs": list(
            FinancingNeed.objects.filter(enterprise=enterprise)
            .prefetch_related("matches__institution")
            .order_by("-created_at")[:5]
        ),
    }


def interaction_panel(request):
    """政企互动: the next 政银企 matchmaking event and what the past ones achieved (aggregates only)."""
    from .selectors import matchmaking_summary

    return {"template": "visits/panel_interaction.html", **matchmaking_summary()}
