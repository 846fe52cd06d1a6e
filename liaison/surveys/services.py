"""Writes for the evaluation: copying a questionnaire, inviting enterprises, saving and
submitting a response, and sending findings to departments as rectification matters."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from portal.core.workflow import Action, ActionRefused, Workflow, transition

from portal.core import messaging

from .models import (
    Choice,
    ChoiceAnswer,
    Dimension,
    Finding,
    Invitation,
    Question,
    Rating,
    Survey,
    SurveyResponse,
    TextAnswer,
    UnitAnswer,
)

LINK_SALT = "surveys.personal-link"


# An enterprise's answers: saved as a draft, then submitted once (final).
RESPONSE_WORKFLOW = Workflow(
    SurveyResponse.Status,
    [
        Action(
            "submit",
            _lazy("Submit the answers"),
            (SurveyResponse.Status.DRAFT,),
            SurveyResponse.Status.SUBMITTED,
            refusal=_lazy("Your enterprise has already submitted its answers to this campaign."),
        ),
    ],
)


# --- campaigns ------------------------------------------------------------------------------


@transaction.atomic
def survey_copy(*, source: Survey, title: str, opens_on, closes_on, created_by=None) -> Survey:
    """A new draft campaign with the questionnaire and targeting of `source`, compared with it."""
    survey = Survey(
        title=title,
        intro=source.intro,
        opens_on=opens_on,
        closes_on=closes_on,
        key_only=source.key_only,
        target_industries=list(source.target_industries),
        target_scales=list(source.target_scales),
        previous=source,
        created_by=created_by,
    )
    survey.full_clean()
    survey.save()
    survey.target_towns.set(source.target_towns.all())
    for question in source.questions.prefetch_related("dimensions", "choices", "units"):
        units = list(question.units.all())
        dimensions = list(question.dimensions.all())
        choices = list(question.choices.all())
        question.pk = None
        question._prefetched_objects_cache = {}  # else set() below compares with the source's units
        question.survey = survey
        question.save()
        question.units.set(units)
        Dimension.objects.bulk_create(Dimension(question=question, name=d.name, order=d.order) for d in dimensions)
        Choice.objects.bulk_create(Choice(question=question, label=c.label, order=c.order) for c in choices)
    return survey


def question_fill_defaults(*, question: Question) -> Question:
    """A rating grid saved without columns or rows gets the usual ones: the four dimensions
    (服务态度, 办事效率, 政策落实, 廉洁自律) and every active department and agency."""
    from portal.models import Unit

    from .models import DEFAULT_DIMENSIONS

    if not question.is_grid:
        return question
    if not question.dimensions.exists():
        Dimension.objects.bulk_create(
            Dimension(question=question, name=name, order=i * 10) for i, name in enumerate(DEFAULT_DIMENSIONS)
        )
    if not question.units.exists():
        question.units.set(Unit.objects.departments().active())
    return question


def survey_publish(*, survey: Survey) -> Survey:
    if not survey.questions.exists():
        raise ActionRefused(_("A campaign without questions cannot be published."))
    if survey.published_at is None:
        survey.published_at = timezone.now()
        survey.save(update_fields=["published_at"])
    return survey


def survey_results_publish(*, survey: Survey, user) -> Survey:
    """公布: put a closed campaign's aggregate results on the public site. Only the county office
    decides this, and only once answering is over (while it is open, figures that move after each
    answer would let anyone guess who answered)."""
    from .selectors import runs_campaigns

    if not runs_campaigns(user):
        raise ActionRefused(_("Only the county office can publish a campaign's results."))
    if not survey.is_closed:
        raise ActionRefused(_("Results can be published only after the campaign has closed."))
    if survey.results_published_at is None:
        survey.results_published_at = timezone.now()
        survey.results_published_by = user
        survey.save(update_fields=["results_published_at", "results_published_by"])
    return survey


def survey_results_withdraw(*, survey: Survey, user) -> Survey:
    """Take published results off the public site again (county office only)."""
    from .selectors import runs_campaigns

    if not runs_campaigns(user):
        raise ActionRefused(_("Only the county office can publish a campaign's results."))
    if survey.results_published_at is not None:
        survey.results_published_at = None
        survey.results_published_by = None
        survey.save(update_fields=["results_published_at", "results_published_by"])
    return survey


# --- personal links and invitations ---------------------------------------------------------


def personal_token(survey, enterprise):
    """The signed token of an enterprise's personal link: it names the campaign and the
    enterprise and cannot be forged or altered."""
    return signing.dumps({"s": survey.pk, "e": enterprise.pk}, salt=LINK_SALT, compress=True)


def personal_url(survey, enterprise):
    return reverse("surveys:personal", args=[personal_token(survey, enterprise)])


def read_token(token):
    """(survey_id, enterprise_id) from a personal link, or None when it is not genuine."""
    try:
        data = signing.loads(token, salt=LINK_SALT)
        return int(data["s"]), int(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def invitations_for(*, survey: Survey, enterprises) -> list[Invitation]:
    """Each enterprise's invitation to `survey`, in the order given, created where it does not
    exist yet (one per enterprise and campaign; its personal link is personal_url()). Two or three
    queries whatever the number of enterprises."""
    enterprises = list(enterprises)
    ids = [e.pk for e in enterprises]

    def existing():
        return {i.enterprise_id: i for i in Invitation.objects.filter(survey=survey, enterprise_id__in=ids)}

    found = existing()
    missing = [Invitation(survey=survey, enterprise=e) for e in enterprises if e.pk not in found]
    if missing:
        # ignore_conflicts: another official printing or sending at the same moment made some.
        Invitation.objects.bulk_create(missing, ignore_conflicts=True)
        found = existing()
    invitations = []
    for enterprise in enterprises:
        invitation = found[enterprise.pk]
        invitation.enterprise, invitation.survey = enterprise, survey  # no query per row later
        invitations.append(invitation)
    return invitations


def invitations_send(*, survey: Survey, only_new=True) -> tuple[int, int]:
    """E-mail every targeted enterprise that has an address and has not submitted its personal
    link. Returns (sent, without an address)."""
    if not survey.is_open:
        raise ActionRefused(_("Invitations can only be sent while the campaign is open."))
    submitted = SurveyResponse.objects.submitted().filter(survey=survey).values("enterprise_id")
    targets = list(survey.targeted_enterprises().exclude(pk__in=submitted).order_by("pk"))
    if only_new:
        sent_before = set(
            Invitation.objects.filter(survey=survey, sent_at__isnull=False).values_list("enterprise_id", flat=True)
        )
        targets = [e for e in targets if e.pk not in sent_before]
    with_email = [e for e in targets if e.email]
    now = timezone.now()
    messages = []
    base = settings.SITE_BASE_URL.rstrip("/")
    with transaction.atomic():
        invitations = invitations_for(survey=survey, enterprises=with_email)
        for invitation in invitations:
            enterprise = invitation.enterprise
            subject = _("%(county)s government work evaluation: %(title)s") % {
                "county": settings.COUNTY_NAME,
                "title": survey.title,
            }
            body = _(
                "To %(name)s:\n\nThe county government invites your enterprise to evaluate the work of its "
                "departments. Your answers are anonymous to the departments. Please answer by %(closes)s "
                "through your personal link (no login needed; you can save and finish later):\n\n%(url)s\n\n"
                "%(sponsor)s"
            ) % {
                "name": enterprise.name,
                "closes": survey.closes_on.isoformat(),
                "url": base + personal_url(survey, enterprise),
                "sponsor": settings.SITE_SPONSOR,
            }
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [enterprise.email]))
            invitation.email, invitation.sent_at = enterprise.email, now
            invitation.send_count += 1
        Invitation.objects.bulk_update(invitations, ["email", "sent_at", "send_count"])
        messaging.send_emails(messages)
    return len(invitations), len(targets) - len(with_email)


def invitation_letters_print(*, survey: Survey, town, user, include_emailed=False) -> list[Invitation]:
    """纸质邀请函: the invitations to print as letters for `town`'s enterprises that the campaign
    asks and that have not submitted: those without an e-mail address, or all of them with
    `include_emailed`. Creates the invitations that do not exist yet and records when they were
    printed. The county office prints for any town, a town's officials for their own town."""
    from .selectors import letter_enterprises, letter_towns

    if not letter_towns(user).filter(pk=town.pk).exists():
        raise PermissionDenied
    if not survey.is_open:
        raise ActionRefused(_("Invitation letters can only be printed while the campaign is open."))
    enterprises = letter_enterprises(survey, town, include_emailed=include_emailed)
    now = timezone.now()
    with transaction.atomic():
        invitations = invitations_for(survey=survey, enterprises=enterprises)
        Invitation.objects.filter(pk__in=[i.pk for i in invitations]).update(printed_at=now)
    for invitation in invitations:
        invitation.printed_at = now
    return invitations


# --- responses ------------------------------------------------------------------------------


def response_for(*, survey: Survey, enterprise) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(survey=survey, enterprise=enterprise).first()


def check_can_answer(*, survey: Survey, enterprise):
    if not survey.is_open:
        raise ActionRefused(_("This campaign is not taking answers."))
    if not survey.targets(enterprise):
        raise ActionRefused(_("This campaign does not ask your enterprise."))


@transaction.atomic
def response_save(
    *,
    survey: Survey,
    enterprise,
    answers: dict,
    submit: bool,
    user=None,
    respondent_name="",
    allow_named_follow_up=False,
) -> SurveyResponse:
    """Save the enterprise's answers (a draft, or submitted when `submit`). `answers` is the
    answering form's cleaned_data (see forms.AnswerForm.answers()). One response per enterprise
    per campaign; a submitted response is final."""
    check_can_answer(survey=survey, enterprise=enterprise)
    response = SurveyResponse.objects.select_for_update().filter(survey=survey, enterprise=enterprise).first()
    if response is None:
        try:
            with transaction.atomic():
                response = SurveyResponse.objects.create(survey=survey, enterprise=enterprise)
        except IntegrityError:  # a second tab or a double click created it meanwhile
            response = SurveyResponse.objects.select_for_update().get(survey=survey, enterprise=enterprise)
    if response.is_submitted:
        raise ActionRefused(_("Your enterprise has already submitted its answers to this campaign."))
    response.ratings.all().delete()
    response.unit_answers.all().delete()
    response.choice_answers.all().delete()
    response.text_answers.all().delete()
    Rating.objects.bulk_create(
        Rating(response=response, question_id=q, unit_id=u, dimension_id=d, value=v)
        for (q, u, d), v in answers["ratings"].items()
    )
    UnitAnswer.objects.bulk_create(
        UnitAnswer(response=response, question_id=q, unit_id=u, no_dealings=nd, comment=comment)
        for (q, u), (nd, comment) in answers["units"].items()
    )
    ChoiceAnswer.objects.bulk_create(
        ChoiceAnswer(response=response, question_id=q, choice_id=c)
        for q, choice_ids in answers["choices"].items()
        for c in choice_ids
    )
    TextAnswer.objects.bulk_create(
        TextAnswer(response=response, question_id=q, text=t) for q, t in answers["texts"].items() if t
    )
    response.respondent_name = respondent_name
    response.allow_named_follow_up = allow_named_follow_up
    response.answered_by = user if getattr(user, "is_authenticated", False) else None
    response.save(update_fields=["respondent_name", "allow_named_follow_up", "answered_by", "updated_at"])
    if submit:

        def apply(response):
            response.submitted_at = timezone.now()
            return ["submitted_at"]

        response = transition(response, RESPONSE_WORKFLOW, "submit", user=user, apply=apply)
    return response


# --- rectification (整改) -------------------------------------------------------------------


@transaction.atomic
def finding_create(
    *, survey: Survey, unit, title: str, description: str, response=None, created_by=None, send=True
) -> Finding:
    """Record a problem or suggestion for a department and, with `send`, turn it into its
    rectification matter at once."""
    if response is not None and response.survey_id != survey.pk:
        raise ActionRefused(_("That response belongs to another campaign."))
    finding = Finding(
        survey=survey, unit=unit, title=title, description=description, response=response, created_by=created_by
    )
    finding.full_clean()
    finding.save()
    if send:
        finding_send(finding=finding, user=created_by)
    return finding


def finding_send(*, finding: Finding, user=None) -> Finding:
    """Create the finding's rectification matter in liaison (channel "survey", category
    rectification, source = the finding: liaison keeps exactly one matter per source). The
    matter names an enterprise only when the enterprise the finding came from allowed it;
    otherwise it goes without an enterprise, so the department cannot tell who raised it."""
    from liaison.services import matter_create

    if finding.sent_at:
        return finding
    enterprise = None
    response = finding.response
    if response is not None and response.allow_named_follow_up:
        enterprise = response.enterprise
    title = _("[Evaluation rectification] %(title)s") % {"title": finding.title}
    description = _(
        "%(description)s\n\nFrom the campaign %(survey)s. Please put this right and report what was done."
    ) % {"description": finding.description, "survey": finding.survey.title}
    try:
        with transaction.atomic():
            matter_create(
                enterprise=enterprise,
                title=title[:200],
                description=description,
                category="rectification",
                channel="survey",
                received_by=finding.unit,
                created_by=user,
                source=finding,
            )
    except ActionRefused as exc:
        finding.send_error = str(exc.message)[:300]
        finding.save(update_fields=["send_error"])
        return finding
    finding.sent_at, finding.send_error = timezone.now(), ""
    finding.save(update_fields=["sent_at", "send_error"])
    return finding
