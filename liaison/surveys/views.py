"""Pages of the evaluation: answering (logged in, or by the personal link) and the results
(county office: everything, with names where it must follow up; county leaders: every department's
aggregates; a department: its own aggregates and anonymised comments)."""

from functools import wraps

from django.contrib import admin, messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.core import spreadsheets
from portal.core.access import acting_enterprise, enterprise_account_of, official_of
from portal.models import Enterprise, Unit
from portal.core.page_cache import public_page
from portal.core.workflow import ActionRefused

from . import selectors, services
from .forms import AnswerForm, CopyForm, FindingForm, LettersForm, load_questions
from .models import Survey, SurveyResponse


# --- answering ------------------------------------------------------------------------------


@login_required
def index(request):
    """An enterprise's campaigns; officials go to the results."""
    if official_of(request.user) or request.user.is_staff:
        if (
            not selectors.sees_everything(request.user)
            and selectors.results_unit(request.user) is None
            and selectors.letter_towns(request.user).exists()
        ):
            return redirect("surveys:letters_list")  # a town's officials: they print the letters
        return redirect("surveys:results_list")
    enterprise = acting_enterprise(request.user)
    if enterprise is None:
        return _refuse(request, _("Only a confirmed enterprise account can answer evaluation surveys."))
    surveys = list(selectors.surveys_for_enterprise(enterprise))
    responses = {r.survey_id: r for r in SurveyResponse.objects.filter(enterprise=enterprise, survey__in=surveys)}
    for survey in surveys:
        survey.my_response = responses.get(survey.pk)
    return render(request, "surveys/survey_list.html", {"surveys": surveys, "enterprise": enterprise})


@login_required
def answer(request, pk):
    enterprise = acting_enterprise(request.user)
    if enterprise is None:
        account = enterprise_account_of(request.user)
        message = (
            _("Your account is waiting for confirmation; until then you cannot answer for the enterprise.")
            if account
            else _("Only a confirmed enterprise account can answer evaluation surveys.")
        )
        return _refuse(request, message)
    survey = get_object_or_404(Survey.objects.published(), pk=pk)
    return _answer(request, survey, enterprise, action_url=reverse("surveys:answer", args=[pk]))


def personal(request, token):
    """The personal link from the invitation: answers for the enterprise it names, no login."""
    ids = services.read_token(token)
    if ids is None:
        raise Http404
    survey = get_object_or_404(Survey.objects.published(), pk=ids[0])
    enterprise = get_object_or_404(Enterprise, pk=ids[1])
    return _answer(request, survey, enterprise, action_url=request.path, personal=True)


def _answer(request, survey, enterprise, *, action_url, personal=False):
    if not survey.targets(enterprise):
        raise Http404
    response = services.response_for(survey=survey, enterprise=enterprise)
    context = {
        "survey": survey,
        "enterprise": enterprise,
        "response": response,
        "action_url": action_url,
        "personal": personal,
    }
    if response is not None and response.is_submitted:
        return render(request, "surveys/response_done.html", context)
    if not survey.is_open:
        return render(request, "surveys/survey_closed.html", context, status=410 if survey.is_closed else 403)
    questions = load_questions(survey)
    submit = request.POST.get("action") == "submit"
    if request.method == "POST":
        form = AnswerForm(request.POST, questions=questions, submit=submit)
        if form.is_valid():
            try:
                response = services.response_save(
                    survey=survey,
                    enterprise=enterprise,
                    answers=form.answers(),
                    submit=submit,
                    user=request.user,
                    respondent_name=form.cleaned_data["respondent_name"],
                    allow_named_follow_up=form.cleaned_data["allow_named_follow_up"],
                )
            except ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                if submit:
                    messages.success(request, _("Thank you. Your answers have been submitted."))
                else:
                    messages.success(
                        request,
                        _("Your answers are saved. You can come back through the same link and finish before %(date)s.")
                        % {"date": survey.closes_on},
                    )
                return redirect(action_url)
        status = 400
    else:
        if response is not None:
            response = SurveyResponse.objects.prefetch_related(
                "ratings", "unit_answers", "choice_answers", "text_answers"
            ).get(pk=response.pk)
        form = AnswerForm(questions=questions, response=response)
        status = 200
    context.update(form=form, blocks=form.layout())
    return render(request, "surveys/response_form.html", context, status=status)


def _refuse(request, message, status=403):
    return render(request, "surveys/refused.html", {"message": message}, status=status)


# --- results (officials) --------------------------------------------------------------------


def _workspace_required(may_enter):
    """A decorator: officials who passed the workspace's login (with its second factor where
    required) and for whom `may_enter(user)` holds; everyone else is refused."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not admin.site.has_permission(request):
                if request.user.is_staff:
                    return redirect_to_login(request.get_full_path(), reverse("admin:login"))
                raise PermissionDenied
            if not may_enter(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


# The county office or a department.
official_required = _workspace_required(
    lambda user: selectors.sees_everything(user) or selectors.results_unit(user) is not None
)


def office_required(view):
    @wraps(view)
    @official_required
    def wrapper(request, *args, **kwargs):
        if not selectors.runs_campaigns(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _visible_survey(request, pk):
    return get_object_or_404(selectors.surveys_with_results_for(request.user), pk=pk)


def _scope_unit(request):
    """None for the county office (every unit), else the official's department."""
    return None if selectors.sees_everything(request.user) else selectors.results_unit(request.user)


@official_required
def results_list(request):
    surveys = selectors.surveys_with_results_for(request.user).order_by("-opens_on")
    return render(
        request,
        "surveys/results_list.html",
        {
            "surveys": surveys,
            "everything": selectors.sees_everything(request.user),
            "office": selectors.runs_campaigns(request.user),
            "unit": selectors.results_unit(request.user),
        },
    )


@official_required
def results(request, pk):
    survey = _visible_survey(request, pk)
    unit = _scope_unit(request)
    data = selectors.campaign_results(survey, unit=unit, with_comments=unit is not None)
    context = {
        "survey": survey,
        "results": data,
        "everything": unit is None,
        "unit": unit,
        "office": selectors.runs_campaigns(request.user),
    }
    if unit is None:
        context["choice_summary"] = selectors.choice_summary(survey)
    return render(request, "surveys/results_detail.html", context)


@official_required
def results_unit(request, pk, unit_pk):
    survey = _visible_survey(request, pk)
    scope = _scope_unit(request)
    if scope is not None and scope.pk != unit_pk:
        raise Http404
    unit = get_object_or_404(Unit, pk=unit_pk)
    data = selectors.campaign_results(survey, unit=unit, with_comments=True)
    if not data.units:
        raise Http404
    return render(
        request,
        "surveys/results_unit.html",
        {"survey": survey, "results": data, "result": data.units[0], "everything": scope is None},
    )


@official_required
def results_report(request, pk):
    """The printable report (print CSS; the browser's "save as PDF" gives the PDF)."""
    survey = _visible_survey(request, pk)
    unit = _scope_unit(request)
    data = selectors.campaign_results(survey, unit=unit, with_comments=True)
    return render(
        request, "surveys/results_report.html", {"survey": survey, "results": data, "everything": unit is None}
    )


@official_required
def results_xlsx(request, pk):
    from .exports import results_workbook

    survey = _visible_survey(request, pk)
    unit = _scope_unit(request)
    data = selectors.campaign_results(survey, unit=unit, with_comments=True)
    content = results_workbook(data, choice_summary=selectors.choice_summary(survey) if unit is None else None)
    return spreadsheets.bytes_response(content, f"survey-{survey.pk}-results.xlsx")


@office_required
def comments(request, pk):
    """The county office's work list: every comment and free-text answer with its enterprise,
    and the form that turns one into a rectification finding for a department."""
    survey = get_object_or_404(Survey.objects.published(), pk=pk)
    units = Unit.objects.departments()
    form = FindingForm(
        request.POST or None,
        survey=survey,
        units=units,
        initial={
            "unit": request.GET.get("unit"),
            "response": request.GET.get("response"),
            "description": request.GET.get("text", ""),
        },
    )
    if request.method == "POST":
        if form.is_valid():
            finding = services.finding_create(survey=survey, created_by=request.user, **form.cleaned_data)
            if finding.sent_at:
                messages.success(
                    request, _("The finding was sent to %(unit)s as a rectification matter.") % {"unit": finding.unit}
                )
            else:
                messages.warning(
                    request, _("The finding was recorded but not sent: %(reason)s") % {"reason": finding.send_error}
                )
            return redirect("surveys:comments", pk=survey.pk)
    source = None
    source_id = form["response"].value()
    if source_id and str(source_id).isdigit():
        source = survey.responses.submitted().select_related("enterprise").filter(pk=source_id).first()
    texts, unit_comments = selectors.text_answers(survey)
    findings = selectors.findings_by_unit(survey)
    return render(
        request,
        "surveys/comments_list.html",
        {
            "survey": survey,
            "texts": texts,
            "unit_comments": unit_comments,
            "form": form,
            "source": source,
            "findings": [f for group in findings.values() for f in group],
        },
        status=400 if request.method == "POST" else 200,
    )


@office_required
@require_POST
def finding_send(request, pk, finding_pk):
    survey = get_object_or_404(Survey.objects.published(), pk=pk)
    finding = get_object_or_404(survey.findings, pk=finding_pk)
    services.finding_send(finding=finding, user=request.user)
    if finding.sent_at:
        messages.success(request, _("Sent to %(unit)s.") % {"unit": finding.unit})
    else:
        messages.warning(request, _("Not sent: %(reason)s") % {"reason": finding.send_error})
    return redirect("surveys:comments", pk=survey.pk)


@office_required
def survey_copy(request, pk):
    source = get_object_or_404(Survey, pk=pk)
    form = CopyForm(request.POST or None, initial={"title": _("%(title)s (copy)") % {"title": source.title}})
    if request.method == "POST" and form.is_valid():
        from django.core.exceptions import ValidationError

        try:
            survey = services.survey_copy(source=source, created_by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("The questionnaire was copied into a new draft campaign."))
            return redirect("admin:surveys_survey_change", survey.pk)
    return render(
        request,
        "surveys/survey_copy.html",
        {"form": form, "source": source},
        status=400 if request.method == "POST" else 200,
    )


@office_required
@require_POST
def results_publish(request, pk):
    """公布 / 撤回: the county office puts a closed campaign's aggregate results on the public site,
    or takes them off again."""
    survey = get_object_or_404(Survey.objects.published(), pk=pk)
    withdraw = request.POST.get("action") == "withdraw"
    try:
        if withdraw:
            services.survey_results_withdraw(survey=survey, user=request.user)
        else:
            services.survey_results_publish(survey=survey, user=request.user)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The results are no longer on the public site.")
            if withdraw
            else _("The results are published on the public site."),
        )
    return redirect("surveys:results", pk=survey.pk)


# --- results (public) -----------------------------------------------------------------------


@public_page
def public_results(request, pk):
    """The published results of a closed campaign, for everyone: each department's scores and
    ranking per dimension and how many enterprises rated it; never who answered or what they wrote."""
    survey = get_object_or_404(selectors.public_surveys(), pk=pk)
    return render(
        request, "surveys/public_results.html", {"survey": survey, "results": selectors.public_campaign_results(survey)}
    )


@office_required
@require_POST
def invitations_send(request, pk):
    survey = get_object_or_404(Survey, pk=pk)
    try:
        sent, missing = services.invitations_send(survey=survey)
    except ActionRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(sent)d invitations sent; %(missing)d enterprises have no e-mail address.")
            % {"sent": sent, "missing": missing},
        )
    return redirect("surveys:results", pk=survey.pk)


# --- paper invitation letters (纸质邀请函) ----------------------------------------------------

# Officials who may print letters for at least one town (the county office, a town's officials).
letters_required = _workspace_required(lambda user: selectors.letter_towns(user).exists())


@letters_required
def letters_list(request):
    """The campaigns whose letters the user may print (a town's officials start here)."""
    surveys = [s for s in selectors.surveys_for_letters(request.user).order_by("closes_on") if s.is_open]
    return render(request, "surveys/letters_list.html", {"surveys": surveys})


@letters_required
def letters(request, pk):
    """Choose a town and download its letters as one PDF: one A4 page per enterprise."""
    survey = get_object_or_404(selectors.surveys_for_letters(request.user), pk=pk)
    towns = selectors.letter_towns(request.user)
    context = {"survey": survey, "office": selectors.runs_campaigns(request.user)}
    if not survey.is_open:
        context["refusal"] = _(
            "The campaign is not open, so no invitation letters can be printed for it: letters "
            "can only be printed between its opening and closing dates."
        )
        return render(request, "surveys/letters_form.html", context, status=409)
    chosen = request.POST.get("town", "")
    if chosen.isdigit() and not towns.filter(pk=chosen).exists() and Unit.objects.towns().filter(pk=chosen).exists():
        raise PermissionDenied  # another town's enterprises
    form = LettersForm(request.POST or None, towns=towns)
    if request.method == "POST" and form.is_valid():
        town = form.cleaned_data["town"]
        try:
            invitations = services.invitation_letters_print(
                survey=survey, town=town, user=request.user, include_emailed=form.cleaned_data["include_emailed"]
            )
        except ActionRefused as exc:
            form.add_error(None, str(exc))
        else:
            if invitations:
                from .letters import letters_pdf

                content = letters_pdf(survey, invitations, phone=selectors.county_office_phone())
                response = HttpResponse(content, content_type="application/pdf")
                response["Content-Disposition"] = (
                    f'attachment; filename="invitation-letters-{survey.pk}-town-{town.pk}.pdf"'
                )
                return response
            form.add_error(
                None,
                _(
                    "No enterprise of %(town)s needs a letter: every enterprise the campaign asks "
                    "there has an e-mail address or has already answered."
                )
                % {"town": town},
            )
    context["form"] = form
    return render(
        request,
        "surveys/letters_form.html",
        context,
        status=400 if request.method == "POST" and not form.is_valid() else 200,
    )
