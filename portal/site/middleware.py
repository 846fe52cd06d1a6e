"""Cross-cutting request handling: idle timeout for officials, private pages never cached
by shared caches, and a clear 503 page while the database is away."""

import sys
import time
from functools import partial

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import SuspiciousOperation
from django.db import OperationalError, InterfaceError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject
from django.views import defaults


class RejectNulBytesMiddleware:
    """A NUL byte in the path, a query parameter or a form field is never meant: answer 400
    with the normal error page here, once, instead of letting PostgreSQL refuse it deep in
    a view (a 500). Runs before the page cache, sessions and views."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return defaults.bad_request(request, SuspiciousOperation("NUL byte in the request"))
        return self.get_response(request)

    @staticmethod
    def _has_nul(request):
        if "\x00" in request.path_info or "\x00" in request.path:
            return True
        if _nul_in(request.GET):
            return True
        content_type = request.META.get("CONTENT_TYPE", "")
        if request.method == "POST" and content_type.startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            return _nul_in(request.POST)
        return False


def _nul_in(query_dict):
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query_dict.lists())


class ChineseByDefaultMiddleware:
    """Simplified Chinese unless the reader picked English with the language switch.

    The browser's Accept-Language is ignored: an office PC set up in English still gets the
    county's Chinese site; the switch's cookie decides. Runs just before LocaleMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class NoPermissionsBeforeSecondFactorMiddleware:
    """A session that owes its second factor holds no permission at all: Django's `has_perm`
    answers True to any active superuser before asking a rule, so without this a superuser's
    password-only session would pass every `has_perm(perm, obj)` outside the admin (whose
    `has_permission` refuses it already). Lazy, like OTPMiddleware before it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None:
            request.user = SimpleLazyObject(partial(_without_permissions_until_verified, user))
        return self.get_response(request)


def _refuse(*args, **kwargs):
    return False


def _without_permissions_until_verified(user):
    from portal.core.access import awaiting_second_factor

    if awaiting_second_factor(user):
        for method in ("has_perm", "has_perms", "has_module_perms"):
            setattr(user, method, _refuse)
    return user


class OfficialSessionTimeoutMiddleware:
    """Officials are logged out after OFFICIAL_SESSION_IDLE_SECONDS without a request."""

    session_key = "_last_activity"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            now = int(time.time())
            last = request.session.get(self.session_key)
            if last is not None and now - last > settings.OFFICIAL_SESSION_IDLE_SECONDS:
                logout(request)
            else:
                request.session[self.session_key] = now
                request.session.set_expiry(settings.OFFICIAL_SESSION_IDLE_SECONDS)
        return self.get_response(request)


class PrivatePagesMiddleware:
    """A page shown to a logged-in user is never stored by a shared cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        return response


DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable_response(request):
    """The 503 page. Rendered without the request's context processors: they read the
    session and the user, which need the very database that is away."""
    html = render_to_string("503.html", {"was_submission": request.method == "POST"})
    response = HttpResponse(html, status=503)
    response["Retry-After"] = "10"
    patch_cache_control(response, no_store=True)
    return response


class DatabaseUnavailableMiddleware:
    """While PostgreSQL is unreachable, answer 503 with a page that says so (and that
    anything just submitted was not saved), instead of a bare 500.

    A view's error reaches `process_exception`. An error raised inside another middleware
    (the session and user lookups of the session, auth, OTP, idle-timeout and axes
    middleware, or the session save after the view) never reaches this one: Django turns it
    into a response at that middleware with the 500 handler, so `server_error` below, the
    root URLconf's handler500, makes the same 503 of it. Together they cover every path."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DATABASE_ERRORS:
            return database_unavailable_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return database_unavailable_response(request)
        return None


def server_error(request):
    """handler500: a lost database is a 503 wherever it struck; anything else the usual 500."""
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):
        return database_unavailable_response(request)
    return defaults.server_error(request)
