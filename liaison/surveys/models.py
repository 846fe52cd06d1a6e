"""政府工作评议: evaluation campaigns, their questions, the enterprises' responses, and the
findings (problems and suggestions) that the county office sends to departments to put right
(整改) as liaison matters.

Scoring (the one definition every page and export uses, see selectors.points_expression):
a five-point rating maps to 100/80/60/40/20 points, 满意/基本满意/不满意 to 100/60/0; "no
dealings with this department" is not a rating and is left out of every mean.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import Enterprise, Industry, Scale, Unit


class RatingScale(models.TextChoices):
    FIVE_POINT = "five", _("Five-point scale")
    THREE_LEVEL = "three", _("Satisfied / basically satisfied / dissatisfied")


# value stored → (label, points). The highest value is the best rating.
SCALE_LEVELS = {
    RatingScale.FIVE_POINT: [
        (5, _("Very satisfied"), 100),
        (4, _("Satisfied"), 80),
        (3, _("Average"), 60),
        (2, _("Dissatisfied"), 40),
        (1, _("Very dissatisfied"), 20),
    ],
    RatingScale.THREE_LEVEL: [
        (3, _("Satisfied"), 100),
        (2, _("Basically satisfied"), 60),
        (1, _("Dissatisfied"), 0),
    ],
}

DEFAULT_DIMENSIONS = ["服务态度", "办事效率", "政策落实", "廉洁自律"]


class SurveyQuerySet(models.QuerySet):
    def published(self):
        """Campaigns the county office has released (open, closed or scheduled)."""
        return self.filter(published_at__isnull=False)

    def open_on(self, day):
        """Campaigns taking answers on `day`."""
        return self.published().filter(opens_on__lte=day, closes_on__gte=day)

    def open_now(self):
        """Campaigns taking answers today."""
        return self.open_on(timezone.localdate())

    def closed(self):
        """Published campaigns whose answering period is over."""
        return self.published().filter(closes_on__lt=timezone.localdate())

    def results_public(self):
        """Closed campaigns whose results the county office has published for everyone (公布)."""
        return self.closed().filter(results_published_at__isnull=False)

    def targeting(self, enterprise):
        """Campaigns whose target group includes `enterprise`."""
        return self.filter(
            Q(key_only=False) | Q(key_only=enterprise.is_key),
            Q(target_towns__isnull=True) | Q(target_towns=enterprise.town_id),
            Q(target_industries=[]) | Q(target_industries__contains=[enterprise.industry or "-"]),
            Q(target_scales=[]) | Q(target_scales__contains=[enterprise.scale or "-"]),
        ).distinct()


class Survey(models.Model):
    """评议活动: one evaluation campaign and its questionnaire, run by the county office."""

    title = models.CharField(_("title"), max_length=120, unique=True)
    intro = models.TextField(
        _("introduction"), blank=True, help_text=_("Shown above the questionnaire: purpose, anonymity, deadline.")
    )
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    published_at = models.DateTimeField(
        _("published"), null=True, blank=True, help_text=_("Empty while the questionnaire is still being drafted.")
    )
    # 公布: the county office releases a closed campaign's aggregate results to the public.
    results_published_at = models.DateTimeField(
        _("results published"),
        null=True,
        blank=True,
        help_text=_("When the county office published the results on the public site; empty while they are internal."),
    )
    results_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("results published by"),
    )
    # Targeting (面向企业): every filter that is set must match; empty means no restriction.
    key_only = models.BooleanField(_("key enterprises only"), default=False)
    target_towns = models.ManyToManyField(
        Unit, blank=True, related_name="+", verbose_name=_("towns"), limit_choices_to={"kind": Unit.Kind.TOWN}
    )
    target_industries = ArrayField(
        models.CharField(max_length=1, choices=Industry.choices), blank=True, default=list, verbose_name=_("industries")
    )
    target_scales = ArrayField(
        models.CharField(max_length=10, choices=Scale.choices), blank=True, default=list, verbose_name=_("scales")
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("compare with"),
        help_text=_("The earlier campaign the results are compared with."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_on", "-id"]
        verbose_name = _("evaluation campaign")
        verbose_name_plural = _("evaluation campaigns")
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="survey_dates_in_order"),
        ]
        indexes = [models.Index(fields=["opens_on", "closes_on"], name="survey_dates_idx")]

    def __str__(self):
        return self.title

    def clean(self):
        if self.opens_on and self.closes_on and self.closes_on < self.opens_on:
            raise ValidationError({"closes_on": _("The closing date cannot be before the opening date.")})

    def get_absolute_url(self):
        return reverse("surveys:answer", args=[self.pk])

    def get_results_url(self):
        return reverse("surveys:results", args=[self.pk])

    def get_public_results_url(self):
        return reverse("surveys:public_results", args=[self.pk])

    @property
    def results_are_public(self):
        return self.results_published_at is not None and self.is_closed

    @property
    def is_open(self):
        today = timezone.localdate()
        return self.published_at is not None and self.opens_on <= today <= self.closes_on

    @property
    def is_closed(self):
        return self.published_at is not None and self.closes_on < timezone.localdate()

    @property
    def status_label(self):
        if self.published_at is None:
            return _("Draft")
        if self.is_open:
            return _("Open")
        if self.is_closed:
            return _("Closed")
        return _("Scheduled")

    def targeted_enterprises(self):
        """The enterprises this campaign asks."""
        qs = Enterprise.objects.all()
        if self.key_only:
            qs = qs.filter(is_key=True)
        if self.pk and self.target_towns.exists():
            qs = qs.filter(town__in=self.target_towns.all())
        if self.target_industries:
            qs = qs.filter(industry__in=self.target_industries)
        if self.target_scales:
            qs = qs.filter(scale__in=self.target_scales)
        return qs

    def targets(self, enterprise):
        return self.targeted_enterprises().filter(pk=enterprise.pk).exists()


class Question(models.Model):
    class Kind(models.TextChoices):
        RATING_GRID = "grid", _("Rating grid (departments × dimensions)")
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TEXT = "text", _("Free text")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("campaign"))
    order = models.PositiveSmallIntegerField(_("order"), default=10)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    text = models.CharField(_("question"), max_length=300)
    help_text = models.CharField(_("explanation"), max_length=300, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # Rating grids only.
    scale = models.CharField(
        _("rating scale"), max_length=5, choices=RatingScale.choices, default=RatingScale.FIVE_POINT
    )
    allow_no_dealings = models.BooleanField(_("offer “no dealings with this department”"), default=True)
    ask_comment = models.BooleanField(_("ask for problems and suggestions per department"), default=True)
    units = models.ManyToManyField(
        Unit,
        blank=True,
        related_name="+",
        verbose_name=_("departments rated"),
        limit_choices_to={"kind__in": [Unit.Kind.DEPARTMENT, Unit.Kind.AGENCY]},
    )

    class Meta:
        ordering = ["survey", "order", "id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [models.Index(fields=["survey", "order"], name="question_survey_order_idx")]

    def __str__(self):
        return self.text

    @property
    def is_grid(self):
        return self.kind == self.Kind.RATING_GRID

    @property
    def levels(self):
        return SCALE_LEVELS[RatingScale(self.scale)]


class Dimension(models.Model):
    """A column of a rating grid (服务态度, 办事效率 …)."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="dimensions", verbose_name=_("question")
    )
    name = models.CharField(_("dimension"), max_length=30)
    order = models.PositiveSmallIntegerField(_("order"), default=10)

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        constraints = [models.UniqueConstraint(fields=["question", "name"], name="dimension_unique_per_question")]

    def __str__(self):
        return self.name


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices", verbose_name=_("question"))
    label = models.CharField(_("option"), max_length=100)
    order = models.PositiveSmallIntegerField(_("order"), default=10)

    class Meta:
        ordering = ["question", "order", "id"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [models.UniqueConstraint(fields=["question", "label"], name="choice_unique_per_question")]

    def __str__(self):
        return self.label


class Invitation(models.Model):
    """The invitation of one enterprise, by e-mail or as a printed letter, with its personal link
    (signed, works without login; see services.personal_token)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("campaign"))
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="survey_invitations", verbose_name=_("enterprise")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    # 纸质邀请函: for enterprises without e-mail, a town cadre hands the letter over.
    printed_at = models.DateTimeField(
        _("letter printed"), null=True, blank=True, help_text=_("When the paper invitation letter was last printed.")
    )

    class Meta:
        ordering = ["survey", "enterprise__name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["survey", "enterprise"], name="invitation_one_per_enterprise")]

    def __str__(self):
        return f"{self.survey} → {self.enterprise}"


class ResponseQuerySet(models.QuerySet):
    def submitted(self):
        """Finished responses; only these count in results."""
        return self.filter(status=SurveyResponse.Status.SUBMITTED)

    def drafts(self):
        return self.filter(status=SurveyResponse.Status.DRAFT)


class SurveyResponse(models.Model):
    """One enterprise's answers to one campaign; a draft until submitted."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Saved, not yet submitted")
        SUBMITTED = "submitted", _("Submitted")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("campaign"))
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="survey_responses", verbose_name=_("enterprise")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    allow_named_follow_up = models.BooleanField(
        _("the county office may pass my problems on with my enterprise's name"),
        default=False,
        help_text=_("Otherwise departments only ever see your answers without your enterprise's name."),
    )
    respondent_name = models.CharField(_("filled in by"), max_length=50, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(fields=["survey", "enterprise"], name="response_one_per_enterprise"),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="response_submitted_has_time"
            ),
        ]
        indexes = [models.Index(fields=["survey", "status"], name="response_survey_status_idx")]

    def __str__(self):
        return f"{self.survey} · {self.enterprise}"

    @property
    def is_submitted(self):
        return self.status == self.Status.SUBMITTED


class UnitAnswer(models.Model):
    """One department in a rating grid: "no dealings", and the enterprise's comment on it."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="unit_answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    no_dealings = models.BooleanField(default=False)
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question", "unit"], name="unitanswer_unique")]
        indexes = [models.Index(fields=["unit", "question"], name="unitanswer_unit_idx")]


class Rating(models.Model):
    """One cell of a rating grid: a department's rating on one dimension (value 1..5 or 1..3)."""

    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="ratings")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="ratings")
    value = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "unit", "dimension"], name="rating_unique_cell"),
            models.CheckConstraint(condition=Q(value__gte=1, value__lte=5), name="rating_value_range"),
        ]
        indexes = [models.Index(fields=["question", "unit"], name="rating_question_unit_idx")]


class ChoiceAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="choice_answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choice = models.ForeignKey(Choice, on_delete=models.CASCADE, related_name="answers")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "choice"], name="choiceanswer_unique")]


class TextAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="text_answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["response", "question"], name="textanswer_unique")]


class FindingQuerySet(models.QuerySet):
    def for_unit(self, unit):
        return self.filter(unit=unit)


class Finding(models.Model):
    """整改: a problem or suggestion from a campaign that the county office sends to a department
    to put right. It becomes exactly one liaison matter (channel "survey", source = this row)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="findings", verbose_name=_("campaign"))
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="survey_findings",
        verbose_name=_("department"),
        limit_choices_to={"kind__in": [Unit.Kind.DEPARTMENT, Unit.Kind.AGENCY]},
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("problem and what should be put right"))
    # The response it came from, when one enterprise raised it and agreed to be named; never
    # shown to the department otherwise.
    response = models.ForeignKey(
        SurveyResponse,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name=_("from the response of"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent as a matter"), null=True, blank=True)
    send_error = models.CharField(_("why it is not sent yet"), max_length=300, blank=True)

    objects = FindingQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "unit__sort_order", "-created_at"]
        verbose_name = _("rectification finding")
        verbose_name_plural = _("rectification findings")
        indexes = [models.Index(fields=["survey", "unit"], name="finding_survey_unit_idx")]

    def __str__(self):
        return self.title
