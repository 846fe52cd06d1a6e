"""Links to the custom pages (figures, coverage, queues) shown on the admin index.

Each app may define `admin_dashboard_links(request)` on its AppConfig returning
(title, url, description) tuples the user is allowed to open, and
`admin_dashboard_notices(request)` returning warnings for this user (strings).
"""
from django.apps import apps


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
