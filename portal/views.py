"""Site pages: home, about, health checks, accounts, display preferences."""
from django.apps import apps
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .access import enterprise_account_of, official_of
from .context_processors import LARGE_TEXT_COOKIE
from .forms import EnterpriseRegistrationForm, OTPSetupForm
from .page_cache import public_page
from .services import enterprise_account_register


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
def robots_txt(request):
    """Crawlers: the public site, not the workspace or anyone's own pages; where the sitemap is."""
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /my/", "Disallow: /accounts/",
             "Disallow: /matters/track/", "Disallow: /matters/mine/", "Disallow: /search/",
             f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}"]
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
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                       require_https=request.is_secure()):
        return target
    return fallback


@csrf_exempt  # a harmless display toggle: no token, so anonymous pages set no cookie and stay cacheable
@require_POST
def text_size(request):
    """适老化: toggle the larger-text mode; kept in a cookie for a year. Works without JS."""
    response = HttpResponseRedirect(_safe_next(request, "/"))
    if request.POST.get("large") == "1":
        response.set_cookie(LARGE_TEXT_COOKIE, "1", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE)
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
            username=data["username"], password=data["password1"], email=data.get("email", ""),
            enterprise=form.enterprise, real_name=data["real_name"], phone=data["phone"],
            position=data.get("position", ""),
        )
        login(request, account.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, _("Your account has been created. Staff of %(town)s will confirm it; "
                                    "until then you can read but not act for the enterprise.")
                         % {"town": form.enterprise.town})
        return redirect("portal:my_home")
    status = 400 if request.method == "POST" else 200
    return render(request, "registration/register.html", {"form": form}, status=status)


@login_required
def my_home(request):
    """我的企业 for enterprise users; officials are sent to their workspace."""
    if official_of(request.user) or request.user.is_staff:
        return redirect("admin:index")
    account = enterprise_account_of(request.user)
    return render(request, "portal/my_home.html", {
        "account": account,
        "panels": _panels(request, "enterprise_panel") if account and account.can_act else [],
    })


@login_required
def otp_setup(request):
    """Set up the authenticator app (TOTP) for an official."""
    from django_otp.plugins.otp_totp.models import TOTPDevice
    import segno

    if not request.user.is_staff:
        return redirect("portal:my_home")
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name=_("Authenticator app"), confirmed=False)
    form = OTPSetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            from django_otp import login as otp_login

            otp_login(request, device)
            messages.success(request, _("The authenticator app is set up."))
            return redirect("admin:index")
        form.add_error("token", _("The code does not match; check the time on your phone and try again."))
    qr_svg = segno.make(device.config_url, micro=False).svg_inline(scale=5, title=_("Authenticator QR code"))
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return render(request, "registration/otp_setup.html", {"form": form, "qr_svg": qr_svg, "secret": secret},
                  status=400 if request.method == "POST" else 200)


@never_cache
def welcome(request, token):
    """A new official's one-time link: choose a password, then (where the role requires it)
    set up the authenticator app. A used, forged or expired link says so and changes nothing."""
    from django.contrib.auth.forms import SetPasswordForm

    from .admin_site import otp_required_for
    from .onboarding import user_for_welcome_token

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
    return render(request, "registration/welcome.html", {"form": form, "account": user},
                  status=400 if request.method == "POST" else 200)
