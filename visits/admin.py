"""The officials' workspace for visits, appointments, assignments, meetings and matchmaking.
Every admin here is unit-scoped (portal.core.admin_base.UnitScopedAdmin) and reads through the
models' `visible_to(user)`."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _, ngettext

from portal.core.access import official_of, unit_of
from portal.core.admin_autocomplete import PickerSelectMultiple
from portal.core.admin_base import ScopedInlineMixin, TransitionLogInline, UnitScopedAdmin
from portal.core.workflow import ActionRefused
from portal.models import Enterprise, Official, Unit

from . import services
from .models import (
    Appointment,
    Attachment,
    CountyLeader,
    FinancingMatch,
    FinancingNeed,
    LiaisonAssignment,
    MatchmakingEvent,
    Meeting,
    MeetingDecision,
    MeetingProblem,
    ReminderLog,
    Visit,
    VisitParticipant,
    VisitProblem,
)
from .periods import last_periods, parse_period


def _enterprises_for(user):
    """Enterprises an official may pick: those they may see."""
    return Enterprise.objects.visible_to(user).select_related("town").order_by("town__sort_order", "name")


def _officials_for(user):
    return Official.objects.pickable_by(user).select_related("unit").order_by("unit__sort_order", "name")


def _apply_validation_error(form, error):
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


# --------------------------------------------------------------------------- assignments


class LiaisonAssignmentForm(forms.ModelForm):
    class Meta:
        model = LiaisonAssignment
        fields = ["official", "enterprise", "start_date", "end_date", "note"]

    def clean(self):
        data = super().clean()
        instance = self.instance
        if instance.pk and "end_date" in self.changed_data and data.get("end_date"):
            if data["end_date"] < instance.start_date:
                self.add_error("end_date", _("The end date cannot be before the start date."))
            elif instance.kind == LiaisonAssignment.Kind.LEADER:
                remaining = [
                    a.enterprise
                    for a in instance.official.liaison_assignments.filter(end_date__isnull=True).exclude(pk=instance.pk)
                ]
                try:
                    services.check_leader_set(leader=instance.official, enterprises=remaining)
                except ValidationError as error:
                    self.add_error("end_date", error)
        if self.instance.pk is None and data.get("official") and data.get("enterprise"):
            try:
                if data["official"].role == Official.Role.COUNTY_LEADER:
                    services.check_leader_set(
                        leader=data["official"],
                        enterprises=[data["enterprise"]]
                        + [a.enterprise for a in data["official"].liaison_assignments.filter(end_date__isnull=True)],
                    )
                else:
                    services.check_cadre_remit(official=data["official"], enterprise=data["enterprise"])
            except ValidationError as error:
                _apply_validation_error(self, error)
        return data


@admin.register(LiaisonAssignment)
class LiaisonAssignmentAdmin(UnitScopedAdmin):
    form = LiaisonAssignmentForm
    autocomplete_fields = ["official", "enterprise"]  # search boxes, not lists of everyone
    list_display = ["official", "enterprise", "unit", "kind", "start_date", "end_date"]
    list_filter = ["kind", "unit__kind", ("end_date", admin.EmptyFieldListFilter)]
    search_fields = ["official__name", "enterprise__name"]
    list_select_related = ["official__unit", "enterprise", "unit"]
    date_hierarchy = "start_date"

    def scope_queryset(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        return ["official", "enterprise", "start_date", "unit", "kind"] if obj else ["unit", "kind"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "official":
            kwargs["queryset"] = _officials_for(request.user).exclude(role=Official.Role.COUNTY_LEADER)
        if db_field.name == "enterprise":
            kwargs["queryset"] = _enterprises_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        return False  # assignments end; their history stays

    def save_model(self, request, obj, form, change):
        try:
            if change:
                if "end_date" in form.changed_data and obj.end_date:
                    end_date = obj.end_date
                    obj.end_date = None
                    services.assignment_end(assignment=obj, end_date=end_date, by=request.user)
                if "note" in form.changed_data:
                    obj.save(update_fields=["note"])
            else:
                created = services.assignment_create(
                    official=obj.official,
                    enterprise=obj.enterprise,
                    start_date=obj.start_date,
                    note=obj.note,
                    by=request.user,
                )
                obj.pk = created.pk
        except (ValidationError, PermissionDenied) as error:
            raise PermissionDenied(error) from error


class CountyLeaderForm(forms.ModelForm):
    key_enterprises = forms.ModelMultipleChoiceField(
        label=_("Key enterprises looked after"),
        queryset=Enterprise.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Two or three key enterprises (the bounds are set by the county)."),
    )
    start_date = forms.DateField(
        label=_("From"),
        initial=timezone.localdate,
        help_text=_("Enterprises added start on this day; dropped ones end the day before."),
    )

    class Meta:
        model = CountyLeader
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_enterprises"].queryset = (
            Enterprise.objects.key().select_related("town").order_by("town__sort_order", "name")
        )
        if self.instance.pk:
            self.fields["key_enterprises"].initial = list(
                self.instance.liaison_assignments.filter(end_date__isnull=True).values_list("enterprise_id", flat=True)
            )

    def clean(self):
        data = super().clean()
        if "key_enterprises" in data:
            try:
                services.check_leader_set(leader=self.instance, enterprises=list(data["key_enterprises"]))
            except ValidationError as error:
                self.add_error("key_enterprises", error)
        return data


@admin.register(CountyLeader)
class CountyLeaderAdmin(UnitScopedAdmin):
    """县领导联系重点企业: the whole set of a leader's key enterprises in one form (2–3 rule)."""

    form = CountyLeaderForm
    list_display = ["name", "post", "current_enterprises"]
    readonly_fields = ["name", "post", "unit"]
    fields = ["name", "post", "unit", "key_enterprises", "start_date"]

    def get_queryset(self, request):
        qs = super().get_queryset(request).filter(role=Official.Role.COUNTY_LEADER).select_related("unit")
        current = LiaisonAssignment.objects.filter(end_date__isnull=True).select_related("enterprise")
        return qs.prefetch_related(Prefetch("liaison_assignments", queryset=current, to_attr="current"))

    def scope_queryset(self, request, queryset):
        # Every official may see who looks after the key enterprises; the county office edits.
        return queryset if official_of(request.user) or request.user.is_superuser else queryset.none()

    def editable_queryset(self, request, queryset):
        return queryset if request.user.has_perm("visits.assign_county_leaders") else queryset.none()

    @admin.display(description=_("Key enterprises"))
    def current_enterprises(self, obj):
        return "、".join(a.enterprise.name for a in getattr(obj, "current", []))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def history_view(self, request, object_id, extra_context=None):
        # The leader's own row is portal's; the admin log shows who changed the set here, and
        # each assignment keeps its full history under liaison assignments.
        return admin.ModelAdmin.history_view(self, request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        pass  # the official's own row is not edited here

    def save_related(self, request, form, formsets, change):
        services.leader_assignments_set(
            leader=form.instance,
            enterprises=form.cleaned_data["key_enterprises"],
            start_date=form.cleaned_data["start_date"],
            by=request.user,
        )


# --------------------------------------------------------------------------- appointments


class AppointmentForm(forms.ModelForm):
    class Meta:
        model = Appointment
        fields = ["enterprise", "proposed_by", "starts_at", "ends_at", "purpose"]


@admin.register(Appointment)
class AppointmentAdmin(UnitScopedAdmin):
    form = AppointmentForm
    inlines = [TransitionLogInline.of(services.APPOINTMENT_WORKFLOW)]
    autocomplete_fields = ["enterprise", "proposed_by"]
    list_display = ["enterprise", "starts_at", "ends_at", "unit", "status", "answer_link"]
    list_filter = ["status"]
    search_fields = ["enterprise__name", "purpose"]
    list_select_related = ["enterprise", "unit"]
    date_hierarchy = "starts_at"

    def scope_queryset(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [
            "enterprise",
            "unit",
            "proposed_by",
            "status",
            "counter_starts_at",
            "counter_ends_at",
            "response_note",
            "response_channel",
            "responded_by",
            "responded_at",
        ]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["enterprise", "proposed_by", "starts_at", "ends_at", "purpose"]
        return [
            "enterprise",
            "unit",
            "proposed_by",
            "purpose",
            "starts_at",
            "ends_at",
            "status",
            "counter_starts_at",
            "counter_ends_at",
            "response_note",
            "response_channel",
            "responded_by",
            "responded_at",
        ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "enterprise":
            kwargs["queryset"] = _enterprises_for(request.user)
        if db_field.name == "proposed_by":
            kwargs["queryset"] = _officials_for(request.user)
            kwargs["initial"] = official_of(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Answer"))
    def answer_link(self, obj):
        if not obj.is_open:
            return "—"
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse("visits:appointment_answer", args=[obj.pk]),
            _("Record the answer"),
        )

    def save_model(self, request, obj, form, change):
        if change:
            if {"starts_at", "ends_at"} & set(form.changed_data):
                Appointment.objects.filter(pk=obj.pk).update(purpose=obj.purpose)
                original = Appointment.objects.get(pk=obj.pk)
                try:
                    _appointment, conflicts = services.appointment_reschedule(
                        appointment=original, starts_at=obj.starts_at, ends_at=obj.ends_at, by=request.user
                    )
                except ValidationError as error:
                    raise PermissionDenied(error) from error
                self._warn(request, conflicts)
            else:
                obj.save(update_fields=["purpose"])
            return
        appointment, conflicts = services.appointment_propose(
            enterprise=obj.enterprise,
            official=obj.proposed_by,
            starts_at=obj.starts_at,
            ends_at=obj.ends_at,
            purpose=obj.purpose,
        )
        obj.pk, obj.unit = appointment.pk, appointment.unit
        self._warn(request, conflicts)

    def _warn(self, request, conflicts):
        for other in conflicts:
            messages.warning(
                request,
                _(
                    "Note: %(unit)s has also booked this enterprise from %(start)s to %(end)s. "
                    "Consider agreeing one joint visit so as not to disturb production."
                )
                % {
                    "unit": other.unit.name,
                    "start": timezone.localtime(other.starts_at).strftime("%Y-%m-%d %H:%M"),
                    "end": timezone.localtime(other.ends_at).strftime("%H:%M"),
                },
            )


# --------------------------------------------------------------------------- visits


class PeriodListFilter(admin.SimpleListFilter):
    """Visits by coverage period (quarter), without scanning the table for the list of dates."""

    title = _("period")
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [(p.key, p.label) for p in reversed(last_periods(8))]

    def queryset(self, request, queryset):
        period = parse_period(self.value())
        return queryset.in_period(period) if period else queryset


def published_policy_choices(limit=300):
    """Published policies through the policies app's selector (no import of its models), as
    {id: {"id", "title", "url"}}; empty when the policies app offers no selector."""
    try:
        from policies import selectors as policy_selectors
    except ImportError:
        return {}
    latest = getattr(policy_selectors, "latest_policies", None)
    if latest is None:
        return {}
    return {p.pk: {"id": p.pk, "title": p.title, "url": p.get_absolute_url()} for p in latest(limit=limit)}


# Up to this many colleagues the team is a list of checkboxes (one tap each); beyond it (the
# county office picks from every unit) a search box.
TEAM_CHECKBOXES_UP_TO = 12


class VisitForm(forms.ModelForm):
    team = forms.ModelMultipleChoiceField(
        label=_("Officials who went"), queryset=Official.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    linked_policies = forms.TypedMultipleChoiceField(
        label=_("Published policies explained"),
        required=False,
        coerce=int,
        help_text=_("Optional: the published policies you explained (hold Ctrl to choose several)."),
    )

    class Meta:
        model = Visit
        fields = [
            "enterprise",
            "date",
            "form",
            "appointment",
            "team",
            "met_persons",
            "operation",
            "operation_notes",
            "output_value",
            "revenue",
            "employees",
            "capacity_use",
            "project_progress",
            "policies_explained",
            "linked_policies",
            "solved_on_spot",
            "follow_up",
        ]

    def __init__(self, *args, user=None, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            qs = _officials_for(user)
            if self.instance.pk:
                qs = qs | Official.objects.filter(visit_participations__visit=self.instance)
            self.fields["team"].queryset = qs.distinct().select_related("unit")
            if admin_site is not None and qs.count() > TEAM_CHECKBOXES_UP_TO:
                self.fields["team"].widget = PickerSelectMultiple(Visit._meta.get_field("officials"), admin_site)
                self.fields["team"].widget.choices = self.fields["team"].choices
        appointment = self.fields.get("appointment")
        if appointment is not None and self.instance.appointment_id:
            # Carried out by this visit, the appointment is 已走访 now: keep it choosable, or
            # re-saving the visit would drop the link.
            appointment.queryset = (
                appointment.queryset
                | Appointment.objects.filter(pk=self.instance.appointment_id).select_related("enterprise")
            ).distinct()
        self.policy_choices = published_policy_choices()
        self.fields["linked_policies"].choices = [(p["id"], p["title"]) for p in self.policy_choices.values()]
        self.fields["linked_policies"].initial = [p.get("id") for p in self.instance.policy_links or []]
        if self.instance.pk:
            self.fields["team"].initial = list(self.instance.participants.values_list("official_id", flat=True))
        elif user is not None and official_of(user):
            self.fields["team"].initial = [official_of(user).pk]

    def policy_links(self):
        chosen = self.cleaned_data.get("linked_policies") or []
        kept = {p.get("id"): p for p in self.instance.policy_links or []}
        return [self.policy_choices.get(pk) or kept[pk] for pk in chosen if pk in self.policy_choices or pk in kept]

    def clean_date(self):
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise ValidationError(_("A visit cannot be recorded for a future date."))
        return date


class VisitProblemInline(ScopedInlineMixin, admin.StackedInline):  # stacked: fits a phone's width
    model = VisitProblem
    extra = 1
    fields = ["category", "title", "description", "solved_on_spot", "matter"]
    readonly_fields = ["matter"]

    @admin.display(description=_("Matter"))
    def matter(self, obj):
        return problem_matter_cell(obj, "visit")


def problem_matter_cell(obj, kind, user=None):
    if obj is None or obj.pk is None:
        return "—"
    if obj.matter_id:
        return obj.matter_label or f"#{obj.matter_id}"
    if obj.solved_on_spot:
        return _("Solved on the spot")
    if user is not None and not user.has_perm(f"visits.change_{kind}problem", obj):
        return "—"
    return format_html(
        '<a class="button" href="{}">{}</a>',
        reverse("visits:problem_to_matter", args=[kind, obj.pk]),
        _("Turn into a matter"),
    )


class PhotoForm(forms.ModelForm):
    """A photo taken at the enterprise: on a phone the file button opens the camera."""

    class Meta:
        model = Attachment
        fields = ["file", "caption"]
        widgets = {"file": forms.ClearableFileInput(attrs={"accept": "image/*", "capture": "environment"})}

    def save(self, commit=True):
        self.instance.kind = Attachment.Kind.PHOTO
        return super().save(commit)


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["file", "caption"]

    def clean(self):
        self.instance.kind = Attachment.Kind.DOCUMENT  # before the model's clean checks a photo's type
        return super().clean()


class PhotoFormSet(forms.BaseInlineFormSet):
    @classmethod
    def get_default_prefix(cls):
        return "photos"  # the documents' inline keeps "attachments"

    def __init__(self, data=None, *args, prefix=None, **kwargs):
        # A visit posted without the photos' management form (a form saved before the photos
        # had their own inline, a script) simply has no photos, rather than failing.
        name = prefix or self.get_default_prefix()
        if data is not None and f"{name}-TOTAL_FORMS" not in data:
            data = data.copy()
            data.update({f"{name}-TOTAL_FORMS": "0", f"{name}-INITIAL_FORMS": "0"})
        super().__init__(data, *args, prefix=prefix, **kwargs)


class PhotoInline(ScopedInlineMixin, admin.StackedInline):
    """现场照片, first: what a cadre adds from the phone at the enterprise."""

    model = Attachment
    form = PhotoForm
    formset = PhotoFormSet
    extra = 1
    verbose_name = _("photo")
    verbose_name_plural = _("photos taken at the visit")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(kind=Attachment.Kind.PHOTO)


class AttachmentInline(ScopedInlineMixin, admin.StackedInline):
    model = Attachment
    form = DocumentForm
    extra = 0
    verbose_name = _("document")
    verbose_name_plural = _("documents")

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(kind=Attachment.Kind.PHOTO)


@admin.register(Visit)
class VisitAdmin(UnitScopedAdmin):
    form = VisitForm
    autocomplete_fields = ["enterprise"]
    form_pickers = ["officials"]  # the team (VisitForm.team), a search box beyond a few colleagues
    list_display = ["date", "enterprise", "unit", "form", "who_went", "operation", "problem_count"]
    list_filter = [PeriodListFilter, "form", "operation", "unit__kind"]
    search_fields = ["enterprise__name"]  # see get_search_results
    search_help_text = _("Enterprise name or credit code.")
    list_select_related = ["enterprise", "unit"]
    list_per_page = 50
    show_full_result_count = False
    inlines = [VisitProblemInline, PhotoInline, AttachmentInline]
    fieldsets = [
        (None, {"fields": ["enterprise", "date", "form", "appointment", "team", "met_persons"]}),
        (
            _("Production and operation"),
            {
                "fields": [
                    "operation",
                    "operation_notes",
                    "output_value",
                    "revenue",
                    "employees",
                    "capacity_use",
                    "project_progress",
                ]
            },
        ),
        (
            _("Policies and follow-up"),
            {"fields": ["policies_explained", "linked_policies", "solved_on_spot", "follow_up"]},
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and not self.has_change_permission(request, obj):
            # view only: show who went instead of the form's checkboxes
            swap = {"team": "who_went", "linked_policies": "policies_linked"}
            fieldsets = [
                (title, {**options, "fields": [swap.get(name, name) for name in options["fields"]]})
                for title, options in fieldsets
            ]
        return fieldsets

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)

        class RequestForm(form):
            def __init__(self, *args, **inner):
                super().__init__(*args, user=request.user, admin_site=self_admin.admin_site, **inner)

        self_admin = self
        return RequestForm

    def scope_queryset(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_queryset(self, request):
        participants = VisitParticipant.objects.select_related("official").only(
            "visit_id", "official__name", "official__unit_id"
        )
        problems = VisitProblem.objects.only("id", "visit_id")
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("participants", queryset=participants),
                Prefetch("problems", queryset=problems, to_attr="problem_list"),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        """Search by enterprise through the enterprise index, not by scanning every visit."""
        term = search_term.strip()
        if not term:
            return queryset, False
        enterprises = Enterprise.objects.filter(Q(name__icontains=term) | Q(uscc__iexact=term.upper()))
        return queryset.filter(enterprise__in=enterprises), False

    def autocomplete_choices(self, request, db_field):
        if db_field.name == "officials":  # the team (VisitForm.team)
            return _officials_for(request.user)
        return super().autocomplete_choices(request, db_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "enterprise":
            kwargs["queryset"] = _enterprises_for(request.user)
        if db_field.name == "appointment":
            # Agreed appointments, plus (VisitForm) the one this visit already carried out.
            kwargs["queryset"] = (
                Appointment.objects.visible_to(request.user)
                .filter(status=Appointment.Status.ACCEPTED)
                .select_related("enterprise")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Published policies explained"))
    def policies_linked(self, obj):
        return (
            format_html_join(
                "、", '<a href="{}">{}</a>', ((p.get("url", ""), p.get("title", "")) for p in obj.policy_links or [])
            )
            or "—"
        )

    @admin.display(description=_("Who went"))
    def who_went(self, obj):
        return "、".join(p.official.name for p in obj.participants.all())

    @admin.display(description=_("Problems"))
    def problem_count(self, obj):
        return len(obj.problem_list)

    def save_model(self, request, obj, form, change):
        if "linked_policies" in form.fields:
            obj.policy_links = form.policy_links()
        if not change:
            obj.recorded_by = request.user
            if not obj.unit_id:
                obj.unit = unit_of(request.user) or form.cleaned_data["team"][0].unit
        super().save_model(request, obj, form, change)
        if obj.appointment_id:
            services.appointment_held(appointment=obj.appointment, by=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.visit_set_participants(visit=form.instance, officials=form.cleaned_data["team"])
        form.instance.problems.exclude(enterprise_id=form.instance.enterprise_id).update(
            enterprise_id=form.instance.enterprise_id
        )


class ProblemAdminBase(UnitScopedAdmin):
    list_display = ["title", "enterprise", "category", "solved_on_spot", "matter_cell"]
    list_filter = ["category", "solved_on_spot", ("matter_id", admin.EmptyFieldListFilter)]
    search_fields = ["title", "enterprise__name"]
    list_select_related = ["enterprise"]
    actions = ["turn_into_matters"]
    kind = "visit"

    def has_add_permission(self, request):
        return False  # problems are recorded with their visit or meeting

    @admin.display(description=_("Matter"))
    def matter_cell(self, obj):
        return problem_matter_cell(obj, self.kind)

    def get_list_display(self, request):
        """The 转为事项 button only on the problems this user may turn into a matter (a town sees
        problems a department raised at its enterprises, but does not hand them on)."""

        def matter_cell(obj):
            return problem_matter_cell(obj, self.kind, user=request.user)

        matter_cell.short_description = _("Matter")
        return [matter_cell if name == "matter_cell" else name for name in super().get_list_display(request)]

    @admin.action(description=_("Turn the selected problems into matters"), permissions=["change"])
    def turn_into_matters(self, request, queryset):
        made = existing = 0
        for problem in queryset:
            try:
                _problem, created = services.problem_to_matter(problem=problem, by=request.user)
            except ValidationError as error:
                self.message_user(request, "；".join(error.messages), messages.ERROR)
                return
            made += created
            existing += not created
        self.message_user(request, ngettext("%d matter created.", "%d matters created.", made) % made, messages.SUCCESS)
        if existing:
            self.message_user(
                request,
                ngettext("%d problem already had its matter.", "%d problems already had their matters.", existing)
                % existing,
            )


@admin.register(VisitProblem)
class VisitProblemAdmin(ProblemAdminBase):
    unit_field = "visit__unit"
    list_display = ["title", "enterprise", "visit", "category", "solved_on_spot", "matter_cell"]
    list_select_related = ["enterprise", "visit__enterprise"]
    fields = ["visit", "enterprise", "category", "title", "description", "solved_on_spot"]
    readonly_fields = ["visit", "enterprise"]

    def scope_queryset(self, request, queryset):
        return queryset.visible_to(request.user)


# --------------------------------------------------------------------------- meetings


class MeetingProblemInline(ScopedInlineMixin, admin.TabularInline):
    model = MeetingProblem
    extra = 1
    autocomplete_fields = ["enterprise"]
    fields = ["enterprise", "category", "title", "description", "solved_on_spot", "matter"]
    readonly_fields = ["matter"]

    @admin.display(description=_("Matter"))
    def matter(self, obj):
        return problem_matter_cell(obj, "meeting")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "enterprise":
            kwargs["queryset"] = _enterprises_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MeetingDecisionInline(ScopedInlineMixin, admin.TabularInline):
    model = MeetingDecision
    extra = 1
    autocomplete_fields = ["follow_up_unit"]
    fields = ["text", "follow_up_unit", "follow_up_person", "due_date", "done"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "follow_up_unit":
            kwargs["queryset"] = Unit.objects.active()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Meeting)
class MeetingAdmin(UnitScopedAdmin):
    list_display = ["date", "title", "kind", "unit", "convener", "problem_count"]
    list_filter = ["kind", "unit__kind"]
    search_fields = ["title", "minutes", "agenda"]
    list_select_related = ["unit"]
    date_hierarchy = "date"
    autocomplete_fields = ["units_attending", "enterprises_attending"]
    inlines = [MeetingProblemInline, MeetingDecisionInline]
    fields = [
        "kind",
        "unit",
        "title",
        "date",
        "place",
        "convener",
        "units_attending",
        "enterprises_attending",
        "agenda",
        "minutes",
    ]

    def scope_queryset(self, request, queryset):
        return queryset.visible_to(request.user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(problems_n=Count("problems"))

    @admin.display(description=_("Problems"), ordering="problems_n")
    def problem_count(self, obj):
        return obj.problems_n

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "enterprises_attending":
            kwargs["queryset"] = _enterprises_for(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(MeetingProblem)
class MeetingProblemAdmin(ProblemAdminBase):
    unit_field = "meeting__unit"
    kind = "meeting"
    list_display = ["title", "enterprise", "meeting", "category", "solved_on_spot", "matter_cell"]
    list_select_related = ["enterprise", "meeting"]
    fields = ["meeting", "enterprise", "category", "title", "description", "solved_on_spot"]
    readonly_fields = ["meeting", "enterprise"]

    def scope_queryset(self, request, queryset):
        return queryset.visible_to(request.user)


# --------------------------------------------------------------------------- 政银企


@admin.register(MatchmakingEvent)
class MatchmakingEventAdmin(UnitScopedAdmin):
    list_display = ["date", "title", "unit", "place"]
    filter_horizontal = ["institutions"]
    date_hierarchy = "date"
    list_select_related = ["unit"]

    def scope_queryset(self, request, queryset):
        # County-wide events: every official may see them; the organising unit edits.
        return queryset if official_of(request.user) or request.user.is_superuser else queryset.none()


class FinancingMatchInline(admin.TabularInline):
    model = FinancingMatch
    extra = 1
    fields = ["institution", "event", "outcome", "credit_amount", "loan_amount", "failure_reason"]


@admin.register(FinancingNeed)
class FinancingNeedAdmin(UnitScopedAdmin):
    autocomplete_fields = ["enterprise"]
    unit_field = "enterprise__town"
    list_display = ["enterprise", "amount", "purpose", "term_months", "event", "source", "status", "created_at"]
    list_filter = ["status", "source", "event"]
    search_fields = ["enterprise__name", "purpose"]
    list_select_related = ["enterprise", "event"]
    fields = ["enterprise", "amount", "purpose", "term_months", "collateral", "event", "status", "source"]
    readonly_fields = ["status", "source"]  # the status moves by the actions (FINANCING_NEED_WORKFLOW)
    inlines = [FinancingMatchInline, TransitionLogInline.of(services.FINANCING_NEED_WORKFLOW)]
    actions = ["mark_met", "withdraw", "reopen"]

    def _transition(self, request, queryset, action):
        done = 0
        for need in queryset:
            try:
                services.financing_need_transition(need=need, action=action, by=request.user)
            except ActionRefused:
                continue  # its state does not allow it: left as it is
            done += 1
        self.message_user(
            request,
            ngettext("%(count)d financing need: %(action)s.", "%(count)d financing needs: %(action)s.", done)
            % {"count": done, "action": services.FINANCING_NEED_WORKFLOW[action].label},
        )

    @admin.action(description=_("Mark the selected needs as met"), permissions=["change"])
    def mark_met(self, request, queryset):
        self._transition(request, queryset, "meet")

    @admin.action(description=_("Withdraw the selected needs"), permissions=["change"])
    def withdraw(self, request, queryset):
        self._transition(request, queryset, "withdraw")

    @admin.action(description=_("Reopen the selected needs"), permissions=["change"])
    def reopen(self, request, queryset):
        self._transition(request, queryset, "reopen")

    def scope_queryset(self, request, queryset):
        return queryset.visible_to(request.user)

    def editable_queryset(self, request, queryset):
        return queryset.editable_by(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "enterprise":
            kwargs["queryset"] = _enterprises_for(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.entered_by = request.user
            obj.source = FinancingNeed.Source.OFFICIAL
        super().save_model(request, obj, form, change)


@admin.register(ReminderLog)
class ReminderLogAdmin(UnitScopedAdmin):
    unit_field = "official__unit"
    list_display = ["official", "period_start", "enterprise_count", "sent_at"]
    list_select_related = ["official__unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
