from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """政府工作评议: the government work evaluation, part of comprehensive handling; its
    findings become rectification matters through liaison's services."""

    name = "liaison.surveys"
    label = "surveys"
    verbose_name = _("Government work evaluation")
