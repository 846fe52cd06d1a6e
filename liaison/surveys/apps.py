from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """政府工作评议: the government work evaluation, part of comprehensive handling; its
    findings become rectification matters through liaison's services."""

    name = "liaison.surveys"
    label = "surveys"
    verbose_name = _("Government work evaluation")
    sitemaps = {"survey-results": "liaison.surveys.sitemaps.PublishedResultsSitemap"}

    role_permissions = {
        "county_office": [
            f"surveys.{action}_{model}"
            for model in ("survey", "question", "dimension", "choice", "invitation", "surveyresponse", "finding")
            for action in ("add", "change", "delete", "view")
        ],
        "unit_head": ["surveys.view_finding"],
        "unit_staff": ["surveys.view_finding"],
        "county_leader": [],
    }

    def enterprise_panel(self, request):
        """我的企业: the open campaigns that ask the user's enterprise."""
        from portal.core.access import acting_enterprise

        from .models import SurveyResponse
        from .selectors import surveys_for_enterprise

        enterprise = acting_enterprise(request.user)
        if enterprise is None:
            return None
        surveys = list(surveys_for_enterprise(enterprise))
        statuses = dict(
            SurveyResponse.objects.filter(enterprise=enterprise, survey__in=surveys).values_list("survey_id", "status")
        )
        for survey in surveys:
            survey.my_status = statuses.get(survey.pk)
        return {"template": "surveys/panel_enterprise.html", "surveys": surveys}

    def interaction_panel(self, request):
        """政企互动: the campaign taking answers now and the campaigns whose results are published
        (two queries; the page is the same for every visitor)."""
        from .models import Survey
        from .selectors import public_surveys

        return {
            "template": "surveys/panel_interaction.html",
            "open_surveys": list(Survey.objects.open_now().order_by("closes_on")),
            "published": list(public_surveys()[:5]),
        }

    def admin_dashboard_links(self, request):
        from django.urls import reverse

        from .selectors import letter_towns, results_unit, sees_everything

        if sees_everything(request.user):
            return [
                (
                    _("Government work evaluation: results"),
                    reverse("surveys:results_list"),
                    _("Response rates, department scores and rankings, comments and rectification progress."),
                )
            ]
        if results_unit(request.user) is not None:
            return [
                (
                    _("Government work evaluation: our results"),
                    reverse("surveys:results_list"),
                    _("Your department's scores, anonymised comments and rectification tasks."),
                )
            ]
        if letter_towns(request.user).exists():
            return [
                (
                    _("Government work evaluation: invitation letters"),
                    reverse("surveys:letters_list"),
                    _(
                        "Print letters with a personal link and QR code for the enterprises of your town "
                        "that have no e-mail address."
                    ),
                )
            ]
        return []
