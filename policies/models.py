"""Policy disclosure (涉企政策公开): policies with their government-disclosure metadata,
interpretations, attachments, change notes and e-mail subscriptions."""

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.models import Industry, Scale, Unit
from portal.core.uploads import ProtectedFileField, UploadValidator, check_upload
from portal.core.validators import validate_link

SUMMARY_MAX = 100
INTERPRETATION_DUE_WORKDAYS = 3  # 解读与政策同步: flagged after 3 working days without one
DISCLOSURE_LIMIT_WORKDAYS = 20  # 政府信息公开条例: published within 20 working days of 成文


class Level(models.TextChoices):
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    MUNICIPAL = "municipal", _("Municipal")
    COUNTY = "county", _("County")
    TOWN = "town", _("Town")


class Theme(models.Model):
    """主题分类: 财政扶持, 税收优惠, 金融信贷 ..."""

    name = models.CharField(_("name"), max_length=30, unique=True)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("policies:list") + f"?theme={self.slug}"


class PolicyQuerySet(models.QuerySet):
    def published(self, now=None):
        """Published and past their publication moment: what the public may see."""
        return self.filter(status=Policy.Status.PUBLISHED, published_at__lte=now or timezone.now())

    def visible_to(self, user):
        """What `user` may open: the public sees published policies; officials also preview
        their own unit's unpublished ones; the county office previews all."""
        from portal.core.access import sees_all_units, unit_of

        published = Q_published(timezone.now())
        if sees_all_units(user):
            return self
        unit = unit_of(user)
        if unit is not None:
            return self.filter(published | models.Q(unit=unit))
        return self.filter(published)

    def in_force(self):
        return self.filter(validity=Policy.Validity.IN_FORCE)

    def with_open_window(self, today=None):
        """Support policies whose application window (申报) is open today."""
        today = today or timezone.localdate()
        return self.filter(application_opens__lte=today, application_closes__gte=today)

    def for_enterprise(self, enterprise):
        """适用于我的政策: in force, matching the enterprise's industry, scale and town (an
        empty list on the policy means "all")."""
        qs = self.in_force()
        if enterprise.industry:
            qs = qs.filter(models.Q(industries=[]) | models.Q(industries__contains=[enterprise.industry]))
        if enterprise.scale:
            qs = qs.filter(models.Q(scales=[]) | models.Q(scales__contains=[enterprise.scale]))
        return qs.filter(models.Q(level=Level.TOWN, unit=enterprise.town_id) | ~models.Q(level=Level.TOWN))

    def for_list(self):
        return self.select_related("unit").prefetch_related("themes")


def Q_published(now):
    return models.Q(status=Policy.Status.PUBLISHED, published_at__lte=now)


class Policy(models.Model):
    """政策文件 with the metadata Chinese government sites publish for every document."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Validity(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        AMENDED = "amended", _("Amended")
        REPEALED = "repealed", _("Repealed")
        EXPIRED = "expired", _("Expired")

    title = models.CharField(_("title"), max_length=300)
    index_number = models.CharField(
        _("index number (索引号)"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Left empty, it is generated on publication as unit code/year-serial; never changed afterwards."),
    )
    doc_number = models.CharField(_("document number (文号)"), max_length=100, blank=True)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="policies",
        verbose_name=_("responsible unit"),
        help_text=_("The unit that issues the document, or that publishes an outside body's document."),
    )
    issuer_name = models.CharField(
        _("outside issuing body"),
        max_length=100,
        blank=True,
        help_text=_("Only for documents of an outside body, e.g. 广东省人民政府; empty when the unit issued it."),
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, default=Level.COUNTY)
    themes = models.ManyToManyField(Theme, blank=True, related_name="policies", verbose_name=_("themes"))
    industries = ArrayField(
        models.CharField(max_length=1, choices=Industry.choices),
        default=list,
        blank=True,
        verbose_name=_("industries"),
        help_text=_("Empty: every industry."),
    )
    scales = ArrayField(
        models.CharField(max_length=10, choices=Scale.choices),
        default=list,
        blank=True,
        verbose_name=_("enterprise scales"),
        help_text=_("Empty: every scale."),
    )
    written_on = models.DateField(_("date written (成文日期)"), null=True, blank=True)
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    published_on = models.DateField(_("publication date (发布日期)"), null=True, blank=True)
    effective_on = models.DateField(_("effective date (施行日期)"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date (失效日期)"), null=True, blank=True)
    keywords = models.CharField(_("subject words (主题词)"), max_length=200, blank=True)
    summary = models.CharField(_("summary"), max_length=SUMMARY_MAX, blank=True)
    body = models.TextField(_("text"), help_text=_("Markdown: blank lines separate paragraphs; # for headings."))
    validity = models.CharField(
        _("validity (有效性)"), max_length=10, choices=Validity.choices, default=Validity.IN_FORCE
    )
    validity_changed_on = models.DateField(_("validity changed on"), null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces", verbose_name=_("replaced by")
    )
    related = models.ManyToManyField("self", blank=True, verbose_name=_("related policies"))
    application_opens = models.DateField(_("applications open (申报开始)"), null=True, blank=True)
    application_closes = models.DateField(_("applications close (申报截止)"), null=True, blank=True)
    application_url = models.CharField(
        _("service-guide item or application address"),
        max_length=300,
        blank=True,
        validators=[validate_link],
        help_text=_("A page of this site (/guide/…) or an http(s) address."),
    )
    application_contact = models.CharField(_("application contact"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("drafted by"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = PolicyQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        permissions = [("publish_policy", _("Can publish and withdraw policies"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(application_closes__isnull=True)
                | models.Q(application_opens__isnull=True)
                | models.Q(application_closes__gte=models.F("application_opens")),
                name="policy_window_order",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="policy_published_has_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="withdrawn") | ~models.Q(withdrawal_reason=""),
                name="policy_withdrawn_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-published_at"], name="policy_status_pub_idx"),
            models.Index(fields=["unit", "status"], name="policy_unit_status_idx"),
            models.Index(fields=["level", "-published_on"], name="policy_level_idx"),
            models.Index(fields=["validity"], name="policy_validity_idx"),
            models.Index(fields=["application_closes", "application_opens"], name="policy_window_idx"),
            models.Index(fields=["doc_number"], name="policy_doc_number_idx"),
            # The public list: newest first (the tie broken by id, as it sorts), and the year filter.
            models.Index(
                fields=["-published_at", "-id"], name="policy_public_date_idx", condition=models.Q(status="published")
            ),
            models.Index(fields=["published_on"], name="policy_public_day_idx", condition=models.Q(status="published")),
            # The list filtered by level or by issuing unit, newest first: the page and its count
            # read one range of one index (the theme filter: policies_policy_themes_theme_idx).
            models.Index(
                fields=["level", "-published_at", "-id"],
                name="policy_public_level_idx",
                condition=models.Q(status="published"),
            ),
            models.Index(
                fields=["unit", "-published_at", "-id"],
                name="policy_public_unit_idx",
                condition=models.Q(status="published"),
            ),
            models.Index(
                fields=["validity", "-published_at", "-id"],
                name="policy_public_validity_idx",
                condition=models.Q(status="published"),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("policies:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.summary and len(self.summary) > SUMMARY_MAX:
            errors["summary"] = _("The summary may have at most 100 characters.")
        if self.application_opens and self.application_closes and self.application_closes < self.application_opens:
            errors["application_closes"] = _("Applications cannot close before they open.")
        if self.effective_on and self.expires_on and self.expires_on < self.effective_on:
            errors["expires_on"] = _("The expiry date cannot be before the effective date.")
        if self.replaced_by_id and self.replaced_by_id == self.pk:
            errors["replaced_by"] = _("A policy cannot replace itself.")
        if self.validity == self.Validity.IN_FORCE and self.replaced_by_id:
            errors["validity"] = _("A policy that has been replaced is no longer simply in force.")
        if errors:
            raise ValidationError(errors)

    @property
    def issuer(self):
        """发布机构 as shown to the public."""
        return self.issuer_name or (self.unit.name if self.unit_id else "")

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and self.published_at and self.published_at > timezone.now()

    @property
    def in_force(self):
        return self.validity == self.Validity.IN_FORCE

    @property
    def ends_on(self):
        """失效日期 as the reader needs it: the set expiry date, or the day an expired policy
        was marked so when it had none (the banner shows the same date)."""
        if self.expires_on:
            return self.expires_on
        return self.validity_changed_on if self.validity == self.Validity.EXPIRED else None

    @property
    def window_open(self):
        today = timezone.localdate()
        return bool(
            self.application_opens
            and self.application_closes
            and self.application_opens <= today <= self.application_closes
        )

    @property
    def days_left(self):
        if not self.application_closes:
            return None
        return (self.application_closes - timezone.localdate()).days

    @cached_property
    def body_html(self):
        from .rendering import render_markdown

        return render_markdown(self.body)

    @property
    def interpretation_due_on(self):
        from portal.core.workdays import add_workdays

        return add_workdays(self.published_on, INTERPRETATION_DUE_WORKDAYS) if self.published_on else None

    @property
    def disclosure_workdays(self):
        """Working days from 成文 to 发布 (the regulation allows 20)."""
        from portal.core.workdays import workdays_between

        if not (self.written_on and self.published_on):
            return None
        return workdays_between(self.written_on, self.published_on)


class Interpretation(models.Model):
    """政策解读: published with its policy, linked both ways."""

    class Form(models.TextChoices):
        TEXT = "text", _("Text")
        GRAPHIC = "graphic", _("Illustrated")
        QA = "qa", _("Questions and answers")

    policy = models.ForeignKey(
        Policy, on_delete=models.CASCADE, related_name="interpretations", verbose_name=_("policy")
    )
    title = models.CharField(_("title"), max_length=300)
    # "form" alone is also a visit's 走访形式: each names its own meaning.
    form = models.CharField(
        pgettext_lazy("policy interpretation", "form"), max_length=10, choices=Form.choices, default=Form.TEXT
    )
    author = models.CharField(_("interpreted by"), max_length=100, blank=True)
    published_on = models.DateField(_("publication date"), default=datetime.date.today)
    body = models.TextField(_("text"), help_text=_("Markdown."))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["published_on", "id"]
        verbose_name = _("interpretation")
        verbose_name_plural = _("interpretations")
        indexes = [models.Index(fields=["policy", "published_on"], name="interp_policy_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("policies:interpretation", args=[self.pk])

    @cached_property
    def body_html(self):
        from .rendering import render_markdown

        return render_markdown(self.body)


def attachment_path(instance, filename):
    return f"policies/{timezone.now():%Y/%m}/{filename}"


class Attachment(models.Model):
    """附件: PDF, Word, Excel or an image; checked by content on upload, always downloaded."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("policy"))
    title = models.CharField(_("title"), max_length=200)
    file = ProtectedFileField(
        _("file"),
        upload_to=attachment_path,
        max_length=300,
        download_view="policies:attachment",
        validators=[UploadValidator()],
    )
    content_type = models.CharField(_("content type"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size in bytes"), default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("policies:attachment", args=[self.pk])

    @property
    def extension(self):
        return self.file.name.rsplit(".", 1)[-1].upper() if "." in self.file.name else ""

    def clean(self):
        if self.file and not self.file._committed:
            self.content_type, self.size = check_upload(self.file), self.file.size


class PolicyChange(models.Model):
    """更新说明: a change to a published policy, listed on its public page."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="changes", verbose_name=_("policy"))
    note = models.CharField(_("change note"), max_length=300)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        ordering = ["-changed_at"]
        verbose_name = _("change note")
        verbose_name_plural = _("change notes")

    def __str__(self):
        return self.note


class Subscription(models.Model):
    """An e-mail subscription by theme and industry; confirmed by a link (double opt-in)."""

    email = models.EmailField(_("e-mail"), unique=True)
    themes = models.ManyToManyField(Theme, blank=True, verbose_name=_("themes"))
    industries = ArrayField(
        models.CharField(max_length=1, choices=Industry.choices), default=list, blank=True, verbose_name=_("industries")
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last digest sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        indexes = [
            models.Index(
                fields=["confirmed_at"],
                name="subscription_confirmed_idx",
                condition=models.Q(unsubscribed_at__isnull=True),
            )
        ]

    def __str__(self):
        return self.email

    @property
    def is_active(self):
        return self.confirmed_at is not None and self.unsubscribed_at is None
