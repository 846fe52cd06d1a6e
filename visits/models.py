"""企情动态监测: liaison assignments, appointments, visits, meetings and 政银企 matchmaking.

Every record here belongs to a unit (the unit whose officials did the work); the admin scopes
by it through portal.core.admin_base.UnitScopedAdmin and the pages through `visible_to(user)`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.core.categories import ENTERPRISE_CATEGORIES, Category
from portal.core.access import official_of, unit_scope
from portal.models import Enterprise, FinancialInstitution, Official, Unit
from portal.core.uploads import ProtectedFileField, UploadValidator, check_upload


def _is_official_unit_scope(user):
    """(sees everything, unit or None) for a user."""
    return unit_scope(user)


# --------------------------------------------------------------------------- assignments


class LiaisonAssignmentQuerySet(models.QuerySet):
    def active_on(self, day):
        """Assignments in force on `day`."""
        return self.filter(start_date__lte=day).filter(Q(end_date__isnull=True) | Q(end_date__gte=day))

    def overlapping(self, start, end):
        """Assignments in force on at least one day between `start` and `end`."""
        return self.filter(start_date__lte=end).filter(Q(end_date__isnull=True) | Q(end_date__gte=start))

    def current(self):
        """Assignments not yet ended (end date empty or in the future)."""
        from .periods import today

        return self.active_on(today())

    def enterprises_looked_after_by(self, user):
        """Ids (a subquery) of the enterprises `user` looks after today: for a county leader,
        their key enterprises (挂钩企业). The one definition the visit, financing and matter
        rules share."""
        official = official_of(user)
        if official is None:
            return self.none().values("enterprise_id")
        return self.current().filter(official=official).values("enterprise_id")

    def leaders(self):
        return self.filter(kind=LiaisonAssignment.Kind.LEADER)

    def cadres(self):
        return self.filter(kind=LiaisonAssignment.Kind.CADRE)

    def visible_to(self, user):
        """The county office sees all; a unit its own officials' assignments; anyone their own;
        a town also sees who looks after its enterprises."""
        everything, unit = _is_official_unit_scope(user)
        if everything:
            return self
        if unit is None:
            return self.none()
        condition = Q(unit=unit) | Q(official__user=user)
        if unit.is_town:
            condition |= Q(enterprise__town=unit)
        return self.filter(condition)


class LiaisonAssignment(models.Model):
    """联系企业: an official looks after an enterprise from `start_date` to `end_date`.

    County leaders (县领导) each look after two or three key enterprises; cadres of towns and
    departments a set of enterprises within their unit's remit. Writes go through
    visits.services so the 2–3 rule and the remit rule hold; the history is kept.
    """

    class Kind(models.TextChoices):
        LEADER = "leader", _("County leader")
        CADRE = "cadre", _("Cadre")

    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="liaison_assignments", verbose_name=_("official")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="liaison_assignments", verbose_name=_("enterprise")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="liaison_assignments",
        verbose_name=_("unit"),
        help_text=_("The official's unit when assigned."),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CADRE)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = LiaisonAssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_order", "official__name", "enterprise__name"]
        verbose_name = _("liaison assignment")
        verbose_name_plural = _("liaison assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["official", "enterprise"],
                condition=Q(end_date__isnull=True),
                name="visits_assignment_one_open_per_pair",
                violation_error_message=_(
                    "This official already looks after this enterprise: end the current assignment first."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="visits_assignment_end_after_start",
            ),
        ]
        indexes = [
            models.Index(fields=["official", "start_date", "end_date"], name="visits_assign_official_idx"),
            models.Index(fields=["enterprise", "start_date"], name="visits_assign_enterprise_idx"),
            models.Index(fields=["unit", "kind", "start_date"], name="visits_assign_unit_idx"),
        ]

    def __str__(self):
        return f"{self.official.name} → {self.enterprise.name}"


class CountyLeader(Official):
    """A county leader (县领导) seen from the liaison side: the admin sets their two or three
    key enterprises in one form so the 2–3 rule can be checked on the whole set."""

    class Meta:
        proxy = True
        verbose_name = _("county leader's key enterprises")
        verbose_name_plural = _("county leaders' key enterprises")


# --------------------------------------------------------------------------- appointments


class AppointmentQuerySet(models.QuerySet):
    def open(self):
        """Appointments still being agreed or agreed and not yet held."""
        return self.filter(status__in=Appointment.OPEN_STATUSES)

    def visible_to(self, user):
        everything, unit = _is_official_unit_scope(user)
        if everything:
            return self
        if unit is None:
            return self.none()
        condition = Q(unit=unit)
        if unit.is_town:
            condition |= Q(enterprise__town=unit)
        return self.filter(condition)

    def for_enterprise(self, enterprise):
        return self.filter(enterprise=enterprise)


class Appointment(models.Model):
    """预约: an official proposes a time; the enterprise accepts it or proposes another, online
    or by phone through the official. Visiting without disturbing production (不影响正常生产经营)."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed, awaiting the enterprise")
        COUNTER = "counter", _("Enterprise proposed another time")
        ACCEPTED = "accepted", _("Agreed")
        DECLINED = "declined", _("Declined by the enterprise")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Visit held")

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online, by the enterprise")
        PHONE = "phone", _("By phone, recorded by the official")

    OPEN_STATUSES = (Status.PROPOSED, Status.COUNTER, Status.ACCEPTED)

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="visit_appointments", verbose_name=_("enterprise")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="visit_appointments", verbose_name=_("unit"))
    proposed_by = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="proposed_appointments", verbose_name=_("proposed by")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    counter_starts_at = models.DateTimeField(_("enterprise's proposed start"), null=True, blank=True)
    counter_ends_at = models.DateTimeField(_("enterprise's proposed end"), null=True, blank=True)
    response_note = models.CharField(_("enterprise's note"), max_length=300, blank=True)
    response_channel = models.CharField(_("answered"), max_length=10, choices=Channel.choices, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answer recorded by"),
    )
    responded_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("visit appointment")
        verbose_name_plural = _("visit appointments")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="visits_appointment_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["enterprise", "status", "starts_at"], name="visits_appt_enterprise_idx"),
            models.Index(fields=["unit", "-starts_at"], name="visits_appt_unit_idx"),
        ]

    def __str__(self):
        return f"{self.enterprise.name} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The end must be after the start.")})

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES


# --------------------------------------------------------------------------- visits


class VisitQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Who may see a visit record: the county office all; a unit its own visits, and a town
        also the visits other units paid to its enterprises; every official the visits they went on."""
        everything, unit = _is_official_unit_scope(user)
        if everything:
            return self
        if unit is None:
            return self.none()
        official = official_of(user)
        # plain IN-subqueries (no joins, no correlated EXISTS) keep this one scan with hashed
        # sub-plans however many visits there are
        condition = Q(unit=unit) | Q(pk__in=VisitParticipant.objects.filter(official=official).values("visit_id"))
        if unit.is_town:
            condition |= Q(enterprise__in=Enterprise.objects.filter(town=unit).values("pk"))
        if official.role == Official.Role.COUNTY_LEADER:
            condition |= Q(enterprise__in=LiaisonAssignment.objects.enterprises_looked_after_by(user))
        return self.filter(condition)

    def in_period(self, period):
        return self.filter(date__range=(period.start, period.end))


# A visit may carry out an appointment agreed for up to this many days before it (see Visit.clean).
VISIT_APPOINTMENT_DAYS_LATE = 14


class Visit(models.Model):
    """走访: a visit to an enterprise, as written in the visit ledger (走访企业台帐)."""

    class Form(models.TextChoices):
        SYMPOSIUM = "symposium", _("Symposium (座谈)")
        ONSITE = "onsite", _("On-site visit (实地走访)")
        PHONE = "phone", _("Phone (电话)")
        VIDEO = "video", _("Video call (视频)")

    class Operation(models.TextChoices):
        GOOD = "good", _("Good")
        NORMAL = "normal", _("Normal")
        DIFFICULT = "difficult", _("In difficulty")
        HALTED = "halted", _("Partly or fully halted")

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="visits", verbose_name=_("unit"))
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="visits", verbose_name=_("enterprise")
    )
    date = models.DateField(_("date"))
    # "form" alone is also a policy interpretation's 解读形式: each names its own meaning.
    form = models.CharField(pgettext_lazy("visit", "form"), max_length=10, choices=Form.choices, default=Form.ONSITE)
    officials = models.ManyToManyField(
        Official, through="VisitParticipant", related_name="visits", verbose_name=_("officials who went")
    )
    appointment = models.OneToOneField(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit",
        verbose_name=_("appointment"),
    )
    met_persons = models.CharField(
        _("people met"), max_length=200, help_text=_("Names and posts of the enterprise's people met.")
    )
    operation = models.CharField(
        _("production and operation"), max_length=10, choices=Operation.choices, default=Operation.NORMAL
    )
    operation_notes = models.TextField(_("production and operation status"), blank=True)
    output_value = models.DecimalField(
        _("output value (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    revenue = models.DecimalField(
        _("revenue (10k yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    capacity_use = models.DecimalField(
        _("capacity use (%)"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    project_progress = models.TextField(_("progress of key projects"), blank=True)
    policies_explained = models.TextField(_("policies explained"), blank=True)
    policy_links = models.JSONField(
        _("published policies explained"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Chosen from the published policies; kept as id, title and address."),
    )
    solved_on_spot = models.TextField(_("solved on the spot"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = VisitQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity_use__isnull=True) | Q(capacity_use__gte=0, capacity_use__lte=100),
                name="visits_visit_capacity_percent",
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "-date"], name="visits_visit_unit_date_idx"),
            models.Index(fields=["enterprise", "-date"], name="visits_visit_ent_date_idx"),
            models.Index(fields=["-date", "-id"], name="visits_visit_date_idx"),
            models.Index(fields=["form"], name="visits_visit_form_idx"),
        ]

    def __str__(self):
        return f"{self.date} {self.enterprise.name}"

    def clean(self):
        super().clean()
        self.clean_appointment()

    def clean_appointment(self):
        """A visit carries out an appointment of the same enterprise agreed for the visit's own
        day, or at most VISIT_APPOINTMENT_DAYS_LATE days before it (the visit slipped a few
        days). Never one agreed for a later day: that visit has not happened yet."""
        if self.appointment_id is None or self.date is None or self.enterprise_id is None:
            return
        appointment = self.appointment
        if appointment.enterprise_id != self.enterprise_id:
            raise ValidationError({"appointment": _("This appointment is with another enterprise.")})
        agreed = timezone.localdate(appointment.starts_at)
        late = (self.date - agreed).days
        if late < 0:
            raise ValidationError(
                {
                    "appointment": _(
                        "This appointment is agreed for %(agreed)s, after the visit's date: link it to the visit made on "
                        "that day."
                    )
                    % {"agreed": agreed}
                }
            )
        if late > VISIT_APPOINTMENT_DAYS_LATE:
            raise ValidationError(
                {
                    "appointment": _(
                        "This appointment was agreed for %(agreed)s, more than %(days)d days before the visit: record the "
                        "visit without it."
                    )
                    % {"agreed": agreed, "days": VISIT_APPOINTMENT_DAYS_LATE}
                }
            )

    def get_absolute_url(self):
        return reverse("admin:visits_visit_change", args=[self.pk])


class VisitParticipant(models.Model):
    """An official who went on a visit. Carries the visit's enterprise and date so that coverage
    (did this official visit this enterprise this quarter?) is one index probe."""

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="participants", verbose_name=_("visit"))
    official = models.ForeignKey(
        Official, on_delete=models.PROTECT, related_name="visit_participations", verbose_name=_("official")
    )
    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise"))
    date = models.DateField(_("date"))

    class Meta:
        verbose_name = _("visit participant")
        verbose_name_plural = _("visit participants")
        constraints = [
            models.UniqueConstraint(fields=["visit", "official"], name="visits_participant_once_per_visit"),
        ]
        indexes = [
            models.Index(fields=["official", "enterprise", "date"], name="visits_part_coverage_idx"),
            models.Index(fields=["enterprise", "date"], name="visits_part_ent_date_idx"),
        ]

    def __str__(self):
        return str(self.official)


class ProblemBase(models.Model):
    """A problem an enterprise raised; one action turns it into a liaison matter (exactly once)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.PROTECT, related_name="+", verbose_name=_("enterprise"))
    # liaison's matter categories: the matter made from the problem is filed under the same one
    category = models.CharField(_("category"), max_length=20, choices=ENTERPRISE_CATEGORIES, default=Category.OTHER)
    title = models.CharField(_("problem"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    solved_on_spot = models.BooleanField(_("solved on the spot"), default=False)
    matter_id = models.PositiveBigIntegerField(_("matter"), null=True, blank=True, editable=False)
    matter_label = models.CharField(_("matter number"), max_length=60, blank=True, editable=False)
    turned_at = models.DateTimeField(_("turned into a matter at"), null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def has_matter(self):
        return self.matter_id is not None


class VisitProblemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A problem is seen with its visit."""
        return self.filter(visit__in=Visit.objects.visible_to(user))


class VisitProblem(ProblemBase):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="problems", verbose_name=_("visit"))

    CHANNEL = "visit"

    objects = VisitProblemQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("problem raised at a visit")
        verbose_name_plural = _("problems raised at visits")
        indexes = [
            models.Index(fields=["visit"], name="visits_vproblem_visit_idx"),
            models.Index(fields=["enterprise", "matter_id"], name="visits_vproblem_ent_idx"),
        ]

    def save(self, *args, **kwargs):
        if self.visit_id and not self.enterprise_id:
            self.enterprise_id = self.visit.enterprise_id
        super().save(*args, **kwargs)

    @property
    def owner(self):
        return self.visit

    @property
    def receiving_unit(self):
        return self.visit.unit


class Attachment(models.Model):
    """A document or a photo kept with a visit; its type is checked from its content."""

    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        DOCUMENT = "document", _("Document")

    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("visit"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PHOTO)
    file = ProtectedFileField(
        _("file"), upload_to="visits/%Y/%m/", download_view="visits:attachment", validators=[UploadValidator()]
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True, editable=False)
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        indexes = [models.Index(fields=["visit"], name="visits_attach_visit_idx")]

    def __str__(self):
        return self.caption or self.file.name

    def clean(self):
        if self.file and not self.file._committed:
            try:
                kind = check_upload(self.file)
            except ValidationError as error:
                raise ValidationError({"file": error.messages}) from error
            if self.kind == self.Kind.PHOTO and not kind.startswith("image/"):
                raise ValidationError({"file": _("A photo must be a JPEG or PNG image.")})
            self.content_type = kind


# --------------------------------------------------------------------------- meetings


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The county office sees all; a unit the meetings it convened or attended; a town also
        the meetings its enterprises attended."""
        everything, unit = _is_official_unit_scope(user)
        if everything:
            return self
        if unit is None:
            return self.none()
        condition = Q(unit=unit) | Exists(
            Meeting.units_attending.through.objects.filter(meeting=OuterRef("pk"), unit=unit)
        )
        if unit.is_town:
            condition |= Exists(
                Meeting.enterprises_attending.through.objects.filter(meeting=OuterRef("pk"), enterprise__town=unit)
            )
        return self.filter(condition)


class Meeting(models.Model):
    """政企协调会 (county) and 座谈会 (towns): who came, what was raised, what was decided."""

    class Kind(models.TextChoices):
        COORDINATION = "coordination", _("Government–enterprise coordination meeting (政企协调会)")
        SYMPOSIUM = "symposium", _("Enterprise symposium (座谈会)")

    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("convening unit"))
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    convener = models.CharField(_("convener"), max_length=100, help_text=_("Name and post of who chaired it."))
    units_attending = models.ManyToManyField(
        Unit, blank=True, related_name="meetings_attended", verbose_name=_("units attending")
    )
    enterprises_attending = models.ManyToManyField(
        Enterprise, blank=True, related_name="meetings_attended", verbose_name=_("enterprises attending")
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        indexes = [
            models.Index(fields=["unit", "-date"], name="visits_meeting_unit_date_idx"),
            models.Index(fields=["kind", "-date"], name="visits_meeting_kind_date_idx"),
        ]

    def __str__(self):
        return f"{self.date} {self.title}"


class MeetingProblemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A problem is seen with its meeting."""
        return self.filter(meeting__in=Meeting.objects.visible_to(user))


class MeetingProblem(ProblemBase):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="problems", verbose_name=_("meeting"))

    CHANNEL = "meeting"

    objects = MeetingProblemQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        verbose_name = _("problem raised at a meeting")
        verbose_name_plural = _("problems raised at meetings")
        indexes = [
            models.Index(fields=["meeting"], name="visits_mproblem_meeting_idx"),
            models.Index(fields=["enterprise"], name="visits_mproblem_ent_idx"),
        ]

    @property
    def owner(self):
        return self.meeting

    @property
    def receiving_unit(self):
        return self.meeting.unit


class MeetingDecision(models.Model):
    """A decision taken at a meeting and the unit that follows it up."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("meeting"))
    text = models.TextField(_("decision"))
    follow_up_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", null=True, blank=True, verbose_name=_("followed up by")
    )
    follow_up_person = models.CharField(_("person following up"), max_length=50, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    done = models.BooleanField(_("done"), default=False)

    class Meta:
        ordering = ["id"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self):
        return self.text[:50]


# --------------------------------------------------------------------------- 政银企 matchmaking


class MatchmakingEvent(models.Model):
    """A 政银企 matchmaking event (对接会) organised by the county."""

    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="matchmaking_events", verbose_name=_("organising unit")
    )
    institutions = models.ManyToManyField(
        FinancialInstitution, blank=True, related_name="matchmaking_events", verbose_name=_("institutions taking part")
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date"]
        verbose_name = _("matchmaking event")
        verbose_name_plural = _("matchmaking events")
        indexes = [models.Index(fields=["-date"], name="visits_event_date_idx")]

    def __str__(self):
        return f"{self.date} {self.title}"


class FinancingNeedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Financing is county-wide work: the county office, departments and agencies (金融局)
        see every need; a town its own enterprises'; a county leader those of the enterprises
        they look after (挂钩企业)."""
        everything, unit = _is_official_unit_scope(user)
        if everything:
            return self
        if unit is None:
            return self.none()
        if unit.is_town:
            return self.filter(enterprise__town=unit)
        if official_of(user).role == Official.Role.COUNTY_LEADER:
            return self.filter(enterprise__in=LiaisonAssignment.objects.enterprises_looked_after_by(user))
        return self

    def editable_by(self, user):
        """Who changes a need: the county office, and the town of the enterprise (departments
        and leaders read; 金融局 records matches through the county office's events)."""
        everything, unit = _is_official_unit_scope(user)
        if everything:
            return self
        if unit is None or not unit.is_town:
            return self.none()
        return self.filter(enterprise__town=unit)


class FinancingNeed(models.Model):
    """融资需求: an enterprise's need for money."""

    class Source(models.TextChoices):
        ENTERPRISE = "enterprise", _("Entered by the enterprise")
        OFFICIAL = "official", _("Entered by an official")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.PROTECT, related_name="financing_needs", verbose_name=_("enterprise")
    )
    amount = models.DecimalField(
        _("amount (10k yuan)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    term_months = models.PositiveSmallIntegerField(
        _("term (months)"), validators=[MinValueValidator(1), MaxValueValidator(360)]
    )
    collateral = models.CharField(_("collateral offered"), max_length=200, blank=True)
    event = models.ForeignKey(
        MatchmakingEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="needs",
        verbose_name=_("matchmaking event"),
    )
    source = models.CharField(_("entered"), max_length=10, choices=Source.choices, default=Source.OFFICIAL)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()
    objects = FinancingNeedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("financing need")
        verbose_name_plural = _("financing needs")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="visits_need_amount_positive")]
        indexes = [
            models.Index(fields=["enterprise", "-created_at"], name="visits_need_ent_idx"),
            models.Index(fields=["event"], name="visits_need_event_idx"),
            models.Index(fields=["status"], name="visits_need_status_idx"),
        ]

    def __str__(self):
        return f"{self.enterprise.name} {self.amount}万元"


class FinancingMatch(models.Model):
    """One need taken up with one institution, and how it ended."""

    class Outcome(models.TextChoices):
        NEGOTIATING = "negotiating", _("Negotiating (洽谈中)")
        CREDIT = "credit", _("Credit granted (已授信)")
        LOAN = "loan", _("Loan disbursed (已放款)")
        FAILED = "failed", _("Unsuccessful (未成功)")

    need = models.ForeignKey(
        FinancingNeed, on_delete=models.CASCADE, related_name="matches", verbose_name=_("financing need")
    )
    institution = models.ForeignKey(
        FinancialInstitution, on_delete=models.PROTECT, related_name="financing_matches", verbose_name=_("institution")
    )
    event = models.ForeignKey(
        MatchmakingEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name=_("matchmaking event"),
    )
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, default=Outcome.NEGOTIATING)
    credit_amount = models.DecimalField(
        _("credit granted (10k yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    loan_amount = models.DecimalField(
        _("loan disbursed (10k yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    failure_reason = models.CharField(_("reason it failed"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        verbose_name = _("matchmaking result")
        verbose_name_plural = _("matchmaking results")
        constraints = [
            models.UniqueConstraint(fields=["need", "institution"], name="visits_match_once_per_institution"),
            models.CheckConstraint(
                condition=~Q(outcome="failed") | ~Q(failure_reason=""), name="visits_match_failure_has_reason"
            ),
        ]
        indexes = [
            models.Index(fields=["institution", "outcome"], name="visits_match_inst_idx"),
            models.Index(fields=["event"], name="visits_match_event_idx"),
        ]

    def __str__(self):
        return f"{self.need} · {self.institution}"

    def clean(self):
        errors = {}
        if self.outcome == self.Outcome.FAILED and not self.failure_reason.strip():
            errors["failure_reason"] = _("Give the reason the matchmaking failed.")
        if self.outcome in (self.Outcome.CREDIT, self.Outcome.LOAN) and not self.credit_amount:
            errors["credit_amount"] = _("Give the amount of credit granted.")
        if self.outcome == self.Outcome.LOAN and not self.loan_amount:
            errors["loan_amount"] = _("Give the amount disbursed.")
        if errors:
            raise ValidationError(errors)


class ReminderLog(models.Model):
    """One coverage reminder mailed to one official for one period (so cron can run daily)."""

    official = models.ForeignKey(Official, on_delete=models.CASCADE, related_name="+", verbose_name=_("official"))
    period_start = models.DateField(_("period"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    enterprise_count = models.PositiveIntegerField(_("enterprises listed"))

    class Meta:
        verbose_name = _("coverage reminder")
        verbose_name_plural = _("coverage reminders")
        constraints = [models.UniqueConstraint(fields=["official", "period_start"], name="visits_reminder_once")]

    def __str__(self):
        return f"{self.official} {self.period_start}"
