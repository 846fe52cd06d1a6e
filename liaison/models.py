"""涉企事项: a matter raised by an enterprise, from intake to archive, with every transition
kept as a MatterEvent. The states and the allowed transitions live in `workflow.py`; the
only writer is `services.py`."""

import uuid

from django.apps import apps
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.access import acting_enterprise, official_of, sees_all_units
from portal.core.categories import Category
from portal.models import Enterprise, Official, Unit
from portal.core.uploads import ProtectedFileField, UploadValidator


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")
    VERY_URGENT = "very_urgent", _("Very urgent")


class Rating(models.IntegerChoices):
    """好差评: five levels; the last two need a reason."""

    VERY_SATISFIED = 5, _("Very satisfied")
    SATISFIED = 4, _("Satisfied")
    FAIRLY_SATISFIED = 3, _("Fairly satisfied")
    UNSATISFIED = 2, _("Unsatisfied")
    VERY_UNSATISFIED = 1, _("Very unsatisfied")


SATISFIED_RATINGS = (Rating.VERY_SATISFIED, Rating.SATISFIED, Rating.FAIRLY_SATISFIED)
POOR_RATINGS = (Rating.UNSATISFIED, Rating.VERY_UNSATISFIED)


def leader_enterprise_ids(user):
    """Enterprise ids a county leader is linked to (联系企业), from any app whose AppConfig
    defines `liaison_leader_enterprise_ids(user)` (the visits app owns the assignments).
    Returns a list of querysets/iterables of ids, empty when no app provides the hook."""
    sources = []
    for config in apps.get_app_configs():
        provider = getattr(config, "liaison_leader_enterprise_ids", None)
        if provider is not None:
            ids = provider(user)
            if ids is not None:
                sources.append(ids)
    return sources


class MatterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The one access rule for matters, used by views, admin, exports and figures.

        County office and superusers: all. A unit's officials: matters the unit received,
        leads or cooperates on. A county leader: matters of their liaison enterprises (hook
        above) plus their own unit's. A confirmed enterprise account: its enterprise's
        matters. Everyone else: none (the tracking number + query code is a separate door).
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        if sees_all_units(user):
            return self
        official = official_of(user)
        if official is not None:
            rule = Q(unit_ids__contains=[official.unit_id])
            if official.role == Official.Role.COUNTY_LEADER:
                for ids in leader_enterprise_ids(user):
                    rule |= Q(enterprise_id__in=ids)
            return self.filter(rule)
        enterprise = acting_enterprise(user)
        if enterprise is not None:
            return self.filter(enterprise=enterprise)
        return self.none()

    def for_unit(self, unit):
        """Matters a unit received, leads or cooperates on (kept in `unit_ids`, GIN-indexed)."""
        return self.filter(unit_ids__contains=[unit.pk])

    def open(self):
        """Not yet replied to (still on somebody's desk)."""
        from .workflow import OPEN_STATES

        return self.filter(state__in=OPEN_STATES)

    def running(self):
        """Matters whose handling clock runs (not paused, not finished)."""
        from .deadlines import HANDLING_STATES

        return self.filter(state__in=HANDLING_STATES, due_date__isnull=False)

    def overdue(self, today, clocks=None):
        """A running clock (deadlines.CLOCKS: acceptance, handling, reassignment, extension
        decision, supplement; or only those named) ran out before `today`."""
        from . import deadlines

        return self.filter(deadlines.past(today, clocks))

    def near_due(self, today, horizon, clocks=None):
        """A running clock runs out between today and `horizon` (N working days ahead)."""
        from . import deadlines

        return self.filter(deadlines.due_between(today, horizon, clocks))

    def referral_requests(self):
        return self.filter(state="referral_requested")

    def returned(self):
        return self.filter(state="returned")

    def supervised(self):
        """督办: flagged for supervision by the county office and not finished."""
        return self.open().filter(supervised=True)

    def unsatisfied(self):
        """Rated 不满意/非常不满意 and waiting for the county office (reopen or close)."""
        return self.filter(state="rated", rating__in=POOR_RATINGS)

    def extension_requests(self):
        return self.filter(extension_requested_days__gt=0)


class Matter(models.Model):
    """涉企事项 / 诉求: one record from intake to archive."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        VISIT = "visit", _("Visit")
        MEETING = "meeting", _("Meeting")
        SURVEY = "survey", _("Survey")
        PHONE = "phone", _("Phone call")
        COMPLAINT = "complaint", _("Complaint")
        SITE_ERROR = "site_error", _("Website error report")

    class State(models.TextChoices):
        RECEIVED = "received", _("Received, awaiting acceptance")
        ACCEPTED = "accepted", _("Accepted")
        HANDLING = "handling", _("Being handled by the receiving unit")
        REFERRAL_REQUESTED = "referral_requested", _("Referral requested")
        ASSIGNED = "assigned", _("Assigned to a lead unit")
        RETURNED = "returned", _("Assignment returned")
        WAITING = "waiting", _("Waiting for the enterprise")
        REPLIED = "replied", _("Replied")
        RATED = "rated", _("Rated")
        CLOSED = "closed", _("Closed with explanation")
        ARCHIVED = "archived", _("Archived")

    Category = Category
    Urgency = Urgency
    Rating = Rating

    tracking_number = models.CharField(_("tracking number"), max_length=20, unique=True, editable=False)
    # Stored like a password (see set_query_code): whoever reads the database or the admin
    # cannot rate in the enterprise's name.
    query_code = models.CharField(_("query code"), max_length=128, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.OTHER)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.NORMAL)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVED)

    enterprise = models.ForeignKey(
        Enterprise,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="matters",
        verbose_name=_("enterprise"),
    )
    enterprise_name = models.CharField(_("enterprise name as given"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)

    received_by = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="matters_received", verbose_name=_("receiving unit")
    )
    lead_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="matters_led", verbose_name=_("lead unit")
    )
    responsible_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="matters_responsible",
        verbose_name=_("responsible unit"),
        help_text=_("The lead unit once assigned, else the receiving unit."),
    )
    cooperating_units = models.ManyToManyField(
        Unit,
        through="MatterCooperation",
        related_name="matters_cooperating",
        blank=True,
        verbose_name=_("cooperating units"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    # Derived: receiving, lead and cooperating units' ids, kept by the services so that "a unit
    # sees matters it received, leads or cooperates on" is one GIN lookup.
    unit_ids = ArrayField(models.BigIntegerField(), default=list, blank=True, editable=False)

    source_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("source type")
    )
    source_id = models.CharField(_("source id"), max_length=64, blank=True, default="")
    source = GenericForeignKey("source_type", "source_id")
    idempotency_key = models.UUIDField(_("submission token"), null=True, blank=True, editable=False)

    received_at = models.DateTimeField(_("received at"))
    accept_due = models.DateField(_("accept by"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    return_due = models.DateField(_("may be returned until"), null=True, blank=True)
    deadline_workdays = models.PositiveSmallIntegerField(_("deadline (working days)"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    extension_workdays = models.PositiveSmallIntegerField(_("extension granted (working days)"), default=0)
    extension_requested_days = models.PositiveSmallIntegerField(_("extension requested (working days)"), default=0)
    extension_reason = models.CharField(_("reason for the extension"), max_length=500, blank=True)
    extension_decide_by = models.DateField(_("extension to be decided by"), null=True, blank=True)
    reassign_due = models.DateField(_("to be assigned again by"), null=True, blank=True)
    supplement_due = models.DateField(_("supplement expected by"), null=True, blank=True)
    paused_state = models.CharField(_("state before the pause"), max_length=20, blank=True)
    paused_on = models.DateField(_("paused since"), null=True, blank=True)
    paused_workdays = models.PositiveSmallIntegerField(_("paused working days"), default=0)
    referral_reason = models.TextField(_("reason for the referral request"), blank=True)
    returned_by_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("last returned by")
    )
    return_reason = models.TextField(_("reason for the return"), blank=True)
    supervised = models.BooleanField(_("supervised (督办)"), default=False)
    supervision_note = models.CharField(_("supervision note"), max_length=500, blank=True)

    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    workdays_to_close = models.PositiveSmallIntegerField(_("working days to close"), null=True, blank=True)
    closed_on_time = models.BooleanField(_("closed on time"), null=True, blank=True)
    accepted_on_time = models.BooleanField(_("accepted on time"), null=True, blank=True)
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices, null=True, blank=True)
    rating_reason = models.TextField(_("reason for the rating"), blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    # The enterprise's first rating stays when 重办 clears the current one (12345 counts both).
    first_rating = models.PositiveSmallIntegerField(_("first rating"), choices=Rating.choices, null=True, blank=True)
    closing_explanation = models.TextField(_("closing explanation"), blank=True)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = MatterQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("matter")
        verbose_name_plural = _("matters")
        permissions = [
            ("assign_matter", _("Can assign, reopen and supervise matters (county office)")),
            ("handle_matter", _("Can accept, handle and reply to matters")),
            ("view_matter_figures", _("Can view matter figures and ledgers")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source_type", "source_id"],
                name="matter_one_per_source",
                condition=Q(source_type__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["idempotency_key"], name="matter_unique_submission", condition=Q(idempotency_key__isnull=False)
            ),
            models.CheckConstraint(condition=Q(extension_workdays__lte=10), name="matter_extension_at_most_10"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="matter_rating_1_to_5"
            ),
            # Every clock has its date (liaison/deadlines.py): no open matter escapes the chase.
            models.CheckConstraint(
                condition=~Q(
                    state__in=["accepted", "handling", "referral_requested", "assigned", "returned", "waiting"]
                )
                | Q(due_date__isnull=False),
                name="matter_open_has_due_date",
                violation_error_message=_("An open matter needs a due date."),
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | Q(reassign_due__isnull=False),
                name="matter_returned_has_due",
                violation_error_message=_("A returned matter needs a date to be assigned again by."),
            ),
            models.CheckConstraint(
                condition=~Q(state="waiting") | Q(supplement_due__isnull=False),
                name="matter_waiting_has_due",
                violation_error_message=_("A matter waiting for the enterprise needs a date."),
            ),
            models.CheckConstraint(
                condition=Q(extension_requested_days=0) | Q(extension_decide_by__isnull=False),
                name="matter_extension_request_has_due",
                violation_error_message=_("An extension request needs a date to be decided by."),
            ),
        ]
        indexes = [
            models.Index(fields=["received_by", "-received_at"], name="matter_recv_idx"),
            models.Index(fields=["lead_unit", "-received_at"], name="matter_lead_idx"),
            models.Index(fields=["responsible_unit", "state"], name="matter_resp_state_idx"),
            models.Index(fields=["enterprise", "-received_at"], name="matter_ent_idx"),
            models.Index(fields=["state", "due_date"], name="matter_state_due_idx"),
            models.Index(fields=["-received_at"], name="matter_received_idx"),
            models.Index(fields=["replied_at"], name="matter_replied_idx"),
            models.Index(fields=["category"], name="matter_category_idx"),
            models.Index(fields=["channel"], name="matter_channel_idx"),
            models.Index(fields=["state", "rating"], name="matter_state_rating_idx"),
            models.Index(fields=["supervised"], name="matter_supervised_idx", condition=Q(supervised=True)),
            models.Index(fields=["state", "received_at", "id"], name="matter_state_recv_idx"),
            models.Index(
                fields=["due_date", "id"],
                name="matter_running_due_idx",
                condition=Q(
                    state__in=["handling", "assigned", "referral_requested", "returned"], due_date__isnull=False
                ),
            ),
            models.Index(
                fields=["due_date", "id"], name="matter_extension_idx", condition=Q(extension_requested_days__gt=0)
            ),
            GinIndex(fields=["unit_ids"], name="matter_units_gin"),
        ]

    def __str__(self):
        return f"{self.tracking_number} {self.title}"

    def get_absolute_url(self):
        """The enterprise's own page (我的企业); never a sequential id."""
        return reverse("liaison:mine_detail", args=[self.tracking_number])

    def set_query_code(self, raw_code):
        """Store `raw_code` hashed; the plain code stays on this instance only
        (`issued_query_code`) so it can be shown once and mailed."""
        self.query_code = make_password(raw_code)
        self.issued_query_code = raw_code

    def check_query_code(self, raw_code):
        """Whether `raw_code` is this matter's code (constant-time, upgrades old hashes)."""

        def upgrade(raw):
            self.query_code = make_password(raw)
            Matter.objects.filter(pk=self.pk).update(query_code=self.query_code)

        return bool(raw_code) and check_password(raw_code, self.query_code, setter=upgrade)

    def compute_unit_ids(self, cooperating=()):
        ids = [self.received_by_id] + ([self.lead_unit_id] if self.lead_unit_id else [])
        return sorted(set(ids) | {u.pk if hasattr(u, "pk") else u for u in cooperating})

    @property
    def handling_unit(self):
        return self.lead_unit if self.lead_unit_id else self.received_by

    @property
    def next_deadline(self):
        """The soonest running clock as (clock, date), or None (see deadlines.py)."""
        from .deadlines import next_deadline

        return next_deadline(self)

    @property
    def rating_is_poor(self):
        return self.rating in POOR_RATINGS

    @property
    def display_enterprise(self):
        return self.enterprise.name if self.enterprise_id else self.enterprise_name


class MatterRating(models.Model):
    """One rating (好差评) the enterprise gave, kept for good: 重办 adds a new round, never
    erases the earlier ones. Written only by the `rate` transition."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="ratings")
    rating = models.PositiveSmallIntegerField(_("rating"), choices=Rating.choices)
    reason = models.TextField(_("reason for the rating"), blank=True)
    rated_at = models.DateTimeField(_("rated at"))
    replied_at = models.DateTimeField(_("reply rated"), null=True, blank=True)

    class Meta:
        ordering = ["rated_at", "id"]
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="matter_rating_history_1_to_5")
        ]
        indexes = [models.Index(fields=["matter", "rated_at"], name="matter_rating_hist_idx")]

    def __str__(self):
        return f"{self.matter_id} {self.get_rating_display()}"


class MatterCooperation(models.Model):
    """A cooperating unit (协办单位) on an assigned matter."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="cooperations")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))

    class Meta:
        verbose_name = _("cooperating unit")
        verbose_name_plural = _("cooperating units")
        constraints = [models.UniqueConstraint(fields=["matter", "unit"], name="matter_cooperation_unique")]
        indexes = [models.Index(fields=["unit", "matter"], name="matter_coop_unit_idx")]

    def __str__(self):
        return str(self.unit)


class MatterEventQuerySet(models.QuerySet):
    def public(self):
        """What the enterprise (and a tracking-code holder) sees."""
        return self.filter(is_public=True)


class MatterEvent(models.Model):
    """One step in a matter's life: a transition or a note. Who, which unit, when, from
    which state to which, why, and whether the enterprise sees it."""

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=30)
    from_state = models.CharField(_("from state"), max_length=20, blank=True, choices=Matter.State.choices)
    to_state = models.CharField(_("to state"), max_length=20, choices=Matter.State.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    actor_name = models.CharField(_("by (name)"), max_length=100, blank=True)
    actor_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("unit")
    )
    created_at = models.DateTimeField(_("when"))
    reason = models.TextField(_("reason or message"), blank=True)
    is_public = models.BooleanField(_("visible to the enterprise"), default=True)

    objects = MatterEventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("matter event")
        verbose_name_plural = _("matter events")
        indexes = [models.Index(fields=["matter", "created_at"], name="matter_event_idx")]

    def __str__(self):
        return f"{self.matter.tracking_number} {self.action}"

    @property
    def action_label(self):
        from .workflow import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)


def attachment_path(instance, filename):
    return f"liaison/{instance.public_id.hex[:2]}/{instance.public_id.hex}"


class MatterAttachment(models.Model):
    """A file given with a matter. Served only as a download to those who may see the matter."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="attachments")
    file = ProtectedFileField(
        _("file"),
        upload_to=attachment_path,
        download_view="liaison:attachment",
        lookup="public_id",
        validators=[UploadValidator()],
    )
    original_name = models.CharField(_("file name"), max_length=200)
    mime_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    is_public = models.BooleanField(_("visible to the enterprise"), default=True)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name

    def get_absolute_url(self):
        return reverse("liaison:attachment", args=[self.public_id])


class HeldUpload(models.Model):
    """A file uploaded with a form that had errors, held so the user need not choose it again.
    The form carries the signed token; stale rows are removed by `liaison_deadlines`."""

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(upload_to="liaison/held/")
    original_name = models.CharField(max_length=200)
    mime_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["created_at"], name="held_upload_created_idx")]

    def __str__(self):
        return self.original_name


class DeadlineRule(models.Model):
    """办结时限 in working days for a category and urgency; 5 when no rule matches."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    urgency = models.CharField(_("urgency"), max_length=12, choices=Urgency.choices)
    workdays = models.PositiveSmallIntegerField(_("working days"))

    class Meta:
        ordering = ["category", "urgency"]
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(fields=["category", "urgency"], name="deadline_rule_unique"),
            models.CheckConstraint(condition=Q(workdays__gte=1, workdays__lte=60), name="deadline_rule_range"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} / {self.get_urgency_display()}: {self.workdays}"


class ReplyTemplate(models.Model):
    """答复模板: a starting text for a reply in a category."""

    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))

    class Meta:
        ordering = ["category", "title"]
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")
        constraints = [models.UniqueConstraint(fields=["category", "title"], name="reply_template_unique")]

    def __str__(self):
        return self.title
