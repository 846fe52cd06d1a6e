"""Public side of matters: raise one, report a website error, follow it by tracking number
and query code, 我的企业's list, rating, supplying information, downloads, public figures.
Views bind a form, call one service and turn refusals into messages and 4xx."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.core.access import acting_enterprise, enterprise_account_of, official_of
from portal.core.page_cache import public_page
from portal.core.uploads import check_upload, download_response, safe_name
from portal.core.workflow import ActionRefused

from . import antiabuse, clock, figures, selectors, workflow
from .forms import (
    AnonymousMatterForm,
    AnonymousSiteErrorForm,
    ForgotCodeForm,
    MatterForm,
    RateForm,
    SiteErrorForm,
    SupplementForm,
    TrackForm,
)
from .models import Category, HeldUpload, Matter
from .services import matter_attach, matter_rate, matter_reissue_query_code, matter_resume, matter_submit_online

GRANT_KEY = "liaison_tracking_grants"
JUST_SUBMITTED_KEY = "liaison_just_submitted"


def _grant(request, matter):
    grants = request.session.get(GRANT_KEY, [])
    if matter.pk not in grants:
        request.session[GRANT_KEY] = (grants + [matter.pk])[-20:]


def _granted(request, matter):
    return matter.pk in request.session.get(GRANT_KEY, [])


def _just_submitted(request, matter):
    """Remember the new matter for the confirmation page; its plain query code exists only
    now (a repeated submission has none: the code was shown the first time)."""
    _grant(request, matter)
    request.session[JUST_SUBMITTED_KEY] = {"pk": matter.pk, "code": getattr(matter, "issued_query_code", "")}


@public_page
def home(request):
    """How to raise a matter, and the lookup by tracking number."""
    return render(request, "liaison/matter_home.html", {"track_form": TrackForm(), "categories": Category.choices})


def _hold_uploads(form):
    """Keep the good files of a form with errors, so the user need not choose them again."""
    held = list(form.held_files)
    for upload in getattr(form, "good_files", []):
        try:
            mime = check_upload(upload)
        except Exception:  # noqa: BLE001 - already reported by the form
            continue
        item = HeldUpload(original_name=safe_name(upload.name), mime_type=mime, size=upload.size)
        upload.seek(0)
        item.file.save(item.token.hex, upload, save=False)
        item.save()
        held.append(item)
    form.sign_held(held[:5])


@never_cache
def submit(request):
    """Raise a matter online: confirmed enterprise users, or anyone with name and phone."""
    if official_of(request.user) is not None:
        messages.info(request, _("Officials record matters received by phone or in person in the workspace."))
        return redirect("admin:liaison_matter_record")
    enterprise = acting_enterprise(request.user)
    form_class = MatterForm if enterprise else AnonymousMatterForm
    form = form_class(request.POST or None, request.FILES or None, enterprise=enterprise)
    if enterprise is None:
        account = enterprise_account_of(request.user)
        if account is not None:
            messages.warning(
                request,
                _("Your enterprise account is not confirmed yet: the matter is sent as from an unregistered person."),
            )
    if request.method == "POST":
        form.load_held(HeldUpload)
        limited = enterprise is None and antiabuse.over_limit(request, "submit", antiabuse.submission_limit())
        if limited:
            form.add_error(None, _("Too many submissions from your address; please try again in an hour."))
        if not limited and form.is_valid():
            data = form.cleaned_data
            files = [File(h.file.open("rb"), name=h.original_name) for h in form.held_files] + form.good_files
            try:
                with transaction.atomic():
                    matter, created = matter_submit_online(
                        user=request.user,
                        enterprise=enterprise,
                        enterprise_name=data.get("enterprise_name", ""),
                        title=data["title"],
                        description=data["description"],
                        category=data["category"],
                        urgency=data["urgency"],
                        contact_name=data["contact_name"],
                        contact_phone=data["contact_phone"],
                        contact_email=data["contact_email"],
                        attachments=files,
                        idempotency_key=data["submission_token"],
                    )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                for h in form.held_files:
                    h.file.close()
                    h.file.delete(save=False)
                    h.delete()
                _just_submitted(request, matter)
                if not created:
                    messages.info(request, _("This form had already been sent; here is the matter it made."))
                return redirect("liaison:submitted")
        _hold_uploads(form)
        if hasattr(form, "setup_challenge"):
            form.setup_challenge()
        return render(request, "liaison/matter_submit.html", {"form": form, "enterprise": enterprise}, status=400)
    if hasattr(form, "setup_challenge"):
        form.setup_challenge()
    return render(request, "liaison/matter_submit.html", {"form": form, "enterprise": enterprise})


@never_cache
def submitted(request):
    """The tracking number and query code, shown once after submission."""
    just = request.session.get(JUST_SUBMITTED_KEY)
    pk = just.get("pk") if isinstance(just, dict) else None
    matter = Matter.objects.filter(pk=pk).first() if pk else None
    if matter is None or not _granted(request, matter):
        return redirect("liaison:home")
    # Shown once: a reload or a later visit shows the number only.
    code = just.pop("code", "")
    request.session[JUST_SUBMITTED_KEY] = just
    return render(request, "liaison/matter_submitted.html", {"matter": matter, "query_code": code})


@never_cache
def site_error(request):
    """我为政府网站找错: answered within 3 working days."""
    anonymous = acting_enterprise(request.user) is None and official_of(request.user) is None
    form_class = AnonymousSiteErrorForm if anonymous else SiteErrorForm
    form = form_class(request.POST or None)
    if request.method == "POST":
        limited = anonymous and antiabuse.over_limit(request, "submit", antiabuse.submission_limit())
        if limited:
            form.add_error(None, _("Too many submissions from your address; please try again in an hour."))
        if not limited and form.is_valid():
            data = form.cleaned_data
            try:
                matter, _created = matter_submit_online(
                    user=request.user,
                    enterprise=acting_enterprise(request.user),
                    title=_("Website error: %(page)s") % {"page": data["page"][:80]},
                    description=f"{data['page']}\n\n{data['description']}",
                    category=Category.WEBSITE,
                    urgency="normal",
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    contact_email=data["contact_email"],
                    idempotency_key=data["submission_token"],
                    channel=Matter.Channel.SITE_ERROR,
                )
            except ActionRefused as refused:
                form.add_error(None, refused.message)
            else:
                _just_submitted(request, matter)
                return redirect("liaison:submitted")
        if anonymous:
            form.setup_challenge()
        return render(request, "liaison/site_error.html", {"form": form}, status=400)
    if anonymous:
        form.setup_challenge()
    return render(request, "liaison/site_error.html", {"form": form})


@public_page
def _track_form(request):
    return render(request, "liaison/matter_track.html", {"form": TrackForm()})


# No CSRF token: the lookup changes nothing but the visitor's own right to read the matter
# whose number and code were typed, and without a token the form page sets no cookie, so it
# comes from the page cache. The lookup itself is rate-limited per address.
@csrf_exempt
def track(request):
    """Look a matter up with its tracking number AND query code."""
    if request.method != "POST":
        return _track_form(request)
    form = TrackForm(request.POST)
    if antiabuse.over_limit(request, "track", antiabuse.tracking_limit()):
        form.add_error(None, _("Too many lookups from your address; please try again in an hour."))
        response = render(request, "liaison/matter_track.html", {"form": form}, status=429)
    elif (
        form.is_valid()
        and (
            matter := selectors.matter_by_tracking(
                form.cleaned_data["tracking_number"], form.cleaned_data["query_code"]
            )
        )
        is not None
    ):
        _grant(request, matter)
        response = redirect("liaison:track_detail", matter.tracking_number)
    else:
        if form.is_valid():
            form.add_error(None, _("No matter matches this tracking number and query code."))
            status = 404
        else:
            status = 400
        response = render(request, "liaison/matter_track.html", {"form": form}, status=status)
    add_never_cache_headers(response)
    return response


def _public_matter(request, tracking_number, *, mine):
    """The matter behind a public URL, if this visitor may see it; else 404 (never 403, so a
    guessed number reveals nothing)."""
    matter = (
        Matter.objects.select_related("received_by", "lead_unit", "enterprise")
        .filter(tracking_number=tracking_number)
        .first()
    )
    if matter is None:
        raise Http404
    if mine:
        enterprise = acting_enterprise(request.user)
        if enterprise is None or matter.enterprise_id != enterprise.pk:
            raise Http404
    elif not _granted(request, matter):
        raise Http404
    return matter


def _detail(request, matter, *, mine):
    state = matter.state
    context = {
        "matter": matter,
        "mine": mine,
        "timeline": selectors.public_timeline(matter),
        "attachments": selectors.public_attachments(matter),
        "rate_form": RateForm() if state == workflow.REPLIED else None,
        "supplement_form": SupplementForm() if state == workflow.WAITING else None,
        "act_url": reverse("liaison:mine_act" if mine else "liaison:track_act", args=[matter.tracking_number]),
    }
    return context


@never_cache
def forgot_code(request):
    """A lost query code: a new one goes to the e-mail on file. The answer is the same
    whether or not the number exists, so the page reveals nothing."""
    form = ForgotCodeForm(request.POST or None)
    sent = False
    if request.method == "POST":
        if antiabuse.over_limit(request, "forgot_code", antiabuse.tracking_limit()):
            form.add_error(None, _("Too many requests from your address; please try again in an hour."))
            return render(request, "liaison/matter_forgot_code.html", {"form": form}, status=429)
        if form.is_valid():
            matter_reissue_query_code(tracking_number=form.cleaned_data["tracking_number"])
            sent, form = True, ForgotCodeForm()
        else:
            return render(request, "liaison/matter_forgot_code.html", {"form": form}, status=400)
    return render(request, "liaison/matter_forgot_code.html", {"form": form, "sent": sent})


@never_cache
def track_detail(request, tracking_number):
    matter = _public_matter(request, tracking_number, mine=False)
    return render(request, "liaison/matter_detail.html", _detail(request, matter, mine=False))


@login_required
@never_cache
def mine(request):
    """我的企业 → 我的诉求: the enterprise's matters."""
    enterprise = acting_enterprise(request.user)
    if enterprise is None:
        raise Http404
    matters = selectors.matters_for_enterprise(enterprise, request.user)
    return render(request, "liaison/matter_mine.html", {"matters": matters[:200], "enterprise": enterprise})


@login_required
@never_cache
def mine_detail(request, tracking_number):
    matter = _public_matter(request, tracking_number, mine=True)
    return render(request, "liaison/matter_detail.html", _detail(request, matter, mine=True))


def _act(request, tracking_number, *, mine):
    matter = _public_matter(request, tracking_number, mine=mine)
    action = request.POST.get("action")
    grant = not mine
    if action == "rate":
        form = RateForm(request.POST)
    elif action == "resume":
        form = SupplementForm(request.POST, request.FILES)
    else:
        raise Http404
    if form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                if action == "rate":
                    matter_rate(
                        matter=matter,
                        user=request.user,
                        rating=data.get("rating"),
                        comment=data.get("reason", ""),
                        tracking_grant=grant,
                    )
                else:
                    matter_resume(
                        matter=matter, user=request.user, message=data.get("message", ""), tracking_grant=grant
                    )
                if action == "resume" and data["attachments"]:
                    matter_attach(matter=matter, uploads=form.cleaned_data["attachments"])
        except ActionRefused as refused:
            messages.error(request, refused.message)
            context = _detail(request, matter, mine=mine)
            return render(request, "liaison/matter_detail.html", context, status=409)
        messages.success(
            request,
            _("Thank you: your rating has been recorded.")
            if action == "rate"
            else _("Thank you: the unit has your answer and the clock runs again."),
        )
        return redirect(request.path.rsplit("act/", 1)[0])
    context = _detail(request, matter, mine=mine)
    context["rate_form" if action == "rate" else "supplement_form"] = form
    return render(request, "liaison/matter_detail.html", context, status=400)


@require_POST
def track_act(request, tracking_number):
    return _act(request, tracking_number, mine=False)


@require_POST
@login_required
def mine_act(request, tracking_number):
    return _act(request, tracking_number, mine=True)


def attachment(request, public_id):
    """A download, only for those who may see the matter (public files only outside the
    government)."""
    item = selectors.attachment_for(public_id)
    if item is None:
        raise Http404
    # The rule (liaison/rules.py), or a public file of the matter this visitor tracked by number.
    return download_response(
        request,
        "liaison.view_matterattachment",
        item,
        "file",
        item.original_name,
        granted=item.is_public and _granted(request, item.matter),
    )


@public_page
def public_figures(request):
    """The county's overall figures, for everyone."""
    today = clock.today()
    start = today.replace(month=1, day=1)
    totals = figures.unit_figures(Matter.objects.all(), start, today, by_unit=False)
    trend = figures.monthly_trend(Matter.objects.all(), today, months=12)
    return render(
        request,
        "liaison/figures_public.html",
        {"totals": totals, "trend": trend, "start": start, "end": today, "definitions": figures.DEFINITIONS},
    )
