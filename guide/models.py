"""The Enterprise Service Guide (企业服务指南): editions, leaders' division of labour, service
items with their materials, steps, fees and FAQs, and the loan products of banks and guarantee
companies.

Publication rules (who sees what) live in the querysets here; writes that touch several rows
(preparing an edition, approving a revision) live in services.py.
"""

import datetime

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import FinancialInstitution, Unit
from portal.core.uploads import ProtectedFileField, UploadValidator
from portal.core.validators import validate_http_url

REVIEW_INTERVAL_DAYS = 365  # items not reviewed for 12 months are flagged


class Topic(models.TextChoices):
    """Life-cycle topics (主题) an enterprise browses by."""

    START_UP = "start_up", _("Starting a business")
    CONSTRUCTION = "construction", _("Project construction")
    OPERATIONS = "operations", _("Production and operation")
    FINANCE = "finance", _("Finance and credit")
    STAFF = "staff", _("Talent and employment")
    EXIT = "exit", _("Closing down")


class GuideEditionQuerySet(models.QuerySet):
    def current(self):
        """The one edition enterprises see (at most one row)."""
        return self.filter(status=GuideEdition.Status.CURRENT)

    def public(self):
        """Editions whose downloads are public: the current one and archived ones."""
        return self.filter(status__in=[GuideEdition.Status.CURRENT, GuideEdition.Status.ARCHIVED])

    def in_preparation(self):
        return self.filter(status=GuideEdition.Status.DRAFT)


class GuideEdition(models.Model):
    """One edition of the guide (e.g. 2026年版). Exactly one is current; a new one is prepared
    as a copy while the current stays public, then published in one step."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        CURRENT = "current", _("Current")
        ARCHIVED = "archived", _("Archived")

    title = models.CharField(_("title"), max_length=100, unique=True, help_text=_("For example 2026年版."))
    slug = models.SlugField(
        _("URL name"), max_length=30, unique=True, help_text=_("Used in download addresses, for example 2026.")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    foreword = models.TextField(_("foreword"), blank=True)
    compiled_by = models.CharField(_("compiled by"), max_length=100, blank=True, default="清新县人民政府办公室")
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("copied from")
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    files_built_at = models.DateTimeField(_("downloads built"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = GuideEditionQuerySet.as_manager()

    class Meta:
        ordering = ["-slug"]
        verbose_name = _("guide edition")
        verbose_name_plural = _("guide editions")
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="current"), name="guide_one_current_edition"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("guide:edition", kwargs={"slug": self.slug})

    @property
    def full_title(self):
        return f"企业服务指南（{self.title}）"

    @property
    def is_current(self):
        return self.status == self.Status.CURRENT

    @property
    def is_public(self):
        return self.status in (self.Status.CURRENT, self.Status.ARCHIVED)


class LeaderDutyQuerySet(models.QuerySet):
    def published(self):
        """Duties in the current edition."""
        return self.filter(edition__status=GuideEdition.Status.CURRENT)


class LeaderDuty(models.Model):
    """领导分工: a county or town leader's post, the work and units in their charge."""

    class Level(models.TextChoices):
        COUNTY = "county", _("County leader")
        TOWN = "town", _("Town leader")

    edition = models.ForeignKey(
        GuideEdition, on_delete=models.CASCADE, related_name="leader_duties", verbose_name=_("edition")
    )
    level = models.CharField(_("level"), max_length=10, choices=Level.choices, default=Level.COUNTY)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="guide_leader_duties",
        verbose_name=_("unit"),
        help_text=_("The county government, or the leader's town."),
    )
    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=100)
    duties = models.TextField(_("work in charge"))
    units_in_charge = models.TextField(_("units in charge"), blank=True)
    liaison_enterprises = models.TextField(_("liaison enterprises (public)"), blank=True)
    office_phone = models.CharField(_("office phone"), max_length=50, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    objects = LeaderDutyQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "level", "unit__sort_order", "sort_order", "id"]
        verbose_name = _("leader's duties")
        verbose_name_plural = _("leaders' division of labour")
        indexes = [models.Index(fields=["edition", "level", "sort_order"], name="guide_duty_edition_idx")]

    def __str__(self):
        return f"{self.name}（{self.post}）"


class ServiceItemQuerySet(models.QuerySet):
    def masters(self):
        """Items themselves, not pending revisions of them."""
        return self.filter(revision_of__isnull=True)

    def approved(self):
        """Approved content only: what enterprises may see in a public edition."""
        return self.masters().filter(status=ServiceItem.Status.APPROVED)

    def in_edition(self, edition):
        return self.filter(edition=edition)

    def published(self):
        """Items enterprises see: approved items of the current edition."""
        return self.approved().filter(edition__status=GuideEdition.Status.CURRENT)

    def public_in(self, edition):
        """Approved items of a public edition (current or archived), for downloads."""
        if not edition.is_public:
            return self.none()
        return self.approved().filter(edition=edition)

    def pending_approval(self):
        """Revisions and new items waiting for the county office."""
        return self.filter(status=ServiceItem.Status.SUBMITTED)

    def review_overdue(self, today=None):
        """Items not reviewed for 12 months (or never)."""
        today = today or timezone.localdate()
        limit = today - datetime.timedelta(days=REVIEW_INTERVAL_DAYS)
        return self.masters().filter(models.Q(last_reviewed__lt=limit) | models.Q(last_reviewed__isnull=True))

    def visible_to(self, user):
        """Public: published items. Officials additionally see their own unit's items in every
        state (the county office sees every unit's)."""
        from portal.core.access import sees_all_units, unit_of

        if sees_all_units(user):
            return self.all()
        unit = unit_of(user)
        if unit is None:
            return self.published()
        return self.filter(models.Q(department=unit) | models.Q(pk__in=self.published().values("pk")))

    def for_listing(self):
        return self.select_related("department", "edition")


class ServiceItem(models.Model):
    """办事事项: one department's procedure, as a checklist for the enterprise.

    An approved item of the current edition is never edited in place: a department's edit is a
    revision (a copy pointing at it through `revision_of`) that the county office approves,
    which copies it onto the item. So enterprises never see a half-edited procedure.
    """

    class ItemType(models.TextChoices):
        LICENCE = "licence", _("Administrative licence")
        CONFIRMATION = "confirmation", _("Administrative confirmation")
        PAYMENT = "payment", _("Administrative payment")
        FILING = "filing", _("Filing")
        PUBLIC_SERVICE = "public_service", _("Public service")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Waiting for approval")
        APPROVED = "approved", _("Approved")

    edition = models.ForeignKey(GuideEdition, on_delete=models.CASCADE, related_name="items", verbose_name=_("edition"))
    department = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="guide_items", verbose_name=_("department")
    )
    revision_of = models.OneToOneField(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pending_revision",
        verbose_name=_("revision of"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    name = models.CharField(_("item name"), max_length=200)
    code = models.CharField(_("item code"), max_length=60, blank=True)
    item_type = models.CharField(
        _("item type"), max_length=20, choices=ItemType.choices, default=ItemType.PUBLIC_SERVICE
    )
    topics = ArrayField(
        models.CharField(max_length=20, choices=Topic.choices), verbose_name=_("topics"), default=list, blank=True
    )
    summary = models.CharField(_("what it is for"), max_length=300, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    conditions = models.TextField(_("conditions"), blank=True)
    legal_time_limit = models.PositiveSmallIntegerField(_("legal time limit (working days)"), null=True, blank=True)
    promised_time_limit = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"), null=True, blank=True
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    place = models.CharField(_("where to apply"), max_length=200, blank=True)
    hours = models.CharField(_("office hours"), max_length=200, blank=True)
    phone = models.CharField(_("enquiry phone"), max_length=50, blank=True)
    online_url = models.URLField(_("online service address"), blank=True, validators=[validate_http_url])
    last_reviewed = models.DateField(_("last reviewed"), null=True, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    review_note = models.CharField(_("note from the county office"), max_length=300, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ServiceItemQuerySet.as_manager()

    class Meta:
        ordering = ["department__sort_order", "sort_order", "name"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(promised_time_limit__isnull=True)
                | models.Q(legal_time_limit__isnull=True)
                | models.Q(promised_time_limit__lte=models.F("legal_time_limit")),
                name="guide_item_promised_within_legal",
                violation_error_message=_("The promised time limit cannot exceed the legal time limit."),
            ),
            models.UniqueConstraint(
                fields=["edition", "department", "name"],
                condition=models.Q(revision_of__isnull=True),
                name="guide_item_unique_name_in_department",
                violation_error_message=_("This department already has an item of this name in the edition."),
            ),
        ]
        indexes = [
            models.Index(fields=["edition", "status", "department", "sort_order"], name="guide_item_list_idx"),
            models.Index(fields=["status"], name="guide_item_status_idx"),
            models.Index(fields=["last_reviewed"], name="guide_item_reviewed_idx"),
            GinIndex(fields=["topics"], name="guide_item_topics_gin"),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if (
            self.legal_time_limit is not None
            and self.promised_time_limit is not None
            and self.promised_time_limit > self.legal_time_limit
        ):
            raise ValidationError(
                {"promised_time_limit": _("The promised time limit cannot exceed the legal time limit.")}
            )

    def get_absolute_url(self):
        return reverse("guide:item", kwargs={"pk": self.pk})

    @property
    def is_revision(self):
        return self.revision_of_id is not None

    @property
    def is_public(self):
        return (
            self.status == self.Status.APPROVED
            and not self.is_revision
            and self.edition.status == GuideEdition.Status.CURRENT
        )

    @property
    def is_locked(self):
        """Approved items of the current edition change only through an approved revision."""
        return (
            not self.is_revision
            and self.status == self.Status.APPROVED
            and self.edition.status == GuideEdition.Status.CURRENT
        )

    @property
    def review_overdue(self):
        if self.last_reviewed is None:
            return True
        return self.last_reviewed < timezone.localdate() - datetime.timedelta(days=REVIEW_INTERVAL_DAYS)

    @property
    def time_limit(self):
        """The limit the enterprise can count on: the promised one, else the legal one."""
        return self.promised_time_limit if self.promised_time_limit is not None else self.legal_time_limit

    def topic_labels(self):
        labels = dict(Topic.choices)
        return [labels.get(t, t) for t in self.topics]


# Blank forms and samples are documents to print or fill in.
MATERIAL_KINDS = ("pdf", "word", "excel", "image")


class Material(models.Model):
    """申请材料: one document the enterprise brings."""

    class Form(models.TextChoices):
        ORIGINAL = "original", _("Original")
        COPY = "copy", _("Copy")
        BOTH = "both", _("Original and copy")
        ELECTRONIC = "electronic", _("Electronic")

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="materials", verbose_name=_("item"))
    name = models.CharField(_("material"), max_length=300)
    form = models.CharField(_("original or copy"), max_length=12, choices=Form.choices, default=Form.ORIGINAL)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    notes = models.CharField(_("notes"), max_length=300, blank=True)
    blank_form = ProtectedFileField(
        _("blank form"),
        upload_to="guide/forms/%Y/",
        blank=True,
        download_view="guide:material_file",
        with_field_name=True,
        validators=[UploadValidator(MATERIAL_KINDS)],
    )
    sample = ProtectedFileField(
        _("filled-in sample"),
        upload_to="guide/samples/%Y/",
        blank=True,
        download_view="guide:material_file",
        with_field_name=True,
        validators=[UploadValidator(MATERIAL_KINDS)],
    )
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["item", "sort_order", "id"]
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self):
        return self.name


class Step(models.Model):
    """办理流程: one step, in order."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="steps", verbose_name=_("item"))
    number = models.PositiveSmallIntegerField(_("step number"))
    name = models.CharField(_("step"), max_length=200)
    description = models.TextField(_("what happens"), blank=True)

    class Meta:
        ordering = ["item", "number"]
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        constraints = [models.UniqueConstraint(fields=["item", "number"], name="guide_step_unique_number")]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Fee(models.Model):
    """收费项目: item, standard and its basis."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="fees", verbose_name=_("item"))
    name = models.CharField(_("fee item"), max_length=200)
    standard = models.CharField(_("standard"), max_length=200)
    basis = models.CharField(_("basis"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["item", "sort_order", "id"]
        verbose_name = _("fee")
        verbose_name_plural = _("fees")

    def __str__(self):
        return f"{self.name}：{self.standard}"


class Faq(models.Model):
    """常见问题."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="faqs", verbose_name=_("item"))
    question = models.CharField(_("question"), max_length=300)
    answer = models.TextField(_("answer"))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["item", "sort_order", "id"]
        verbose_name = _("frequently asked question")
        verbose_name_plural = _("frequently asked questions")

    def __str__(self):
        return self.question


class LoanProductQuerySet(models.QuerySet):
    def published(self):
        return self.filter(edition__status=GuideEdition.Status.CURRENT, institution__is_active=True)


class LoanProduct(models.Model):
    """信贷服务: a bank's or guarantee company's product for enterprises."""

    edition = models.ForeignKey(
        GuideEdition, on_delete=models.CASCADE, related_name="loan_products", verbose_name=_("edition")
    )
    institution = models.ForeignKey(
        FinancialInstitution,
        on_delete=models.PROTECT,
        related_name="guide_products",
        verbose_name=_("financial institution"),
    )
    name = models.CharField(_("product"), max_length=100)
    description = models.TextField(_("what it offers"), blank=True)
    amount = models.CharField(_("amount"), max_length=100, blank=True)
    term = models.CharField(_("term"), max_length=100, blank=True)
    rate = models.CharField(_("interest rate or fee"), max_length=100, blank=True)
    eligibility = models.TextField(_("eligibility"), blank=True)
    materials = models.TextField(_("materials"), blank=True, help_text=_("One material a line."))
    steps = models.TextField(_("steps"), blank=True, help_text=_("One step a line, in order."))
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    objects = LoanProductQuerySet.as_manager()

    class Meta:
        ordering = ["edition", "institution__sort_order", "sort_order", "name"]
        verbose_name = _("loan product")
        verbose_name_plural = _("loan products")
        constraints = [
            models.UniqueConstraint(fields=["edition", "institution", "name"], name="guide_loan_unique_name")
        ]

    def __str__(self):
        return f"{self.institution}：{self.name}"

    def material_lines(self):
        return [line.strip() for line in self.materials.splitlines() if line.strip()]

    def step_lines(self):
        return [line.strip() for line in self.steps.splitlines() if line.strip()]
