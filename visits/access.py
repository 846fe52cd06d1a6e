"""Who may open the officials' pages of this app (coverage, enterprise file, ledgers, totals)."""

from functools import wraps

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from portal.core.access import official_of


def is_official(user):
    return bool(getattr(user, "is_authenticated", False) and (user.is_superuser or official_of(user)))


def official_required(view):
    """Officials only, with the same checks as the admin (active staff, second factor where
    required); anyone else logs in through the admin or gets 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not is_official(request.user):
            raise PermissionDenied
        if not admin.site.has_permission(request):
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        return view(request, *args, **kwargs)

    return wrapped
