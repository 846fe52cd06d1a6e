"""The officials' side of matters: the scoped list, a page per transition, recording calls
and complaints, the county office's review queue, figures and ledgers."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.core.access import default_unit, official_of, unit_choices_for
from portal.core.admin_base import UnitScopedAdmin
from portal.models import Enterprise
from portal.core.params import int_param
from portal.core.workdays import is_estimated, workdays_between
from portal.core.workflow import ActionRefused

from . import clock, figures, ledgers, selectors, workflow
from .admin_forms import (
    ActionForm,
    LedgerForm,
    PeriodForm,
    RecordForm,
    reply_templates,
    unit_choice_label,
    unit_choices,
)
from .models import DeadlineRule, Matter, ReplyTemplate
from .services import (
    available_actions,
    matter_record_call,
    matter_steps,
    matter_transition,
    queue_steps,
    units_that_can_act,
)


def deadline_flag(matter, today, horizon):
    """The soonest running clock: its name, date and flag (overdue in working days, near,
    or 预计 when the date's year has no confirmed holiday arrangement)."""
    found = matter.next_deadline
    if found is None:
        return "—"
    which, day = found
    if day < today:
        late = workdays_between(day, today)
        return format_html(
            '<span class="flag-overdue">{}：{} {}</span>',
            which.label,
            day,
            _("overdue by %(n)d working days") % {"n": late},
        )
    estimated = format_html("（{}）", _("estimated")) if is_estimated(day, today) else ""
    if day <= horizon:
        return format_html('<span class="flag-near">{}：{}{} {}</span>', which.label, day, estimated, _("near due"))
    return format_html("{}：{}{}", which.label, day, estimated)


class DueFlagFilter(admin.SimpleListFilter):
    title = gettext_lazy("deadline")
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("overdue", gettext_lazy("Overdue")),
            ("near", gettext_lazy("Due within 2 working days")),
            ("return_window", gettext_lazy("Return window open")),
            ("extension", gettext_lazy("Extension requested")),
        ]

    def queryset(self, request, queryset):
        today = clock.today()
        if self.value() == "overdue":
            return queryset.overdue(today)
        if self.value() == "near":
            return queryset.near_due(today, selectors.near_due_horizon(today))
        if self.value() == "return_window":
            return queryset.near_due(today, selectors.near_due_horizon(today), ["return"])
        if self.value() == "extension":
            return queryset.extension_requests()
        return queryset


@admin.register(Matter)
class MatterAdmin(UnitScopedAdmin):
    unit_field = "responsible_unit"
    list_display = (
        "tracking_number",
        "title",
        "enterprise_column",
        "category",
        "state",
        "received_by",
        "responsible_unit",
        "due_column",
        "received_at",
    )
    list_select_related = ("enterprise", "received_by", "responsible_unit")
    list_filter = ("state", DueFlagFilter, "supervised", "category", "channel", "urgency")
    search_fields = ("=tracking_number", "title", "enterprise__name", "enterprise_name")
    date_hierarchy = None
    show_full_result_count = False
    list_per_page = 50
    ordering = ("-received_at", "-id")
    change_form_template = "liaison/admin/matter_change_form.html"
    readonly_fields = (
        "tracking_number",
        "title",
        "description",
        "category",
        "channel",
        "urgency",
        "state",
        "enterprise",
        "enterprise_name",
        "contact_name",
        "contact_phone",
        "contact_email",
        "received_by",
        "lead_unit",
        "responsible_unit",
        "received_at",
        "accept_due",
        "accepted_at",
        "assigned_at",
        "return_due",
        "deadline_workdays",
        "due_date",
        "extension_workdays",
        "extension_requested_days",
        "extension_reason",
        "extension_decide_by",
        "reassign_due",
        "supplement_due",
        "paused_on",
        "paused_workdays",
        "referral_reason",
        "returned_by_unit",
        "return_reason",
        "supervised",
        "supervision_note",
        "reply",
        "replied_at",
        "workdays_to_close",
        "closed_on_time",
        "rating",
        "rating_reason",
        "closing_explanation",
        "archived_at",
    )
    fieldsets = (
        (None, {"fields": ("tracking_number", "title", "description", ("category", "channel", "urgency"), "state")}),
        (
            gettext_lazy("Enterprise"),
            {"fields": ("enterprise", "enterprise_name", ("contact_name", "contact_phone"), "contact_email")},
        ),
        (
            gettext_lazy("Units and deadlines"),
            {
                "fields": (
                    ("received_by", "received_at"),
                    ("accept_due", "accepted_at"),
                    ("lead_unit", "responsible_unit"),
                    ("assigned_at", "return_due"),
                    ("deadline_workdays", "due_date"),
                    ("extension_workdays", "extension_requested_days"),
                    ("extension_reason", "extension_decide_by"),
                    ("paused_on", "paused_workdays", "supplement_due"),
                    "referral_reason",
                    ("returned_by_unit", "return_reason", "reassign_due"),
                    ("supervised", "supervision_note"),
                )
            },
        ),
        (
            gettext_lazy("Outcome"),
            {
                "fields": (
                    "reply",
                    ("replied_at", "workdays_to_close", "closed_on_time"),
                    ("rating", "rating_reason"),
                    "closing_explanation",
                    "archived_at",
                )
            },
        ),
    )

    def scope_queryset(self, request, queryset):
        return queryset & Matter.objects.visible_to(request.user)

    def editable_queryset(self, request, queryset):
        # Fields are read-only: changes go through the transition pages, which check roles.
        return queryset & Matter.objects.visible_to(request.user)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # The pickers of the assign and record forms (portal/core/admin_autocomplete.py).
    form_pickers = ["lead_unit", "cooperating_units", "enterprise"]

    def autocomplete_choices(self, request, db_field):
        if db_field.name in ("lead_unit", "cooperating_units"):
            return unit_choices()
        if db_field.name == "enterprise":
            return Enterprise.objects.visible_to(request.user)
        return None

    def autocomplete_label(self, request, db_field, obj):
        if db_field.name not in ("lead_unit", "cooperating_units"):
            return str(obj)
        if not hasattr(request, "_units_that_can_act"):
            request._units_that_can_act = units_that_can_act(unit_choices())
        return unit_choice_label(obj, request._units_that_can_act)

    @admin.display(description=gettext_lazy("enterprise"), ordering="enterprise__name")
    def enterprise_column(self, obj):
        return obj.display_enterprise

    @admin.display(description=gettext_lazy("due"), ordering="due_date")
    def due_column(self, obj):
        """The soonest running clock (acceptance, handling, reassignment, extension decision,
        supplement) with its date and a flag."""
        return deadline_flag(obj, clock.today(), selectors.near_due_horizon(clock.today()))

    # ------------------------------------------------------------------ URLs
    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("queue/", view(self.queue_view), name="liaison_matter_queue"),
            path("figures/", view(self.figures_view), name="liaison_matter_figures"),
            path("ledgers/", view(self.ledgers_view), name="liaison_matter_ledgers"),
            path("record/", view(self.record_view), name="liaison_matter_record"),
            path("<int:pk>/act/<str:action>/", view(self.action_view), name="liaison_matter_act"),
        ] + super().get_urls()

    def _context(self, request, title, **extra):
        return {**self.admin_site.each_context(request), "title": title, "opts": self.model._meta, **extra}

    def change_view(self, request, object_id, form_url="", extra_context=None):
        matter = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if matter is not None:
            extra.update(
                {
                    "timeline": selectors.full_timeline(matter),
                    "attachments": matter.attachments.all(),
                    **self._steps_context(matter, request.user),
                    "cooperating": [c.unit for c in matter.cooperations.select_related("unit")],
                    "ratings": matter.ratings.all(),
                }
            )
        return super().change_view(request, object_id, form_url, extra)

    @staticmethod
    def _steps_context(matter, user):
        steps = matter_steps(matter, user)
        return {
            "steps_shown": True,
            "steps_now": [
                {"label": s.action.label, "url": reverse("admin:liaison_matter_act", args=[matter.pk, s.action.name])}
                for s in steps
                if s.allowed
            ],
            "steps_later": [{"label": s.action.label, "reason": s.reason} for s in steps if not s.allowed],
        }

    def history_view(self, request, object_id, extra_context=None):
        """A matter's history is its MatterEvent timeline, shown on the change page."""
        return redirect(reverse("admin:liaison_matter_change", args=[object_id]) + "#matter-timeline")

    def action_view(self, request, pk, action):
        matter = self.get_queryset(request).filter(pk=pk).first()
        if matter is None or action not in workflow.ACTIONS:
            raise Http404
        spec = workflow.ACTIONS[action]
        form = ActionForm(request.POST or None, matter=matter, action=action, admin_site=self.admin_site)
        template_id = int_param(request.GET, "template")
        if request.method == "GET" and template_id and action == "reply":
            chosen = reply_templates(matter).filter(pk=template_id).first()
            if chosen is not None:
                form.initial["reason"] = chosen.body
        status = 200
        if request.method == "POST":
            if form.is_valid():
                try:
                    matter_transition(matter=matter, action=action, user=request.user, **form.params())
                except ActionRefused as refused:
                    form.add_error(None, refused.message)
                else:
                    messages.success(request, _("Done: %(action)s.") % {"action": spec.label})
                    # After a return (or any step that takes the matter off the unit's desk) the
                    # user may no longer see it: go to the list, not to a page they cannot open.
                    if self.get_queryset(request).filter(pk=matter.pk).exists():
                        return redirect("admin:liaison_matter_change", matter.pk)
                    return redirect("admin:liaison_matter_changelist")
            status = 400
        allowed = spec in available_actions(matter, request.user)
        why_not = next((s.reason for s in matter_steps(matter, request.user) if s.action.name == action), "")
        return TemplateResponse(
            request,
            "liaison/admin/matter_action.html",
            self._context(
                request,
                f"{spec.label} · {matter.tracking_number}",
                matter=matter,
                form=form,
                spec=spec,
                allowed=allowed,
                why_not=why_not,
                templates=reply_templates(matter) if action == "reply" else [],
            ),
            status=status,
        )

    def record_view(self, request):
        if official_of(request.user) is None and not request.user.is_superuser:
            raise PermissionDenied
        form = RecordForm(request.POST or None, user=request.user, admin_site=self.admin_site)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    matter = matter_record_call(
                        user=request.user,
                        enterprise=data["enterprise"],
                        enterprise_name=data["enterprise_name"],
                        title=data["title"],
                        description=data["description"],
                        category=data["category"],
                        channel=data["channel"],
                        urgency=data["urgency"],
                        received_by=data["received_by"],
                        contact_name=data["contact_name"],
                        contact_phone=data["contact_phone"],
                    )
                except ActionRefused as refused:
                    form.add_error(None, refused.message)
                else:
                    messages.success(
                        request,
                        _("Recorded as %(number)s (query code %(code)s): give both to the caller.")
                        % {"number": matter.tracking_number, "code": getattr(matter, "issued_query_code", "")},
                    )
                    return redirect("admin:liaison_matter_change", matter.pk)
            status = 400
        return TemplateResponse(
            request,
            "liaison/admin/matter_record.html",
            self._context(request, _("Record a phone call or complaint"), form=form),
            status=status,
        )

    def queue_view(self, request):
        """The county office's review queue, one section at a time (?section=, tabs with counts;
        by default the first section with something waiting): each row with how long it has
        waited in working days and the buttons of its next steps."""
        if not request.user.has_perm("liaison.view_review_queue"):
            raise PermissionDenied
        today = clock.today()
        counts = selectors.review_queue_counts(request.user, today)
        section = selectors.queue_section(request.GET.get("section", ""))
        if section is None:
            section = next((s for s, count in counts if count), counts[0][0])
        rows = queue_steps(selectors.review_queue_rows(request.user, section, today), request.user, section.next_steps)
        horizon = selectors.near_due_horizon(today)
        changelist = reverse("admin:liaison_matter_changelist")
        return TemplateResponse(
            request,
            "liaison/admin/matter_queue.html",
            self._context(
                request,
                _("Matters: review queue"),
                section=section,
                today=today,
                tabs=[(s, count, s.key == section.key) for s, count in counts],
                count=dict((s.key, count) for s, count in counts)[section.key],
                rows=[(m, deadline_flag(m, today, horizon)) for m in rows],
                full_list=changelist + section.changelist_query,
                limit=selectors.REVIEW_QUEUE_LIMIT,
            ),
        )

    def figures_view(self, request):
        if official_of(request.user) is None and not request.user.is_superuser:
            raise PermissionDenied
        form = PeriodForm(request.GET)
        start, end = form.period()
        matters = Matter.objects.visible_to(request.user)
        rows = figures.unit_figures(matters, start, end)
        own = unit_choices_for(request.user)
        if own is not None:
            own = set(own)
            rows = [r for r in rows if r["unit"] in own]
        rows = figures.with_bars(rows)
        return TemplateResponse(
            request,
            "liaison/admin/matter_figures.html",
            self._context(
                request,
                _("Matters: figures"),
                form=form,
                rows=rows,
                totals=figures.totals_of(rows),
                trend=figures.monthly_trend(matters, clock.today()),
                definitions=figures.DEFINITIONS,
                clocks=figures.clocks_now(matters, clock.today(), selectors.near_due_horizon(clock.today())),
                start=start,
                end=end,
                county=request.user.has_perm("liaison.view_county_figures"),
            ),
        )

    def ledgers_view(self, request):
        if official_of(request.user) is None and not request.user.is_superuser:
            raise PermissionDenied
        form = LedgerForm(request.GET or None, user=request.user)
        if request.GET.get("kind") and form.is_valid():
            start, end = form.period()
            unit = form.cleaned_data.get("unit")
            if unit is None:
                unit = default_unit(request.user)
            return ledgers.ledger_response(
                Matter.objects.visible_to(request.user),
                form.cleaned_data["kind"],
                start,
                end,
                form.cleaned_data["format"],
                unit=unit,
            )
        return TemplateResponse(
            request,
            "liaison/admin/matter_ledgers.html",
            self._context(request, _("Matters: ledgers"), form=form),
            status=400 if request.GET.get("kind") else 200,
        )


@admin.register(ReplyTemplate)
class ReplyTemplateAdmin(admin.ModelAdmin):
    list_display = ("title", "category")
    list_filter = ("category",)
    search_fields = ("title", "body")


@admin.register(DeadlineRule)
class DeadlineRuleAdmin(admin.ModelAdmin):
    list_display = ("category", "urgency", "workdays")
    list_filter = ("category", "urgency")
