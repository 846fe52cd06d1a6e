"""An "Import" button on a changelist: upload CSV/XLSX, dry run first, read the report."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from portal.core.import_files import XLSX, report_xlsx, template_xlsx
from portal.core.importing import format_report


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"), help_text=_("UTF-8 CSV or XLSX; the first row holds the column headers.")
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check the file without saving anything"), required=False, initial=True
    )

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if uploaded.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 20 MB."))
        if not uploaded.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Only .csv and .xlsx files can be imported."))
        return uploaded


class ImportAdminMixin:
    importer_class = None
    change_list_template = "admin/portal/change_list_with_import.html"

    def get_urls(self):
        opts = self.model._meta
        prefix = f"{opts.app_label}_{opts.model_name}_import"
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name=prefix),
            path(
                "import/template.xlsx", self.admin_site.admin_view(self.import_template_view), name=f"{prefix}_template"
            ),
            path("import/report.xlsx", self.admin_site.admin_view(self.import_report_view), name=f"{prefix}_report"),
        ] + super().get_urls()

    def get_importer(self, request):
        # The importer asks the rules row by row with the importing user's rights.
        return self.importer_class(user=request.user)

    def import_extra(self, request, importer, result):
        """(text, url) links an importer adds under its report, e.g. sheets to print."""
        return []

    def _report_session_key(self):
        return f"import_report:{self.model._meta.label_lower}"

    def import_template_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        response = HttpResponse(template_xlsx(self.importer_class), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{self.model._meta.model_name}-template.xlsx"'
        return response

    def import_report_view(self, request):
        """The last report this user got on this page, as XLSX (kept in their session)."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        kept = request.session.get(self._report_session_key())
        if not kept:
            raise Http404(_("There is no import report yet; run an import first."))
        response = HttpResponse(report_xlsx(kept["lines"], kept["errors"]), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{self.model._meta.model_name}-import-report.xlsx"'
        return response

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        result, extra = None, []
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            uploaded = form.cleaned_data["file"]
            importer = self.get_importer(request)
            result = importer.run(uploaded, dry_run=form.cleaned_data["dry_run"], filename=uploaded.name)
            level = messages.SUCCESS if result.ok else messages.WARNING
            self.message_user(request, format_report(result)[-1], level)
            request.session[self._report_session_key()] = {
                "lines": format_report(result),
                "errors": [[n, str(m)] for n, m in result.errors[:5000]],
            }
            extra = self.import_extra(request, importer, result)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import %(name)s") % {"name": self.model._meta.verbose_name_plural},
            "form": form,
            "result": result,
            "report": format_report(result) if result else [],
            "extra": extra,
            "headers_required": self.importer_class.required_headers,
            "headers_optional": self.importer_class.optional_headers,
        }
        return TemplateResponse(
            request,
            "admin/portal/import.html",
            context,
            status=400 if request.method == "POST" and not form.is_valid() else 200,
        )
