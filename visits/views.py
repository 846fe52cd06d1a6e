"""Pages: coverage, the enterprise file (一企一档), ledgers and financing totals for officials;
answering appointments and stating financing needs for enterprises (我的企业); the public page
of 政银企 matchmaking events."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.core import spreadsheets
from portal.core.uploads import download_response
from portal.core.access import acting_enterprise, unit_choices_for
from portal.models import Enterprise, Unit
from portal.core.page_cache import public_page

from . import exports, selectors, services
from .access import official_required
from .charts import trend_chart
from .forms import (
    AppointmentAnswerForm,
    CoverageFilterForm,
    FinancingNeedForm,
    LedgerFilterForm,
    PhoneAnswerForm,
    ProblemToMatterForm,
)
from .models import Appointment, Attachment, FinancingNeed, MeetingProblem, VisitProblem
from .periods import current_period, last_periods, parse_period


# --------------------------------------------------------------------------- officials


@official_required
def coverage(request):
    """走访覆盖: the county office sees every unit (or picks one); a unit sees its own."""
    everything = request.user.has_perm("visits.view_county_coverage")
    periods = last_periods(8)
    units = (
        Unit.objects.filter(liaison_assignments__isnull=False).distinct().order_by("sort_order") if everything else None
    )
    form = CoverageFilterForm(request.GET or None, units=units, periods=periods)
    unit = period = None
    if form.is_valid():
        unit = form.cleaned_data.get("unit")
        period = parse_period(form.cleaned_data.get("period"))
    unit = selectors.coverage_unit(request.user, unit)
    data = selectors.coverage(unit=unit, period=period or current_period())
    return render(
        request,
        "visits/coverage_detail.html",
        {
            "form": form,
            "data": data,
            "everything": everything,
            "chart": trend_chart(data.trend),
        },
    )


@official_required
def enterprise_list(request):
    """Find an enterprise to open its file."""
    query = (request.GET.get("q") or "").strip()[:50]
    qs = Enterprise.objects.visible_to(request.user).select_related("town").order_by("town__sort_order", "name")
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(uscc__iexact=query))
    if request.GET.get("key") == "1":
        qs = qs.filter(is_key=True)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "visits/enterprise_list.html",
        {"page": page, "query": query, "key_only": request.GET.get("key") == "1"},
    )


@official_required
def enterprise_file(request, pk):
    enterprise = get_object_or_404(Enterprise.objects.select_related("town"), pk=pk)
    if not selectors.can_view_enterprise_file(request.user, enterprise):
        raise Http404
    return render(
        request,
        "visits/enterprise_detail.html",
        {
            "enterprise": enterprise,
            "file": selectors.enterprise_file(enterprise, request.user),
        },
    )


def _ledger_form(request):
    units = unit_choices_for(request.user)
    if units is None:
        units = Unit.objects.active().order_by("sort_order")
    return LedgerFilterForm(request.GET, units=units, officials=selectors.ledger_officials(request.user))


@official_required
def ledgers(request):
    form = _ledger_form(request)
    if not form.is_valid():
        return render(request, "visits/ledger_list.html", {"form": form}, status=400)
    query = request.GET.urlencode()
    return render(request, "visits/ledger_list.html", {"form": form, "query": query})


@official_required
def ledger_export(request, kind, fmt):
    form = _ledger_form(request)
    if not form.is_valid():
        return render(request, "visits/ledger_list.html", {"form": form}, status=400)
    data = form.cleaned_data
    period = f"{data['start'] or ''}_{data['end'] or ''}".strip("_")
    if kind == "visits":
        visits = selectors.visit_ledger(
            request.user, unit=data["unit"], official=data["official"], start=data["start"], end=data["end"]
        )
        title, header, rows = _("Visit ledger"), exports.visit_ledger_header(), exports.visit_ledger_rows(visits)
    elif kind == "meetings":
        meetings = selectors.meeting_ledger(request.user, unit=data["unit"], start=data["start"], end=data["end"])
        title, header, rows = (
            _("Meeting ledger"),
            exports.meeting_ledger_header(),
            exports.meeting_ledger_rows(meetings),
        )
    else:
        raise Http404
    filename = "".join(
        [
            title,
            f"_{data['unit'].name}" if data["unit"] else "",
            f"_{data['official'].name}" if data["official"] and kind == "visits" else "",
            f"_{period}" if period else "",
        ]
    )
    if fmt == "csv":
        return spreadsheets.csv_response(filename, header, rows)
    if fmt == "xlsx":
        return spreadsheets.xlsx_response(filename, spreadsheets.Sheet(title=title, header=header, rows=rows))
    raise Http404


@official_required
def financing_totals(request):
    return render(request, "visits/financing_totals.html", {"totals": selectors.financing_totals(request.user)})


# --------------------------------------------------------------------------- public


@public_page
def matchmaking(request):
    """政银企对接活动 for everyone: past and coming events and what they achieved, in totals only."""
    return render(request, "visits/matchmaking_public.html", {"data": selectors.public_matchmaking()})


def _problem(kind, pk, user):
    if kind == "visit":
        qs = VisitProblem.objects.visible_to(user).select_related("visit__unit", "enterprise")
    elif kind == "meeting":
        qs = MeetingProblem.objects.visible_to(user).select_related("meeting__unit", "enterprise")
    else:
        raise Http404
    return get_object_or_404(qs, pk=pk)


@official_required
@require_http_methods(["GET", "POST"])
def problem_to_matter(request, kind, pk):
    """The one button per problem: hand it to matter handling (idempotent)."""
    problem = _problem(kind, pk, request.user)
    if not request.user.has_perm(f"visits.change_{kind}problem", problem):
        raise PermissionDenied
    owner_url = reverse(f"admin:visits_{kind}_change", args=[problem.owner.pk])
    form = ProblemToMatterForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                problem, created = services.problem_to_matter(problem=problem, by=request.user)
            except ValidationError as error:
                messages.error(request, "；".join(error.messages))
                return redirect(owner_url)
            if created:
                messages.success(request, _("The problem is now matter %(matter)s.") % {"matter": problem.matter_label})
            else:
                messages.info(
                    request,
                    _("This problem was already handed over as matter %(matter)s.") % {"matter": problem.matter_label},
                )
            return redirect(owner_url)
        status = 400
    return render(
        request,
        "visits/problem_to_matter.html",
        {
            "problem": problem,
            "form": form,
            "owner_url": owner_url,
        },
        status=status,
    )


@official_required
@require_http_methods(["GET", "POST"])
def appointment_answer(request, pk):
    """The official records the enterprise's answer given by phone, or takes its proposed time."""
    appointment = get_object_or_404(
        Appointment.objects.visible_to(request.user).select_related("enterprise", "unit", "proposed_by"), pk=pk
    )
    if not request.user.has_perm("visits.change_appointment", appointment):
        raise PermissionDenied
    back = reverse("admin:visits_appointment_change", args=[pk])
    if request.method == "POST" and request.POST.get("cancel") == "1":
        return _cancel(request, appointment, back, _("The appointment is cancelled."))
    if request.method == "POST" and request.POST.get("take_counter") == "1":
        try:
            services.appointment_accept_counter(appointment=appointment, by=request.user)
        except ValidationError as error:
            messages.error(request, "；".join(error.messages))
        else:
            messages.success(request, _("The appointment is agreed at the time the enterprise proposed."))
        return redirect(back)
    form = PhoneAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.appointment_respond(
                appointment=appointment,
                by=request.user,
                answer=data["answer"],
                starts_at=data.get("starts_at"),
                ends_at=data.get("ends_at"),
                note=data.get("note", ""),
                channel=Appointment.Channel.PHONE,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The enterprise's answer is recorded."))
            return redirect(back)
    return render(
        request,
        "visits/appointment_answer.html",
        {"appointment": appointment, "form": form},
        status=400 if request.method == "POST" else 200,
    )


def _cancel(request, appointment, back, done):
    try:
        services.appointment_cancel(
            appointment=appointment, by=request.user, reason=request.POST.get("reason", "")[:500]
        )
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, done)
    return redirect(back)


# --------------------------------------------------------------------------- enterprises (我的企业)


def _acting_enterprise_or_403(request):
    enterprise = acting_enterprise(request.user)
    if enterprise is None:
        raise PermissionDenied(_("Only a confirmed enterprise account may do this."))
    return enterprise


@login_required
@require_http_methods(["GET", "POST"])
def my_appointment(request, pk):
    enterprise = _acting_enterprise_or_403(request)
    appointment = get_object_or_404(
        Appointment.objects.for_enterprise(enterprise).select_related("unit", "proposed_by"), pk=pk
    )
    if request.method == "POST" and request.POST.get("cancel") == "1":
        return _cancel(
            request,
            appointment,
            reverse("visits:my_appointment", args=[pk]),
            _("The appointment is cancelled; %(unit)s can see it.") % {"unit": appointment.unit.name},
        )
    form = AppointmentAnswerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.appointment_respond(
                appointment=appointment,
                by=request.user,
                answer=data["answer"],
                starts_at=data.get("starts_at"),
                ends_at=data.get("ends_at"),
                note=data.get("note", ""),
                channel=Appointment.Channel.ONLINE,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Thank you; your answer has been sent to %(unit)s.") % {"unit": appointment.unit.name}
            )
            return redirect("portal:my_home")
    return render(
        request,
        "visits/appointment_respond.html",
        {
            "appointment": appointment,
            "form": form,
            "can_answer": appointment.status in (Appointment.Status.PROPOSED, Appointment.Status.ACCEPTED),
            "now": timezone.now(),
        },
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_financing_need(request):
    enterprise = _acting_enterprise_or_403(request)
    form = FinancingNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.financing_need_create(
                enterprise=enterprise, by=request.user, source=FinancingNeed.Source.ENTERPRISE, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Your financing need has been recorded; the county will match it with "
                    "banks and guarantee companies."
                ),
            )
            return redirect("portal:my_home")
    return render(
        request,
        "visits/financingneed_form.html",
        {"form": form, "enterprise": enterprise},
        status=400 if request.method == "POST" else 200,
    )


def attachment_download(request, pk):
    """A visit's document or photo, as the rule `visits.view_attachment` allows (visits/rules.py)."""
    attachment = Attachment.objects.filter(pk=pk).first()
    return download_response(
        request,
        "visits.view_attachment",
        attachment,
        content_type=attachment.content_type if attachment is not None else None,
    )
