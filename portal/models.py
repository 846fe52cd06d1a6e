"""The shared schema every app uses: units, enterprises, officials, enterprise accounts
and the working-day calendar adjustments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.core.validators import normalize_uscc, validate_http_url, validate_uscc


class UnitQuerySet(models.QuerySet):
    def active(self):
        """Units still in service."""
        return self.filter(is_active=True)

    def towns(self):
        """Town-level units (镇, and 笔架林场 which counts as a town)."""
        return self.filter(kind=Unit.Kind.TOWN)

    def departments(self):
        """Departments and directly-affiliated agencies that serve enterprises."""
        return self.filter(kind__in=[Unit.Kind.DEPARTMENT, Unit.Kind.AGENCY])


class Unit(models.Model):
    """单位: the county government, its office, a town, a department or an agency."""

    class Kind(models.TextChoices):
        COUNTY_GOVERNMENT = "county_government", _("County government")
        COUNTY_OFFICE = "county_office", _("County government office")
        TOWN = "town", _("Town")
        DEPARTMENT = "department", _("Department")
        AGENCY = "agency", _("Directly-affiliated agency")

    name = models.CharField(_("name"), max_length=100, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    code = models.CharField(
        _("organisation code"),
        max_length=18,
        blank=True,
        help_text=_("Unified social credit code or organisation code; used to number the unit's documents."),
    )
    remit = models.TextField(_("remit"), blank=True, help_text=_("What the unit is responsible for."))
    principal_name = models.CharField(_("principal (第一责任人)"), max_length=50, blank=True)
    principal_post = models.CharField(_("principal's post"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("office phone"), max_length=50, blank=True)
    service_phone = models.CharField(_("enterprise service phone"), max_length=50, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        indexes = [models.Index(fields=["kind", "sort_order"], name="unit_kind_order_idx")]

    def __str__(self):
        return self.name

    @property
    def is_town(self):
        return self.kind == self.Kind.TOWN

    @property
    def is_county_office(self):
        return self.kind in (self.Kind.COUNTY_OFFICE, self.Kind.COUNTY_GOVERNMENT)


class LeadingGroupMember(models.Model):
    """A member of a unit's government-enterprise communication leading group (领导小组)."""

    class Role(models.TextChoices):
        LEADER = "leader", _("Group leader")
        DEPUTY = "deputy", _("Deputy group leader")
        MEMBER = "member", _("Member")

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="leading_group", verbose_name=_("unit"))
    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=100, blank=True)
    role = models.CharField(_("role in the group"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    sort_order = models.PositiveIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["unit", "sort_order", "id"]
        verbose_name = _("leading-group member")
        verbose_name_plural = _("leading-group members")

    def __str__(self):
        return f"{self.name}（{self.get_role_display()}）"


class Industry(models.TextChoices):
    """GB/T 4754-2017 sections (门类)."""

    A = "A", _("Agriculture, forestry, animal husbandry and fishery")
    B = "B", _("Mining")
    C = "C", _("Manufacturing")
    D = "D", _("Electricity, heat, gas and water production and supply")
    E = "E", _("Construction")
    F = "F", _("Wholesale and retail trade")
    G = "G", _("Transport, storage and postal services")
    H = "H", _("Accommodation and catering")
    I = "I", _("Information transmission, software and IT services")  # noqa: E741
    J = "J", _("Finance")
    K = "K", _("Real estate")
    L = "L", _("Leasing and business services")
    M = "M", _("Scientific research and technical services")
    N = "N", _("Water conservancy, environment and public facilities management")
    O = "O", _("Resident services, repair and other services")  # noqa: E741
    P = "P", _("Education")
    Q = "Q", _("Health and social work")
    R = "R", _("Culture, sports and entertainment")
    S = "S", _("Public administration, social security and social organisations")
    T = "T", _("International organisations")


class Scale(models.TextChoices):
    """Enterprise size classes (大型/中型/小型/微型)."""

    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class EnterpriseQuerySet(models.QuerySet):
    def key(self):
        """Key enterprises (重点企业)."""
        return self.filter(is_key=True)

    def in_town(self, town):
        return self.filter(town=town)

    def visible_to(self, user):
        """The enterprises a user may look up: the county office, county leaders, departments
        and agencies every one (they serve every town); a town its own; an enterprise account
        the enterprise it acts for. The one definition of "a town sees its own enterprises"."""
        from portal.core.access import acting_enterprise, official_of, sees_all_units

        if sees_all_units(user):
            return self
        official = official_of(user)
        if official is not None:
            return self.filter(town_id=official.unit_id) if official.unit.is_town else self
        enterprise = acting_enterprise(user)
        return self.filter(pk=enterprise.pk) if enterprise else self.none()

    def editable_by(self, user):
        """The enterprises whose record a user may change: the county office every one, a town
        its own (departments and county leaders look but do not change)."""
        from portal.core.access import official_of, sees_all_units

        if sees_all_units(user):
            return self
        official = official_of(user)
        if official is None or not official.unit.is_town:
            return self.none()
        return self.filter(town_id=official.unit_id)


class Enterprise(models.Model):
    """企业, identified by its unified social credit code (统一社会信用代码)."""

    name = models.CharField(_("enterprise name"), max_length=200)
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        validators=[validate_uscc],
        help_text=_("18 characters, as printed on the business licence."),
    )
    town = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="enterprises",
        verbose_name=_("town"),
        limit_choices_to={"kind": Unit.Kind.TOWN},
    )
    industry = models.CharField(_("industry"), max_length=1, choices=Industry.choices, blank=True)
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, blank=True)
    is_key = models.BooleanField(_("key enterprise"), default=False)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=50, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()
    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        indexes = [
            models.Index(fields=["town", "name"], name="enterprise_town_name_idx"),
            models.Index(fields=["industry"], name="enterprise_industry_idx"),
            models.Index(fields=["is_key"], name="enterprise_key_idx", condition=models.Q(is_key=True)),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        self.uscc = normalize_uscc(self.uscc)
        if self.town_id and not self.town.is_town:
            raise ValidationError({"town": _("An enterprise belongs to a town-level unit.")})


class OfficialQuerySet(models.QuerySet):
    def active(self):
        """Officials whose user account is still active (a deactivated one has left the post)."""
        return self.filter(user__is_active=True)

    def acting_for(self, units):
        """The active officials who act for `units` (Unit objects or ids) on matters: each unit's
        staff and head. County leaders sit in the county government's unit but answer for no
        unit's matters (they follow their liaison enterprises instead), so they are left out.
        `Official.acts_for_its_unit` is the same role rule for one official."""
        return self.active().filter(unit__in=units).exclude(role=Official.Role.COUNTY_LEADER)

    def county_office(self):
        """The active officials of 县政府办, the role that refers matters and sees every unit."""
        return self.active().filter(role=Official.Role.COUNTY_OFFICE)

    def pickable_by(self, user):
        """The officials `user` may name on a record (a visit's team, an assignment, a ledger
        filter): the county office any, anyone else their own unit's."""
        from portal.core.access import official_of, sees_all_units

        if sees_all_units(user):
            return self
        official = official_of(user)
        return self.filter(unit_id=official.unit_id) if official else self.none()


class Official(models.Model):
    """An official's profile: ties a staff user to a unit and a role."""

    class Role(models.TextChoices):
        COUNTY_OFFICE = "county_office", _("County office")
        UNIT_HEAD = "unit_head", _("Unit head")
        UNIT_STAFF = "unit_staff", _("Unit staff")
        COUNTY_LEADER = "county_leader", _("County leader")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="official", verbose_name=_("user")
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="officials", verbose_name=_("unit"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    name = models.CharField(_("name"), max_length=50)
    post = models.CharField(_("post"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)

    history = HistoricalRecords()
    objects = OfficialQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_order", "name"]
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        indexes = [models.Index(fields=["unit", "role"], name="official_unit_role_idx")]

    def __str__(self):
        return f"{self.name}（{self.unit.short_name or self.unit.name}）"

    @property
    def sees_everything(self):
        """The county office works across every unit."""
        return self.role == self.Role.COUNTY_OFFICE

    @property
    def acts_for_its_unit(self):
        """Whether this official acts for their unit on matters: the role rule of
        `Official.objects.acting_for` (county leaders do not), for one official already in
        hand. Whether the user is active is left to authentication."""
        return self.role != self.Role.COUNTY_LEADER


class EnterpriseAccountQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=EnterpriseAccount.Status.PENDING)

    def confirmed(self):
        return self.filter(status=EnterpriseAccount.Status.CONFIRMED)


class EnterpriseAccount(models.Model):
    """A user bound to one enterprise. It may act for the enterprise only once staff of the
    enterprise's town have confirmed it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        REJECTED = "rejected", _("Rejected")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enterprise_account", verbose_name=_("user")
    )
    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="accounts", verbose_name=_("enterprise")
    )
    real_name = models.CharField(_("name"), max_length=50)
    position = models.CharField(_("position in the enterprise"), max_length=50, blank=True)
    phone = models.CharField(_("mobile phone"), max_length=30)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("note on the decision"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)

    history = HistoricalRecords()
    objects = EnterpriseAccountQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("enterprise account")
        verbose_name_plural = _("enterprise accounts")
        indexes = [models.Index(fields=["status", "enterprise"], name="account_status_ent_idx")]

    def __str__(self):
        return f"{self.real_name} @ {self.enterprise}"

    @property
    def can_act(self):
        """Only a confirmed account may raise matters, rate, answer surveys for its enterprise."""
        return self.status == self.Status.CONFIRMED


class CalendarAdjustment(models.Model):
    """A day whose working status differs from the holiday library: a holiday or an adjusted
    working day (调休上班) announced after the library was released, or a local closure."""

    date = models.DateField(_("date"), unique=True)
    is_workday = models.BooleanField(_("is a working day"))
    name = models.CharField(_("reason"), max_length=100)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("calendar adjustment")
        verbose_name_plural = _("calendar adjustments")

    def __str__(self):
        return f"{self.date} {self.name}"


class CalendarYear(models.Model):
    """The county office's word that a year's official holiday arrangement (the State
    Council's notice) has been entered as CalendarAdjustment rows. Dates in a year no
    library and no such row confirms are shown as estimates (预计)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    notice = models.CharField(
        _("notice"), max_length=200, help_text=_("e.g. 国务院办公厅关于2027年部分节假日安排的通知")
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = _("confirmed holiday year")
        verbose_name_plural = _("confirmed holiday years")
        constraints = [
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="calendar_year_range")
        ]

    def __str__(self):
        return str(self.year)


class FinancialInstitution(models.Model):
    """A bank, guarantee company or other lender (金融机构). Not a unit: it has no officials
    in the portal, but the service guide lists its loan products and 政银企 matchmaking
    pairs it with enterprises."""

    class Kind(models.TextChoices):
        BANK = "bank", _("Bank")
        GUARANTEE = "guarantee", _("Guarantee company")
        MICROCREDIT = "microcredit", _("Microcredit company")
        OTHER = "other", _("Other financial institution")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.BANK)
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    website = models.URLField(_("website"), blank=True, validators=[validate_http_url])
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("financial institution")
        verbose_name_plural = _("financial institutions")

    def __str__(self):
        return self.name


from portal.core.search_models import *  # noqa: E402, F403  (the site-wide search index lives in its own module)
from portal.core.audit_models import *  # noqa: E402, F403  (the security audit log, portal/core/audit.py writes it)
from portal.core.workflow import TransitionLog  # noqa: E402,F401  (the log of every workflow lives with its helper)
from portal.core.queue_models import BackgroundJob  # noqa: E402,F401  (the task queue, shown to the county office)
