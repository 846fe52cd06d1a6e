"""Background jobs in the workspace (county office only): what the queue holds, what failed
for good, and a button that runs a failed job again (portal.core.queue.job_retry)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from portal.core.admin_base import CountyOfficeReadOnlyAdmin
from portal.core.queue import job_retry
from portal.core.queue_models import BackgroundJob

TASK_LABELS = {
    "portal.core.tasks.deliver_email": _("E-mail"),
    "portal.core.tasks.deliver_text": _("Text message"),
    "guide.tasks.build_guide_files": _("Guide PDF/Word files"),
    "policies.tasks.reindex_policy": _("Search index: a policy"),
    "guide.tasks.reindex_item": _("Search index: a guide item"),
    "guide.tasks.unindex_item": _("Search index: a guide item"),
    "guide.tasks.reindex_edition": _("Search index: a guide edition"),
    "guide.tasks.reindex_directory": _("Search index: leaders, loans and contacts"),
    "portal.core.tasks.rebuild_search_index": _("Search index: full rebuild"),
}
STATUS_LABELS = {"READY": _("Waiting"), "RUNNING": _("Running"), "SUCCESSFUL": _("Done"), "FAILED": _("Failed")}


class JobStatusFilter(admin.SimpleListFilter):
    title = _("status")
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return list(STATUS_LABELS.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


@admin.register(BackgroundJob)
class BackgroundJobAdmin(CountyOfficeReadOnlyAdmin):
    read_permission = "portal.run_background_jobs"
    list_display = ("job", "recipient", "state", "attempt", "enqueued_at", "finished_at", "error", "retry_button")
    list_filter = (JobStatusFilter,)
    ordering = ("-enqueued_at",)
    list_per_page = 50
    actions = ["retry_selected"]
    fields = (
        "job",
        "recipient",
        "state",
        "attempt",
        "enqueued_at",
        "started_at",
        "finished_at",
        "run_after",
        "error",
        "traceback",
    )
    readonly_fields = fields

    def get_actions(self, request):
        # Actions normally need the change permission; the county office may retry.
        may_run = request.user.has_perm("portal.run_background_jobs")
        actions = super().get_actions(request) if may_run else {}
        if may_run:
            actions["retry_selected"] = (
                BackgroundJobAdmin.retry_selected,
                "retry_selected",
                BackgroundJobAdmin.retry_selected.short_description,
            )
        return actions

    def get_urls(self):
        return [
            path(
                "<uuid:object_id>/retry/",
                self.admin_site.admin_view(require_POST(self.retry_view)),
                name="portal_backgroundjob_retry",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("job"))
    def job(self, obj):
        return TASK_LABELS.get(obj.task_path, obj.task_path.rsplit(".", 1)[-1])

    @admin.display(description=_("recipient"))
    def recipient(self, obj):
        args = obj.args_kwargs.get("args") or []
        if obj.task_path == "portal.core.tasks.deliver_email" and args:
            return "、".join(args[0].get("to", []))
        if obj.task_path == "portal.core.tasks.deliver_text" and args:
            return args[0]
        return "—"

    @admin.display(description=_("status"), ordering="status")
    def state(self, obj):
        return STATUS_LABELS.get(obj.status, obj.status)

    @admin.display(description=_("attempt"))
    def attempt(self, obj):
        return obj.args_kwargs.get("kwargs", {}).get("attempt", 1)

    @admin.display(description=_("error"))
    def error(self, obj):
        return obj.exception_class_path.rsplit(".", 1)[-1] if obj.exception_class_path else ""

    @admin.display(description=_("run after"))
    def run_after(self, obj):
        return obj.run_after if obj.run_after.year < 9999 else "—"

    @admin.display(description=_("traceback"))
    def traceback(self, obj):
        return format_html("<pre>{}</pre>", obj.traceback) if obj.traceback else "—"

    @admin.display(description=_("again"))
    def retry_button(self, obj):
        if obj.status != "FAILED":
            return ""
        # A button of the changelist's own form (it carries the CSRF token) posting elsewhere.
        url = reverse("admin:portal_backgroundjob_retry", args=[obj.pk])
        return format_html(
            '<button type="submit" class="button" formaction="{}" formnovalidate>{}</button>', url, _("Retry")
        )

    def retry_view(self, request, object_id):
        if not request.user.has_perm("portal.run_background_jobs"):
            raise PermissionDenied
        job = get_object_or_404(BackgroundJob, pk=object_id)
        if job_retry(job=job) is None:
            messages.warning(request, _("Only a failed job can be run again."))
        else:
            messages.success(request, _("The job has been queued again."))
        return redirect("admin:portal_backgroundjob_changelist")

    @admin.action(description=_("Run the selected failed jobs again"))
    def retry_selected(self, request, queryset):
        if not request.user.has_perm("portal.run_background_jobs"):
            raise PermissionDenied
        count = sum(1 for job in queryset.filter(status="FAILED") if job_retry(job=job) is not None)
        messages.success(request, _("%(count)d failed jobs queued again.") % {"count": count})
