"""Public pages of the policies app. Thin: read through selectors, write through services."""

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from portal.core import ratelimit
from portal.core.page_cache import public_page
from portal.core.uploads import download_response

from . import selectors, services
from .forms import SubscriptionForm
from .models import Level

PAGE_SIZE = 20


@public_page
def home(request):
    """企业办事 column: latest policies, open application windows, browse by theme/level/issuer."""
    themes, levels, units = selectors.browse_counts()
    return render(
        request,
        "policies/policy_home.html",
        {
            "latest": selectors.latest_policies(10),
            "windows": selectors.open_windows(10),
            "themes": themes,
            "levels": levels,
            "units": units,
        },
    )


@public_page
def policy_list(request):
    filters = selectors.PolicyFilters.from_query(request.GET)
    qs, facets = selectors.policy_list(filters, user=request.user)
    paginator = Paginator(qs, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "policies/policy_list.html",
        {
            "page": page,
            "filters": filters,
            "facets": facets,
            "query_string": params.urlencode(),
            "themes_by_slug": {t: n for t, n, _c in facets["theme"]},
            "search_query": filters.q,
            "levels": Level.choices,
        },
    )


@public_page
def policy_detail(request, pk):
    policy = selectors.policy_detail(pk, request.user)
    if policy is None:
        withdrawn = selectors.withdrawn_policy(pk)
        if withdrawn is not None:
            return render(request, "policies/policy_withdrawn.html", {"policy": withdrawn}, status=410)
        raise Http404(_("No such policy, or it is not published."))
    return render(request, "policies/policy_detail.html", {"policy": policy})


@public_page
def interpretation_detail(request, pk):
    interpretation = selectors.interpretation_detail(pk, request.user)
    if interpretation is None:
        raise Http404(_("No such interpretation."))
    return render(
        request,
        "policies/interpretation_detail.html",
        {"interpretation": interpretation, "policy": interpretation.policy},
    )


def attachment_download(request, pk):
    """As the rule `policies.view_attachment` allows (policies/rules.py); always a download
    (Content-Disposition: attachment, nosniff), never rendered inline."""
    attachment = selectors.attachment_by_pk(pk)
    if attachment is None:
        raise Http404(_("No such attachment."))
    filename = f"{attachment.title}.{attachment.extension.lower()}" if attachment.extension else attachment.title
    return download_response(
        request,
        "policies.view_attachment",
        attachment,
        "file",
        filename,
        attachment.content_type or mimetypes.guess_type(filename)[0],
    )


@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscriptionForm(request.POST if request.method == "POST" else None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        # Each request mails a confirmation: limited per client and per address mailed to.
        email = form.cleaned_data["email"].strip().lower()
        if ratelimit.over_limit(
            request, group="policies:subscribe", limit=settings.POLICY_SUBSCRIPTION_MAILS_PER_HOUR
        ) or ratelimit.over_limit(
            request,
            group="policies:subscribe-email",
            key=email,
            window=24 * 3600,
            limit=settings.POLICY_SUBSCRIPTION_MAILS_PER_DAY_PER_EMAIL,
        ):
            form.add_error(None, _("Too many subscription requests. Please try again later."))
            status = 429
        else:
            services.subscription_request(
                email=email, themes=form.cleaned_data["themes"], industries=form.cleaned_data["industries"]
            )
            return render(request, "policies/subscription_sent.html", {"email": form.cleaned_data["email"]})
    return render(request, "policies/subscription_form.html", {"form": form}, status=status)


def subscription_confirm(request, token):
    subscription = services.subscription_confirm(token=token)
    if subscription is None:
        return render(request, "policies/subscription_invalid.html", status=400)
    messages.success(
        request,
        _("Your subscription is confirmed. New policies will be sent to %(email)s.") % {"email": subscription.email},
    )
    return redirect("policies:home")


@csrf_exempt  # the signed token is the credential; mail clients post without a CSRF cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """One click: a POST (from the button, or the mail client's List-Unsubscribe-Post) ends the
    subscription; a GET shows the button, so link scanners cannot unsubscribe anyone."""
    subscription = services.subscription_token_read(token, "unsubscribe")
    if subscription is None:
        return render(request, "policies/subscription_invalid.html", status=400)
    if request.method == "POST":
        services.subscription_cancel(token=token)
        return render(request, "policies/unsubscribed.html", {"subscription": subscription})
    return render(request, "policies/unsubscribe_confirm.html", {"subscription": subscription})
