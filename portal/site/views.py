"""Site pages: home, about, health checks, accounts, display preferences."""

from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db import connection
from django.http import (
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from django_otp import login as otp_login

from portal.core import second_factor
from portal.core.access import awaiting_second_factor, enterprise_account_of, official_of
from portal.core.audit import audit_record
from portal.core.context_processors import HIGH_CONTRAST_COOKIE, LARGE_TEXT_COOKIE
from portal.site.forms import EnterpriseRegistrationForm, LoginForm, OTPReplaceForm, OTPSetupForm
from portal.models import AuditEntry
from portal.core.page_cache import public_page
from portal.services import enterprise_account_register


def _panels(request, hook):
    """Panels contributed by the apps: each AppConfig may define `hook(request)` returning
    a dict with `template` and its context, or None."""
    panels = []
    for config in apps.get_app_configs():
        provider = getattr(config, hook, None)
        if provider is not None:
            panel = provider(request)
            if panel:
                panels.append(panel)
    return panels


@public_page
def home(request):
    return render(request, "portal/home.html", {"panels": _panels(request, "home_panel")})


@public_page
def interaction(request):
    """政企互动: the public side of the county's dealings with enterprises — matter figures,
    evaluation campaigns, matchmaking events — as the apps contribute them."""
    return render(request, "portal/interaction.html", {"panels": _panels(request, "interaction_panel")})


@public_page
def about(request):
    return render(request, "portal/about.html")


@public_page
def privacy(request):
    """个人信息保护 notice (个人信息保护法 §17): what is collected, why, who sees it, how long."""
    return render(
        request,
        "portal/privacy.html",
        {
            "retention_years": settings.PERSONAL_DATA_RETENTION_YEARS,
            "pending_days": settings.UNCONFIRMED_PERSONAL_DATA_DAYS,
        },
    )


@public_page
def robots_txt(request):
    """Crawlers: the public site, not the workspace or anyone's own pages; where the sitemap is."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /my/",
        "Disallow: /accounts/",
        "Disallow: /matters/track/",
        "Disallow: /matters/mine/",
        "Disallow: /search/",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the static icon."""
    return HttpResponsePermanentRedirect(static("favicon.ico"))


def healthz(request):
    """Liveness: answers without touching the database."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """Readiness: the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # noqa: BLE001 - whatever the failure, the database is not ready
        return JsonResponse({"database": "unavailable"}, status=503)
    return JsonResponse({"database": "ok"})


def _safe_next(request, fallback):
    target = request.POST.get("next") or request.GET.get("next") or request.META.get("HTTP_REFERER") or fallback
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@csrf_exempt  # a harmless display toggle: no token, so anonymous pages set no cookie and stay cacheable
@require_POST
def text_size(request):
    """适老化: toggle the larger-text mode; kept in a cookie for a year. Works without JS."""
    return _toggle_preference(request, LARGE_TEXT_COOKIE, request.POST.get("large") == "1")


@csrf_exempt  # as text_size
@require_POST
def contrast(request):
    """适老化: toggle the high-contrast mode (black on white, yellow focus, underlined links)."""
    return _toggle_preference(request, HIGH_CONTRAST_COOKIE, request.POST.get("high") == "1")


def _toggle_preference(request, cookie, on):
    response = HttpResponseRedirect(_safe_next(request, "/"))
    if on:
        response.set_cookie(cookie, "1", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(cookie)
    return response


@csrf_exempt  # as text_size: switching the language changes nothing but the reader's view
@require_POST
def switch_language(request):
    return set_language(request)


def register(request):
    if request.user.is_authenticated:
        return redirect("portal:my_home")
    form = EnterpriseRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = enterprise_account_register(
            username=data["username"],
            password=data["password1"],
            email=data.get("email", ""),
            enterprise=form.enterprise,
            real_name=data["real_name"],
            phone=data["phone"],
            position=data.get("position", ""),
        )
        login(request, account.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _(
                "Your account has been created. Staff of %(town)s will confirm it; "
                "until then you can read but not act for the enterprise."
            )
            % {"town": form.enterprise.town},
        )
        return redirect("portal:my_home")
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/register.html", {"form": form}, status=status)


@login_required
def my_home(request):
    """我的企业 for enterprise users; officials are sent to their workspace."""
    if official_of(request.user) or request.user.is_staff:
        return redirect("admin:index")
    account = enterprise_account_of(request.user)
    return render(
        request,
        "portal/my_home.html",
        {
            "account": account,
            "panels": _panels(request, "enterprise_panel") if account and account.can_act else [],
        },
    )


class SiteLoginView(auth_views.LoginView):
    """The enterprise login. An official who types their password here is sent to the
    officials' login, where the second factor is asked: no official session starts here."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_invalid(self, form):
        if form.official_user is not None:
            messages.info(
                self.request, _("Officials log in here, at the officials' workspace, with their verification code.")
            )
            target = reverse("admin:login")
            next_url = self.get_redirect_url()
            return redirect(f"{target}?{urlencode({'next': next_url})}" if next_url else target)
        return super().form_invalid(form)


def _verified_staff(request):
    """Staff whose session owes no second factor (a page that changes one's devices)."""
    return request.user.is_staff and not awaiting_second_factor(request.user)


@never_cache
@login_required
def otp_setup(request):
    """Set up the authenticator app (TOTP), or replace the confirmed one.

    A first authenticator is set up right after the password (the officials' login sends a
    role that needs one here). A confirmed one is replaced only in a session that has given
    its code, and only with a current code (or a recovery code) typed again here; a session
    that still owes its code is sent to the officials' login, never shown a new secret.
    """
    if not request.user.is_staff:
        return redirect("portal:my_home")
    current = second_factor.confirmed_authenticator(request.user)
    if current is not None and not _verified_staff(request):
        messages.info(request, _("You already have an authenticator app. Log in with its code first."))
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    device = second_factor.pending_authenticator(request.user)
    form_class = OTPReplaceForm if current is not None else OTPSetupForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        proof = None
        if current is not None:
            proof = second_factor.verify_code(request.user, form.cleaned_data["current_token"])
            if proof is None:
                form.add_error("current_token", _("The current code is wrong or has expired."))
        if not form.errors:
            if second_factor.authenticator_confirm(user=request.user, device=device, code=form.cleaned_data["token"]):
                otp_login(request, device)
                messages.success(
                    request,
                    _("The authenticator app is set up. Now make your recovery codes and keep them somewhere safe."),
                )
                return redirect("portal:otp_recovery_codes")
            form.add_error("token", _("The code does not match; check the time on your phone and try again."))
    qr_svg = segno.make(device.config_url, micro=False).svg_inline(scale=5, title=_("Authenticator QR code"))
    secret = b32encode(device.bin_key).decode()
    return render(
        request,
        "registration/otp_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": secret, "replacing": current is not None},
        status=400 if request.method == "POST" else 200,
    )


@never_cache
def welcome(request, token):
    """A new official's one-time link: choose a password, then (where the role requires it)
    set up the authenticator app. A used, forged or expired link says so and changes nothing."""
    from django.contrib.auth.forms import SetPasswordForm

    from portal.core.access import otp_required_for
    from portal.core.onboarding import user_for_welcome_token

    user = user_for_welcome_token(token)
    if user is None:
        return render(request, "registration/welcome.html", {"invalid": True}, status=404)
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if otp_required_for(user):
            messages.success(request, _("Your password is set. Now set up your authenticator app."))
            return redirect("portal:otp_setup")
        messages.success(request, _("Your password is set. Welcome to the officials' workspace."))
        return redirect("admin:index")
    return render(
        request,
        "registration/welcome.html",
        {"form": form, "account": user},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def otp_recovery_codes(request):
    """One-time recovery codes for a lost phone: made here (POST), shown once."""
    if not request.user.is_staff:
        return redirect("portal:my_home")
    if second_factor.confirmed_authenticator(request.user) is None:
        return redirect("portal:otp_setup")
    if not _verified_staff(request):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    codes = None
    if request.method == "POST":
        codes = second_factor.recovery_codes_issue(user=request.user)
    response = render(
        request,
        "registration/otp_recovery_codes.html",
        {"codes": codes, "left": second_factor.recovery_codes_left(request.user)},
    )
    response["Cache-Control"] = "private, no-store"
    return response


def permission_denied(request, exception=None):
    """403 for every view, with the refusal written to the audit log when it was an official
    page (a logged-in user, or the officials' workspace)."""
    user = getattr(request, "user", None)
    if getattr(user, "is_authenticated", False) or request.path.startswith(reverse("admin:index")):
        audit_record(
            kind=AuditEntry.Kind.REFUSED,
            action="page.refused",
            request=request,
            subject=request.path[:300],
            detail=str(exception or "")[:500],
        )
    return render(request, "403.html", status=403)
