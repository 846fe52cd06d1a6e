"""Cross-cutting request handling: idle timeout for officials, private pages never cached
by shared caches, and a clear 503 page while the database is away."""
import time

from django.conf import settings
from django.contrib.auth import logout
from django.db import OperationalError, InterfaceError
from django.shortcuts import render
from django.utils.cache import patch_cache_control



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


class DatabaseUnavailableMiddleware:
    """While PostgreSQL is unreachable, answer 503 with a page that says so (and that
    anything just submitted was not saved), instead of a bare 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            response = render(request, "503.html", {"was_submission": request.method == "POST"}, status=503)
            response["Retry-After"] = "10"
            return response
        return None

