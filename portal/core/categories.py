"""The matter categories (事项类别): the shared vocabulary for what a matter is about.

In the base, where every app may import it: liaison files matters under these codes, visits
files the problems raised at a visit or a meeting under the same codes, and the matter made
from a problem keeps the problem's category.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    FINANCING = "financing", _("Financing")
    LAND = "land", _("Land use")
    LABOUR = "labour", _("Labour and hiring")
    APPROVAL = "approval", _("Approvals")
    UTILITIES = "utilities", _("Water, power and gas")
    TRANSPORT = "transport", _("Transport and logistics")
    POLICY = "policy", _("Policy fulfilment")
    ENVIRONMENT = "environment", _("Environmental protection")
    SAFETY = "safety", _("Work safety")
    COMPLAINT = "complaint", _("Complaint")
    WEBSITE = "website", _("Website error")
    RECTIFICATION = "rectification", _("Rectification")
    OTHER = "other", _("Other")


# The categories an enterprise raises a matter under (online, at a visit, at a meeting). Website
# errors come from the portal's own report form and rectifications from survey findings.
ENTERPRISE_CATEGORIES = [
    (value, label) for value, label in Category.choices if value not in (Category.WEBSITE, Category.RECTIFICATION)
]
