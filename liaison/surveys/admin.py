"""The county office builds campaigns here; findings are unit-owned (scoped with
UnitScopedAdmin so a department sees its own, without the enterprise they came from)."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.admin_base import TransitionLogInline, UnitScopedAdmin
from portal.core.workflow import ActionRefused

from . import services
from .models import Choice, Dimension, Finding, Invitation, Question, Survey, SurveyResponse


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0
    fields = ["order", "kind", "text", "help_text", "required", "scale", "allow_no_dealings", "ask_comment", "units"]
    autocomplete_fields = ["units"]
    show_change_link = True


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_on", "closes_on", "status", "results_published_at", "results_link"]
    search_fields = ["title"]
    autocomplete_fields = ["target_towns"]
    inlines = [QuestionInline]
    actions = ["publish", "publish_results", "send_invitations"]
    readonly_fields = ["results_published_at", "results_published_by"]
    fieldsets = [
        (None, {"fields": ["title", "intro", "opens_on", "closes_on", "previous"]}),
        (
            _("Public results"),
            {
                "fields": ["results_published_at", "results_published_by"],
                "description": _("Use the action “Publish the results” once the campaign has closed."),
            },
        ),
        (
            _("Target enterprises"),
            {
                "fields": ["key_only", "target_towns", "target_industries", "target_scales"],
                "description": _("Leave a filter empty to include every enterprise."),
            },
        ),
    ]

    @admin.display(description=_("status"))
    def status(self, obj):
        return obj.status_label

    @admin.display(description=_("results"))
    def results_link(self, obj):
        copy = format_html(
            '<a href="{}">{}</a>', reverse("surveys:copy", args=[obj.pk]), pgettext_lazy("survey action", "Copy")
        )
        if obj.published_at is None:
            return copy
        links = format_html('<a href="{}">{}</a> · {}', reverse("surveys:results", args=[obj.pk]), _("Results"), copy)
        if obj.is_open:
            links = format_html(
                '{} · <a href="{}">{}</a>',
                links,
                reverse("surveys:letters", args=[obj.pk]),
                _("Print invitation letters"),
            )
        return links

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        if formset.model is Question:
            for question in form.instance.questions.filter(kind=Question.Kind.RATING_GRID):
                services.question_fill_defaults(question=question)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Publish the selected campaigns"), permissions=["change"])
    def publish(self, request, queryset):
        for survey in queryset:
            try:
                services.survey_publish(survey=survey)
            except ActionRefused as exc:
                self.message_user(request, f"{survey}: {exc}", messages.ERROR)

    def has_publish_results_permission(self, request):
        """Publishing results is the county office's decision alone."""
        return request.user.has_perm("surveys.run_campaigns") and self.has_change_permission(request)

    @admin.action(
        description=_("Publish the results of the selected closed campaigns"), permissions=["publish_results"]
    )
    def publish_results(self, request, queryset):
        for survey in queryset:
            try:
                services.survey_results_publish(survey=survey, user=request.user)
            except ActionRefused as exc:
                self.message_user(request, f"{survey}: {exc}", messages.ERROR)
            else:
                self.message_user(request, _("%(survey)s: results published.") % {"survey": survey})

    @admin.action(description=_("E-mail invitations to the target enterprises"), permissions=["change"])
    def send_invitations(self, request, queryset):
        for survey in queryset:
            try:
                sent, missing = services.invitations_send(survey=survey)
            except ActionRefused as exc:
                self.message_user(request, f"{survey}: {exc}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(survey)s: %(sent)d sent, %(missing)d without e-mail.")
                    % {"survey": survey, "sent": sent, "missing": missing},
                )


class DimensionInline(admin.TabularInline):
    model = Dimension
    extra = 0


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "survey", "kind", "order", "required"]
    list_filter = ["kind"]
    list_select_related = ["survey"]
    autocomplete_fields = ["units"]
    inlines = [DimensionInline, ChoiceInline]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.instance.is_grid:
            services.question_fill_defaults(question=form.instance)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["enterprise", "survey", "email", "sent_at", "send_count", "printed_at"]
    list_select_related = ["enterprise", "survey"]
    list_filter = ["survey"]
    readonly_fields = ["survey", "enterprise", "email", "sent_at", "send_count", "printed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    """Who answered and when (county office only: the role groups give no one else access)."""

    list_display = ["enterprise", "survey", "status", "submitted_at", "allow_named_follow_up"]
    list_filter = ["survey", "status"]
    list_select_related = ["enterprise", "survey"]
    search_fields = ["enterprise__name", "enterprise__uscc"]
    readonly_fields = [
        "survey",
        "enterprise",
        "status",
        "submitted_at",
        "respondent_name",
        "answered_by",
        "allow_named_follow_up",
    ]
    inlines = [TransitionLogInline.of(services.RESPONSE_WORKFLOW)]

    def has_add_permission(self, request):
        return False

    def has_module_permission(self, request):
        return request.user.has_perm("surveys.run_campaigns") and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("surveys.run_campaigns") and super().has_view_permission(request, obj)


@admin.register(Finding)
class FindingAdmin(UnitScopedAdmin):
    unit_field = "unit"
    list_display = ["title", "unit", "survey", "sent_at"]
    list_filter = ["survey"]
    list_select_related = ["unit", "survey"]
    search_fields = ["title"]
    autocomplete_fields = ["unit", "response"]  # search boxes, not every unit and every answer

    def autocomplete_choices(self, request, db_field):
        if db_field.name == "response":
            return SurveyResponse.objects.submitted()
        return super().autocomplete_choices(request, db_field)

    def get_fields(self, request, obj=None):
        fields = ["survey", "unit", "title", "description", "sent_at", "send_error"]
        if request.user.has_perm("surveys.run_campaigns"):
            fields.insert(4, "response")  # who raised it: never shown to the department
        return fields

    def get_readonly_fields(self, request, obj=None):
        return (
            ["sent_at", "send_error"]
            if request.user.has_perm("surveys.run_campaigns")
            else self.get_fields(request, obj)
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "response" in form.base_fields:
            form.base_fields["response"].queryset = SurveyResponse.objects.submitted().select_related(
                "enterprise", "survey"
            )
        return form

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not obj.sent_at:
            services.finding_send(finding=obj, user=request.user)
