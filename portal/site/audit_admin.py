"""The audit log in the officials' workspace: read-only, for the county office, with CSV and
XLSX downloads of the selected (or all filtered) entries through the base spreadsheet writer."""

from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.core import spreadsheets
from portal.core.admin_base import CountyOfficeReadOnlyAdmin
from portal.models import AuditEntry

EXPORT_HEADER = [
    _("time"),
    _("kind"),
    _("action"),
    _("by (user name)"),
    _("concerning"),
    _("detail"),
    _("address"),
    _("page"),
]


def export_rows(queryset):
    for entry in queryset.order_by("at", "id").iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.at),
            entry.get_kind_display(),
            entry.get_action_display(),
            entry.actor_name,
            entry.subject,
            entry.detail,
            entry.address or "",
            entry.path,
        ]


@admin.register(AuditEntry)
class AuditEntryAdmin(CountyOfficeReadOnlyAdmin):
    read_permission = "portal.read_audit_log"
    list_display = ["at", "kind", "action", "actor_name", "subject", "address"]
    list_filter = ["kind", "action", "at"]
    date_hierarchy = "at"
    search_fields = ["actor_name", "subject", "action", "address", "path"]
    list_per_page = 100
    show_full_result_count = False
    actions = ["export_xlsx", "export_csv"]

    # Only the county office reads the log (CountyOfficeReadOnlyAdmin); the clean-up command
    # removes entries past the retention period.

    def _filename(self):
        return f"{_('audit log')}-{timezone.localdate():%Y%m%d}"

    @admin.action(description=_("Download the selected entries as XLSX"))
    def export_xlsx(self, request, queryset):
        return spreadsheets.xlsx_response(
            self._filename(),
            spreadsheets.Sheet(
                title=str(_("audit log")),
                header=[str(h) for h in EXPORT_HEADER],
                rows=export_rows(queryset),
                widths=[20, 14, 24, 16, 30, 40, 16, 40],
            ),
        )

    @admin.action(description=_("Download the selected entries as CSV"))
    def export_csv(self, request, queryset):
        return spreadsheets.csv_response(self._filename(), [str(h) for h in EXPORT_HEADER], export_rows(queryset))
