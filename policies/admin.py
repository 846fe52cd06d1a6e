"""Officials' admin for policies: unit staff draft, the unit head or county office publishes.
Publication, withdrawal and return-to-draft are buttons on the change page that call the
services; the status fields are never editable directly."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _, gettext_lazy

from portal.core.access import default_unit
from portal.core.admin_base import TransitionLogInline, UnitScopedAdmin
from portal.core.admin_import import ImportAdminMixin
from portal.core.uploads import check_upload

from . import selectors, services
from .forms import PublishForm, WithdrawForm
from .imports import PolicyImporter
from .models import Attachment, Interpretation, Policy, PolicyChange, Subscription, Theme


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["title", "file", "sort_order"]

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and hasattr(uploaded, "content_type"):
            self.instance.content_type, self.instance.size = check_upload(uploaded), uploaded.size
        return uploaded


class AttachmentInline(admin.TabularInline):
    model = Attachment
    form = AttachmentForm
    extra = 0
    readonly_fields = ["content_type", "size"]


class InterpretationInline(admin.StackedInline):
    model = Interpretation
    extra = 0
    fields = ["title", "form", "author", "published_on", "body"]


class PolicyChangeInline(admin.TabularInline):
    model = PolicyChange
    extra = 0
    fields = ["changed_at", "note", "changed_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class PolicyAdminForm(forms.ModelForm):
    change_note = forms.CharField(
        label=gettext_lazy("Change note (更新说明)"),
        max_length=300,
        required=False,
        help_text=gettext_lazy("Required when a published policy is changed; shown on the public page."),
    )

    class Meta:
        model = Policy
        fields = "__all__"
        widgets = {"themes": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        if instance.pk and instance.status != Policy.Status.DRAFT:
            changed = [f for f in self.changed_data if f != "change_note"]
            if changed and not (cleaned.get("change_note") or "").strip():
                self.add_error("change_note", _("Describe the change in a short note for the public page."))
        return cleaned


class InterpretationOverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("interpretation")
    parameter_name = "interpretation"

    def lookups(self, request, model_admin):
        return [("overdue", _("Overdue (over 3 working days)")), ("missing", _("None yet"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(pk__in=[p.pk for p in selectors.interpretation_overdue()])
        if self.value() == "missing":
            return queryset.filter(interpretations__isnull=True)
        return queryset


@admin.register(Policy)
class PolicyAdmin(ImportAdminMixin, UnitScopedAdmin):
    unit_field = "unit"
    importer_class = PolicyImporter
    form = PolicyAdminForm
    change_form_template = "admin/policies/policy/change_form.html"
    list_display = [
        "title",
        "doc_number",
        "unit",
        "level",
        "status_badge",
        "validity",
        "published_on",
        "interpretation_flag",
    ]
    list_filter = ["status", "level", "validity", "themes", InterpretationOverdueFilter]
    search_fields = ["title", "doc_number", "index_number"]
    list_select_related = ["unit"]
    list_per_page = 50
    date_hierarchy = "published_on"
    # Plain inputs, not autocomplete/filter widgets: they work without JavaScript and carry
    # their labels (a policy is picked by its id; the lookup link lists and searches them;
    # the themes are checkboxes, see PolicyAdminForm).
    raw_id_fields = ["replaced_by", "related"]
    inlines = [InterpretationInline, AttachmentInline, PolicyChangeInline, TransitionLogInline.of(services.WORKFLOW)]
    readonly_fields = ["status", "published_at", "published_by", "withdrawn_at", "withdrawal_reason", "created_by"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "doc_number",
                    "index_number",
                    "unit",
                    "issuer_name",
                    "level",
                    "themes",
                    "keywords",
                    "summary",
                    "body",
                ]
            },
        ),
        (
            gettext_lazy("Dates and validity"),
            {
                "fields": [
                    "written_on",
                    "published_on",
                    "effective_on",
                    "expires_on",
                    "validity",
                    "validity_changed_on",
                    "replaced_by",
                    "related",
                ]
            },
        ),
        (gettext_lazy("Who it applies to"), {"fields": ["industries", "scales"]}),
        (
            gettext_lazy("Application window"),
            {"fields": ["application_opens", "application_closes", "application_url", "application_contact"]},
        ),
        (
            gettext_lazy("Publication"),
            {
                "fields": [
                    "status",
                    "published_at",
                    "published_by",
                    "withdrawn_at",
                    "withdrawal_reason",
                    "created_by",
                    "change_note",
                ]
            },
        ),
    ]

    def get_importer(self, request):
        return PolicyImporter(owner_unit=default_unit(request.user), user=request.user)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.index_number:
            fields.append("index_number")  # 索引号 never changes once assigned
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        # industries/scales as checkboxes instead of a comma-separated text box.
        from portal.models import Industry, Scale

        for name, choices in (("industries", Industry.choices), ("scales", Scale.choices)):
            if name in form.base_fields:
                field = form.base_fields[name]
                form.base_fields[name] = forms.TypedMultipleChoiceField(
                    label=field.label,
                    choices=choices,
                    required=False,
                    widget=forms.CheckboxSelectMultiple,
                    help_text=field.help_text,
                )
        return form

    @admin.display(description=gettext_lazy("status"), ordering="status")
    def status_badge(self, obj):
        if obj.is_scheduled:
            return _("Scheduled for %(when)s") % {
                "when": timezone.localtime(obj.published_at).strftime("%Y-%m-%d %H:%M")
            }
        return obj.get_status_display()

    @admin.display(description=gettext_lazy("interpretation"))
    def interpretation_flag(self, obj):
        due = obj.interpretation_due_on
        if obj.status != Policy.Status.PUBLISHED or due is None:
            return "—"
        if obj.interpretations.exists():
            return _("Yes")
        if due < timezone.localdate():
            return format_html('<strong class="errornote">{}</strong>', _("Overdue since %(date)s") % {"date": due})
        return _("Due by %(date)s") % {"date": due}

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or services.can_edit(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        # Published records are withdrawn, never deleted; drafts may be deleted by their unit.
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.status == Policy.Status.DRAFT)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if not change and default_unit(request.user) is not None:
            obj.unit = default_unit(request.user)
        note = form.cleaned_data.get("change_note")
        if change and obj.status != Policy.Status.DRAFT and note:
            obj._change_reason = note
        super().save_model(request, obj, form, change)
        self._change_note = note if change and obj.status != Policy.Status.DRAFT else ""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        policy = form.instance
        if getattr(self, "_change_note", ""):
            services.policy_record_change(policy=policy, user=request.user, note=self._change_note)
        else:
            services.policy_reindex(policy=policy)

    # ---- workflow buttons -------------------------------------------------------------------

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/publish/", wrap(self.publish_view), name="policies_policy_publish"),
            path("<int:pk>/withdraw/", wrap(self.withdraw_view), name="policies_policy_withdraw"),
            path("<int:pk>/to-draft/", wrap(self.to_draft_view), name="policies_policy_to_draft"),
            path("reports/disclosure/", wrap(self.report_view), name="policies_policy_report"),
        ] + super().get_urls()

    def _policy(self, request, pk):
        policy = get_object_or_404(self.get_queryset(request), pk=pk)
        if not services.can_publish(request.user, policy):
            raise PermissionDenied
        return policy

    def _action_page(self, request, policy, form, title, action):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": policy,
            "title": title,
            "form": form,
            "action": action,
        }
        return TemplateResponse(
            request, "admin/policies/policy/action.html", context, status=400 if request.method == "POST" else 200
        )

    def publish_view(self, request, pk):
        policy = self._policy(request, pk)
        form = PublishForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.policy_publish(policy=policy, user=request.user, publish_at=form.cleaned_data["publish_at"])
            except ValidationError as exc:
                form.add_error(
                    None,
                    exc.messages
                    if not hasattr(exc, "message_dict")
                    else [m for ms in exc.message_dict.values() for m in ms],
                )
            else:
                messages.success(request, _("The policy is published."))
                return redirect("admin:policies_policy_change", policy.pk)
        return self._action_page(
            request, policy, form, _("Publish “%(title)s”") % {"title": policy.title}, _("Publish")
        )

    def withdraw_view(self, request, pk):
        policy = self._policy(request, pk)
        form = WithdrawForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                services.policy_withdraw(policy=policy, user=request.user, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(request, _("The policy is withdrawn; it no longer appears on the site."))
                return redirect("admin:policies_policy_change", policy.pk)
        return self._action_page(
            request, policy, form, _("Withdraw “%(title)s”") % {"title": policy.title}, _("Withdraw")
        )

    def to_draft_view(self, request, pk):
        policy = self._policy(request, pk)
        if request.method == "POST":
            try:
                services.policy_return_to_draft(policy=policy, user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            return redirect("admin:policies_policy_change", policy.pk)
        return self._action_page(
            request,
            policy,
            forms.Form(),
            _("Return “%(title)s” to draft") % {"title": policy.title},
            _("Return to draft"),
        )

    def report_view(self, request):
        """Disclosure report: interpretations overdue, and documents published more than 20
        working days after being written."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        unit = default_unit(request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Policy disclosure report"),
            "overdue": selectors.interpretation_overdue(unit=unit),
            "late": selectors.late_disclosures(unit=unit),
        }
        return TemplateResponse(request, "admin/policies/policy/report.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = extra_context or {}
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context["can_publish"] = services.can_publish(request.user, obj)
            urls = {"publish": "publish", "withdraw": "withdraw", "return_to_draft": "to_draft"}
            steps = services.policy_steps(request.user, obj)
            extra_context["steps_now"] = [
                {"label": a.label, "url": reverse(f"admin:policies_policy_{urls[a.name]}", args=[obj.pk])}
                for a, reason in steps
                if not reason
            ]
            extra_context["steps_later"] = [{"label": a.label, "reason": reason} for a, reason in steps if reason]
            extra_context["public_url"] = obj.get_absolute_url()
            extra_context["changes"] = selectors.changes_since_published(obj)
            extra_context["changes_title"] = _("Changes against the published version")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "sort_order"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "confirmed_at", "unsubscribed_at", "last_sent_at"]
    list_filter = ["confirmed_at", "unsubscribed_at"]
    search_fields = ["email"]
    readonly_fields = ["email", "confirmed_at", "unsubscribed_at", "last_sent_at", "created_at"]

    def has_add_permission(self, request):
        return False
