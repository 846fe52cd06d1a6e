"""The guide in the officials' admin.

Departments edit their own items (UnitScopedAdmin, unit_field "department"). An approved item
of the current edition is read-only: "Propose a change" opens a revision, the department
submits it, the county office approves or returns it. Approval is the only way content
reaches enterprises.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.core import spreadsheets
from portal.core.access import scope_to_own_unit
from portal.core.admin_base import ScopedInlineMixin, TransitionLogInline, UnitScopedAdmin
from portal.core.admin_import import ImportAdminMixin
from portal.core.workflow import ActionRefused

from . import services
from .exports import items_workbook
from .imports import ServiceItemImporter
from .models import (
    REVIEW_INTERVAL_DAYS,
    Faq,
    Fee,
    GuideEdition,
    LeaderDuty,
    LoanProduct,
    Material,
    ServiceItem,
    Step,
    Topic,
)


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = _("review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Not reviewed for 12 months")), ("ok", _("Reviewed within 12 months"))]

    def queryset(self, request, queryset):
        overdue = ServiceItem.objects.review_overdue().values("pk")
        if self.value() == "overdue":
            return queryset.filter(pk__in=overdue)
        if self.value() == "ok":
            return queryset.exclude(pk__in=overdue)
        return queryset


class RevisionFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("items", _("Items")), ("revisions", _("Pending revisions"))]

    def queryset(self, request, queryset):
        if self.value() == "items":
            return queryset.filter(revision_of__isnull=True)
        if self.value() == "revisions":
            return queryset.filter(revision_of__isnull=False)
        return queryset


class ParentLockedInlineMixin(ScopedInlineMixin):
    """Children of a locked or submitted item cannot be changed (edit the revision instead)."""

    extra = 0

    def _parent_editable(self, request, obj):
        return obj is None or ServiceItemAdmin.item_editable(request, obj)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and self._parent_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_editable(request, obj)


class MaterialInline(ParentLockedInlineMixin, admin.TabularInline):
    model = Material
    fields = ["sort_order", "name", "form", "copies", "notes", "blank_form", "sample"]


class StepInline(ParentLockedInlineMixin, admin.TabularInline):
    model = Step
    fields = ["number", "name", "description"]


class FeeInline(ParentLockedInlineMixin, admin.TabularInline):
    model = Fee
    fields = ["sort_order", "name", "standard", "basis"]


class FaqInline(ParentLockedInlineMixin, admin.StackedInline):
    model = Faq
    fields = ["sort_order", "question", "answer"]


class ServiceItemForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("topics"), choices=Topic.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ServiceItem
        fields = [
            "edition",
            "department",
            "name",
            "code",
            "item_type",
            "topics",
            "summary",
            "legal_basis",
            "conditions",
            "legal_time_limit",
            "promised_time_limit",
            "is_free",
            "place",
            "hours",
            "phone",
            "online_url",
            "sort_order",
            "last_reviewed",
        ]

    def clean(self):
        data = super().clean()
        try:
            services.validate_time_limits(data.get("legal_time_limit"), data.get("promised_time_limit"))
        except forms.ValidationError as exc:
            self.add_error(None, exc) if not hasattr(exc, "error_dict") else [
                self.add_error(f, e) for f, e in exc.error_dict.items()
            ]
        return data


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("Why it is returned"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


@admin.register(ServiceItem)
class ServiceItemAdmin(ImportAdminMixin, UnitScopedAdmin):
    unit_field = "department"
    importer_class = ServiceItemImporter
    form = ServiceItemForm
    change_form_template = "admin/guide/serviceitem/change_form.html"
    inlines = [MaterialInline, StepInline, FeeInline, FaqInline, TransitionLogInline.of(services.ITEM_WORKFLOW)]
    list_display = ["name", "department", "edition", "status_badge", "waiting", "last_reviewed", "review_flag"]
    list_filter = ["edition", "status", ReviewOverdueFilter, RevisionFilter, "item_type"]
    search_fields = ["name", "code"]
    list_select_related = ["department", "edition", "revision_of"]
    readonly_fields = ["status", "revision_of", "review_note", "submitted_at", "approved_at"]
    actions = ["submit_selected", "approve_selected", "mark_reviewed_selected", "export_xlsx"]
    list_per_page = 50

    @admin.display(description=_("Waiting for"), ordering="submitted_at")
    def waiting(self, obj):
        """等待时长: how long a submitted item has waited for the county office's decision."""
        if obj.status != ServiceItem.Status.SUBMITTED or obj.submitted_at is None:
            return "—"
        return timesince(obj.submitted_at)

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "edition",
                    "department",
                    "status",
                    "revision_of",
                    "review_note",
                    "name",
                    "code",
                    "item_type",
                    "topics",
                    "summary",
                ]
            },
        ),
        (_("Conditions and basis"), {"fields": ["legal_basis", "conditions"]}),
        (_("Time limits and fees (working days)"), {"fields": ["legal_time_limit", "promised_time_limit", "is_free"]}),
        (_("Where and when"), {"fields": ["place", "hours", "phone", "online_url"]}),
        (_("Review"), {"fields": ["sort_order", "last_reviewed", "submitted_at", "approved_at"]}),
    ]

    # --- rules -------------------------------------------------------------------------

    @staticmethod
    def item_editable(request, obj):
        """Drafts by their department or the county office; submissions by the county office;
        approved items of the current edition and archived editions by nobody."""
        if obj.edition.status == GuideEdition.Status.ARCHIVED or obj.is_locked:
            return False
        if obj.status == ServiceItem.Status.SUBMITTED:
            return request.user.has_perm("guide.approve_serviceitem", obj)
        return services.can_edit_item(request.user, obj)

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.item_editable(request, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if obj is None or not allowed:
            return allowed
        if obj.is_locked:
            return request.user.has_perm("guide.approve_serviceitem", obj)
        return obj.edition.status != GuideEdition.Status.ARCHIVED

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if "edition" in form.base_fields:
            form.base_fields["edition"].queryset = GuideEdition.objects.exclude(status=GuideEdition.Status.ARCHIVED)
            default = GuideEdition.objects.in_preparation().first() or GuideEdition.objects.current().first()
            form.base_fields["edition"].initial = default
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["edition", "department"]
        return fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.status = ServiceItem.Status.DRAFT
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if obj.status == ServiceItem.Status.DRAFT and obj.edition.is_current:
            self.message_user(
                request,
                _(
                    "Saved as a draft. Enterprises see the change only after you submit it "
                    "and the county office approves it."
                ),
                messages.INFO,
            )
        return super().response_change(request, obj)

    def delete_model(self, request, obj):
        services.item_delete(item=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            if self.has_delete_permission(request, obj):
                services.item_delete(item=obj, user=request.user)

    # --- list --------------------------------------------------------------------------

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, obj):
        label = obj.get_status_display()
        if obj.is_revision:
            return _("Revision: %(status)s") % {"status": label}
        return label

    @admin.display(description=_("review due"), boolean=True)
    def review_flag(self, obj):
        return not obj.review_overdue

    # --- workflow views ----------------------------------------------------------------

    def get_urls(self):
        opts = self.model._meta
        name = f"{opts.app_label}_{opts.model_name}"
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/revise/", wrap(self.revise_view), name=f"{name}_revise"),
            path("<int:pk>/submit/", wrap(self.submit_view), name=f"{name}_submit"),
            path("<int:pk>/approve/", wrap(self.approve_view), name=f"{name}_approve"),
            path("<int:pk>/return/", wrap(self.return_view), name=f"{name}_return"),
            path("<int:pk>/reviewed/", wrap(self.reviewed_view), name=f"{name}_reviewed"),
            path("export/", wrap(self.export_view), name=f"{name}_export"),
        ] + super().get_urls()

    def _get(self, request, pk):
        return get_object_or_404(self.get_queryset(request).select_related("edition", "department"), pk=pk)

    def _change_url(self, obj):
        return reverse("admin:guide_serviceitem_change", args=[obj.pk])

    def _run(self, request, action, success):
        try:
            result = action()
        except (ActionRefused, PermissionDenied) as exc:
            self.message_user(request, str(exc) or _("You may not do this."), messages.ERROR)
            return None
        self.message_user(request, success, messages.SUCCESS)
        return result

    def revise_view(self, request, pk):
        item = self._get(request, pk)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(item))
        revision = self._run(
            request,
            lambda: services.item_start_revision(item=item, user=request.user),
            _("A revision was opened. Edit it, then submit it for approval."),
        )
        return HttpResponseRedirect(self._change_url(revision or item))

    def submit_view(self, request, pk):
        item = self._get(request, pk)
        if request.method == "POST":
            self._run(
                request,
                lambda: services.item_submit(item=item, user=request.user),
                _("Submitted to the county office for approval."),
            )
        return HttpResponseRedirect(self._change_url(item))

    def approve_view(self, request, pk):
        item = self._get(request, pk)
        if request.method != "POST":
            return HttpResponseRedirect(self._change_url(item))
        target = self._run(
            request,
            lambda: services.item_approve(item=item, user=request.user),
            _("Approved and published; the downloads are rebuilt."),
        )
        return HttpResponseRedirect(self._change_url(target or item))

    def return_view(self, request, pk):
        item = self._get(request, pk)
        if not request.user.has_perm("guide.approve_serviceitem", item):
            raise PermissionDenied
        form = ReturnForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if (
                self._run(
                    request,
                    lambda: services.item_return(item=item, user=request.user, note=form.cleaned_data["note"]),
                    _("Returned to the department."),
                )
                is not None
            ):
                return HttpResponseRedirect(self._change_url(item))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": item,
            "form": form,
            "title": _("Return “%(name)s” to the department") % {"name": item.name},
        }
        return TemplateResponse(
            request, "admin/guide/serviceitem/return.html", context, status=400 if request.method == "POST" else 200
        )

    def reviewed_view(self, request, pk):
        item = self._get(request, pk)
        if request.method == "POST":
            self._run(
                request,
                lambda: services.item_mark_reviewed(item=item, user=request.user),
                _("Marked as reviewed today."),
            )
        return HttpResponseRedirect(self._change_url(item))

    def export_view(self, request):
        return self._xlsx_response(self.get_queryset(request).filter(revision_of__isnull=True))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        if object_id:
            obj = self.get_queryset(request).select_related("edition").filter(pk=object_id).first()
            if obj is not None:
                office = request.user.has_perm("guide.approve_serviceitem", obj)
                editor = services.can_edit_item(request.user, obj)
                revision = ServiceItem.objects.filter(revision_of=obj).first() if not obj.is_revision else None
                extra_context.update(
                    guide_item=obj,
                    guide_revision=revision,
                    can_revise=obj.is_locked and editor,
                    can_submit=obj.status == ServiceItem.Status.DRAFT
                    and editor
                    and obj.edition.status == GuideEdition.Status.CURRENT,
                    can_decide=obj.status == ServiceItem.Status.SUBMITTED and office,
                    can_mark_reviewed=obj.is_locked and editor,
                )
                if obj.is_revision:
                    extra_context.update(
                        changes=services.revision_changes(obj), changes_title=_("Changes against the published version")
                    )
        return super().changeform_view(request, object_id, form_url, extra_context)

    # --- actions -----------------------------------------------------------------------

    @admin.action(description=_("Submit selected drafts for approval"))
    def submit_selected(self, request, queryset):
        done = 0
        for item in queryset.filter(status=ServiceItem.Status.DRAFT).select_related("edition"):
            try:
                services.item_submit(item=item, user=request.user)
                done += 1
            except (ActionRefused, PermissionDenied):
                pass
        self.message_user(request, _("%(n)d items submitted.") % {"n": done})

    @admin.action(description=_("Approve selected submissions (county office)"))
    def approve_selected(self, request, queryset):
        if not request.user.has_perm("guide.approve_serviceitem"):
            self.message_user(request, _("Only the county office may do this."), messages.ERROR)
            return
        done = 0
        for item in queryset.filter(status=ServiceItem.Status.SUBMITTED):
            services.item_approve(item=item, user=request.user)
            done += 1
        self.message_user(request, _("%(n)d items approved.") % {"n": done})

    @admin.action(description=_("Mark selected items as reviewed today"))
    def mark_reviewed_selected(self, request, queryset):
        done = 0
        for item in queryset.filter(revision_of__isnull=True).select_related("edition"):
            try:
                services.item_mark_reviewed(item=item, user=request.user)
                done += 1
            except PermissionDenied:
                pass
        self.message_user(request, _("%(n)d items marked as reviewed.") % {"n": done})

    @admin.action(description=_("Export selected items to XLSX"))
    def export_xlsx(self, request, queryset):
        return self._xlsx_response(queryset.filter(revision_of__isnull=True))

    def _xlsx_response(self, queryset):
        stamp = timezone.localdate().isoformat()
        return spreadsheets.bytes_response(items_workbook(queryset), f"service-items-{stamp}.xlsx")

    def get_importer(self, request):
        return ServiceItemImporter(user=request.user)


@admin.register(GuideEdition)
class GuideEditionAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "status", "published_at", "files_built_at"]
    readonly_fields = ["status", "based_on", "published_at", "files_built_at", "created_at"]
    fields = ["title", "slug", "foreword", "compiled_by"] + readonly_fields
    change_form_template = "admin/guide/guideedition/change_form.html"
    inlines = [TransitionLogInline.of(services.EDITION_WORKFLOW)]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj) and request.user.has_perm("guide.manage_guideedition")
        return allowed and (obj is None or obj.status != GuideEdition.Status.ARCHIVED)

    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.has_perm("guide.manage_guideedition")

    def has_delete_permission(self, request, obj=None):
        return (
            super().has_delete_permission(request, obj)
            and request.user.has_perm("guide.manage_guideedition")
            and (obj is None or obj.status == GuideEdition.Status.DRAFT)
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:pk>/prepare-next/", wrap(self.prepare_view), name="guide_guideedition_prepare"),
            path("<int:pk>/publish/", wrap(self.publish_view), name="guide_guideedition_publish"),
            path("<int:pk>/rebuild/", wrap(self.rebuild_view), name="guide_guideedition_rebuild"),
        ] + super().get_urls()

    @method_decorator(require_POST)
    def prepare_view(self, request, pk):
        source = get_object_or_404(GuideEdition, pk=pk)
        year = timezone.localdate().year + 1
        title = request.POST.get("title") or f"{year}年版"
        slug = request.POST.get("slug") or str(year)
        try:
            edition = services.edition_prepare(source=source, title=title, slug=slug, user=request.user)
        except (ActionRefused, PermissionDenied, forms.ValidationError) as exc:
            self.message_user(request, "；".join(getattr(exc, "messages", [str(exc)])), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:guide_guideedition_change", args=[source.pk]))
        self.message_user(
            request,
            _("Edition prepared as a copy; the current edition stays public until you publish this one."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:guide_guideedition_change", args=[edition.pk]))

    @method_decorator(require_POST)
    def publish_view(self, request, pk):
        edition = get_object_or_404(GuideEdition, pk=pk)
        try:
            services.edition_publish(edition=edition, user=request.user)
        except (ActionRefused, PermissionDenied) as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, _("Edition published."), messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:guide_guideedition_change", args=[edition.pk]))

    @method_decorator(require_POST)
    def rebuild_view(self, request, pk):
        edition = get_object_or_404(GuideEdition, pk=pk)
        if not request.user.has_perm("guide.manage_guideedition"):
            raise PermissionDenied
        from .downloads import edition_build_files

        edition_build_files(edition=edition)
        self.message_user(
            request,
            _("The downloads are being rebuilt in the background; the current files are served until then."),
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:guide_guideedition_change", args=[edition.pk]))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = extra_context or {}
        extra_context["is_county_office"] = request.user.has_perm("guide.manage_guideedition")
        year = timezone.localdate().year + 1
        extra_context["next_title"], extra_context["next_slug"] = f"{year}年版", str(year)
        return super().changeform_view(request, object_id, form_url, extra_context)


class DirectoryReindexMixin:
    """Leaders' duties and loan products are in the site search: refresh it after each change."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        services.directory_reindex_later()

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        services.directory_reindex_later()

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        services.directory_reindex_later()


@admin.register(LeaderDuty)
class LeaderDutyAdmin(DirectoryReindexMixin, UnitScopedAdmin):
    """Towns keep their own leaders' duties; the county office keeps the county leaders'."""

    unit_field = "unit"
    list_display = ["name", "post", "unit", "level", "edition", "office_phone"]
    list_filter = ["edition", "level"]
    search_fields = ["name", "post", "duties"]
    list_select_related = ["unit", "edition"]

    def scope_queryset(self, request, queryset):
        return queryset  # the division of labour is public; editing stays scoped

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.edition.status != GuideEdition.Status.ARCHIVED)


@admin.register(LoanProduct)
class LoanProductAdmin(DirectoryReindexMixin, admin.ModelAdmin):
    list_display = ["name", "institution", "edition", "amount", "contact_phone"]
    list_filter = ["edition", "institution"]
    search_fields = ["name", "institution__name"]
    list_select_related = ["institution", "edition"]


def dashboard_links(request):
    """Links for the admin index: the approval queue and the items due for review."""
    user = request.user
    if not user.has_perm("guide.view_serviceitem"):
        return []
    base = reverse("admin:guide_serviceitem_changelist")
    overdue = ServiceItem.objects.review_overdue()
    pending = ServiceItem.objects.pending_approval()
    overdue = scope_to_own_unit(overdue, user, "department")
    pending = scope_to_own_unit(pending, user, "department")
    return [
        (
            _("Service guide: items waiting for approval"),
            f"{base}?status__exact=submitted",
            _("%(n)d submissions (new items and revisions).") % {"n": pending.count()},
        ),
        (
            _("Service guide: items not reviewed for 12 months"),
            f"{base}?review=overdue",
            _("%(n)d items are due for review (every %(days)d days).")
            % {"n": overdue.count(), "days": REVIEW_INTERVAL_DAYS},
        ),
    ]
