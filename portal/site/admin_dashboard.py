"""Links to the custom pages (figures, coverage, queues) shown on the admin index.

Each app may define `admin_dashboard_links(request)` on its AppConfig returning
(title, url, description) tuples the user is allowed to open, and
`admin_dashboard_notices(request)` returning warnings for this user (strings).
"""

from django.apps import apps
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


# A new county's imports, in the order docs/go-live.md gives: (app label, model, what it holds).
GOLIVE_STEPS = [
    ("portal", "unit", _("Units: towns, the county government and office, departments, agencies")),
    ("portal", "enterprise", _("Enterprises: the register, by unified social credit code")),
    ("portal", "official", _("Officials: accounts, roles, liaison enterprises; opening sheets to print")),
    ("policies", "policy", _("Policies: the documents the county has already published")),
    ("guide", "serviceitem", _("Service guide items: into the edition in preparation")),
]


def dashboard_links(request):
    links = []
    for config in apps.get_app_configs():
        provider = getattr(config, "admin_dashboard_links", None)
        if provider is not None:
            links.extend(provider(request))
    return links


def dashboard_notices(request):
    notices = []
    for config in apps.get_app_configs():
        provider = getattr(config, "admin_dashboard_notices", None)
        if provider is not None:
            notices.extend(provider(request))
    return notices


def golive_steps(request):
    """For the county office while the county is new: each import with how many records there
    are, until every step has some. Counts are read by model name: the base imports no app."""
    if not request.user.has_perm("portal.manage_county_settings"):
        return []
    steps = []
    for app_label, model_name, description in GOLIVE_STEPS:
        try:
            model = apps.get_model(app_label, model_name)
            url = reverse(f"admin:{app_label}_{model_name}_import")
        except (LookupError, NoReverseMatch):
            continue
        steps.append(
            {
                "title": model._meta.verbose_name_plural,
                "description": description,
                "url": url,
                "count": model._default_manager.count(),
            }
        )
    from portal.models import Unit

    started = Unit.objects.count() > 2  # setup_county makes only the government and its office
    if started and all(step["count"] for step in steps):
        return []
    return steps
