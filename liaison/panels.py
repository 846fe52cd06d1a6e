"""What the liaison app contributes to the home page, 我的企业 and the admin index."""

from django.urls import reverse
from django.utils.translation import gettext as _

from portal.core.access import acting_enterprise, official_of


def home_panel(request):
    return {"template": "liaison/panel_home.html"}


def enterprise_panel(request):
    from .models import Matter

    enterprise = acting_enterprise(request.user)
    if enterprise is None:
        return None
    matters = list(
        Matter.objects.visible_to(request.user).filter(enterprise=enterprise).order_by("-received_at", "-id")[:5]
    )
    return {"template": "liaison/panel_enterprise.html", "matters": matters}


def admin_dashboard_links(request):
    user = request.user
    links = []
    if user.has_perm("liaison.view_review_queue"):
        links.append(
            (
                _("Matters: review queue"),
                reverse("admin:liaison_matter_queue"),
                _("Referral requests, returned assignments, overdue, supervised and unsatisfied matters."),
            )
        )
    if user.has_perm("liaison.view_county_figures") or official_of(user) is not None:
        links.append(
            (
                _("Matters: figures"),
                reverse("admin:liaison_matter_figures"),
                _("Received, accepted on time, closed on time, satisfaction, per unit and period."),
            )
        )
        links.append(
            (
                _("Matters: ledgers"),
                reverse("admin:liaison_matter_ledgers"),
                _("投诉受理台帐 and 事项处置台帐 as XLSX or CSV."),
            )
        )
        links.append(
            (
                _("Record a phone call or complaint"),
                reverse("admin:liaison_matter_record"),
                _("Register a matter received by phone, in person or as a complaint."),
            )
        )
    return links
