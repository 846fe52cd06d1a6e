from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _, ngettext

from portal.core.access import official_of
from portal.site import admin_jobs  # noqa: F401  (registers the background jobs page)
from portal.core.admin_base import TransitionLogInline, UnitScopedAdmin
from portal.core.admin_import import ImportAdminMixin
from portal.core.imports import EnterpriseImporter, OfficialImporter, UnitImporter
from portal.core.onboarding import awaiting_first_login, welcome_mail_send
from simple_history.admin import SimpleHistoryAdmin

from portal.models import (
    CalendarAdjustment,
    CalendarYear,
    FinancialInstitution,
    Enterprise,
    EnterpriseAccount,
    LeadingGroupMember,
    Official,
    Unit,
)
from portal.rules import UNIT_HEAD_EDITABLE_FIELDS
from portal.core.second_factor import can_reset_second_factor, second_factor_reset
from portal.services import ACCOUNT_WORKFLOW, can_decide_account, enterprise_account_confirm, enterprise_account_reject
from portal.core.workflow import ActionRefused


class LeadingGroupMemberInline(admin.TabularInline):
    model = LeadingGroupMember
    extra = 0


@admin.register(Unit)
class UnitAdmin(ImportAdminMixin, UnitScopedAdmin):
    unit_field = "pk"
    importer_class = UnitImporter
    list_display = ["name", "kind", "principal_name", "service_phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name"]
    inlines = [LeadingGroupMemberInline]

    def scope_queryset(self, request, queryset):
        # Every official may look up any unit (to refer matters, find phones).
        return queryset if official_of(request.user) or request.user.is_superuser else queryset.none()

    def get_readonly_fields(self, request, obj=None):
        # A unit head keeps their own unit's contact details current; what decides scope (kind,
        # name, active) stays with the county office (portal/rules.py).
        if obj is None or request.user.has_perm("portal.change_unit_scope", obj):
            return super().get_readonly_fields(request, obj)
        return [f.name for f in Unit._meta.fields if f.name not in UNIT_HEAD_EDITABLE_FIELDS and f.name != "id"]


@admin.register(Enterprise)
class EnterpriseAdmin(ImportAdminMixin, UnitScopedAdmin):
    unit_field = "town"
    importer_class = EnterpriseImporter
    list_display = ["name", "uscc", "town", "industry", "scale", "is_key"]
    list_filter = ["is_key", "scale", "industry", "town"]
    search_fields = ["name", "uscc", "contact_name"]
    list_select_related = ["town"]
    list_per_page = 50

    def scope_queryset(self, request, queryset):
        # Departments and county leaders serve enterprises in every town; they may look but
        # not change (editing stays with the town).
        return queryset.visible_to(request.user)

    def editable_queryset(self, request, queryset):
        return queryset.editable_by(request.user)


@admin.register(Official)
class OfficialAdmin(ImportAdminMixin, UnitScopedAdmin):
    importer_class = OfficialImporter
    list_display = ["name", "unit", "role", "post", "phone"]
    list_filter = ["role", "unit__kind"]
    search_fields = ["name", "user__username", "unit__name"]
    list_select_related = ["unit", "user"]
    raw_id_fields = ["user"]
    autocomplete_fields = ["unit"]
    actions = ["print_welcome_sheets", "mail_welcome_links", "reset_second_factor"]

    def get_importer(self, request):
        return OfficialImporter(user=request.user)

    def get_urls(self):
        return [
            path(
                "welcome-sheets.pdf",
                self.admin_site.admin_view(self.welcome_sheets_view),
                name="portal_official_welcome_sheets",
            )
        ] + super().get_urls()

    def import_extra(self, request, importer, result):
        if result.dry_run or not importer.to_print:
            return []
        ids = ",".join(str(o.pk) for o in importer.to_print)
        return [
            (
                ngettext(
                    "Print the account-opening sheet of %d new official without e-mail",
                    "Print the account-opening sheets of %d new officials without e-mail",
                    len(importer.to_print),
                )
                % len(importer.to_print),
                reverse("admin:portal_official_welcome_sheets") + f"?ids={ids}",
            )
        ]

    def _awaiting(self, request, queryset):
        """Of `queryset`, the officials this user may see whose account is not open yet."""
        return (
            (self.get_queryset(request) & queryset & awaiting_first_login())
            .select_related("unit", "user")
            .order_by("unit__sort_order", "unit__name", "name")
        )

    def welcome_sheets_view(self, request):
        """The sheets (one A4 page each) of officials whose account is not open yet: those in
        ?ids=, else all this user may manage; ?unit= narrows to one unit."""
        from portal.core.welcome_sheets import welcome_sheets_pdf

        if not self.has_add_permission(request):
            raise PermissionDenied
        queryset = self.model.objects.all()
        ids = [int(i) for i in request.GET.get("ids", "").split(",") if i.isdigit()]
        if ids:
            queryset = queryset.filter(pk__in=ids)
        unit = request.GET.get("unit", "")
        if unit.isdigit():
            queryset = queryset.filter(unit_id=int(unit))
        officials = list(self._awaiting(request, queryset))
        if not officials:
            self.message_user(request, _("Every selected official has already opened their account."), messages.WARNING)
            return redirect("admin:portal_official_changelist")
        response = HttpResponse(welcome_sheets_pdf(officials), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="account-opening-sheets.pdf"'
        return response

    @admin.action(description=_("Print account-opening sheets (accounts not opened yet)"), permissions=["add"])
    def print_welcome_sheets(self, request, queryset):
        request.GET = request.GET.copy()
        request.GET["ids"] = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        return self.welcome_sheets_view(request)

    @admin.action(description=_("E-mail a new account-opening link (accounts not opened yet)"), permissions=["add"])
    def mail_welcome_links(self, request, queryset):
        sent = 0
        for official in self._awaiting(request, queryset).exclude(user__email=""):
            welcome_mail_send(official)
            sent += 1
        self.message_user(request, ngettext("%d link sent.", "%d links sent.", sent) % sent, messages.SUCCESS)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_reset_second_factor(request.user):
            actions.pop("reset_second_factor", None)
        return actions

    @admin.action(description=_("Reset the second factor (lost phone)"))
    def reset_second_factor(self, request, queryset):
        if not can_reset_second_factor(request.user):
            raise PermissionDenied
        count = 0
        for official in queryset.select_related("user"):
            second_factor_reset(user=official.user, by=request.user)
            count += 1
        self.message_user(
            request,
            ngettext(
                "The second factor of %(count)d official was reset; they set up a new authenticator at their next login.",
                "The second factors of %(count)d officials were reset; they set up a new authenticator at their next login.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(EnterpriseAccount)
class EnterpriseAccountAdmin(UnitScopedAdmin):
    unit_field = "enterprise__town"
    list_display = ["real_name", "enterprise", "phone", "status", "created_at", "decided_by"]
    list_filter = ["status"]
    search_fields = ["real_name", "enterprise__name", "user__username", "phone"]
    list_select_related = ["enterprise", "decided_by"]
    readonly_fields = ["user", "enterprise", "status", "decided_by", "decided_at", "created_at"]
    fields = [
        "user",
        "enterprise",
        "real_name",
        "position",
        "phone",
        "status",
        "decision_note",
        "decided_by",
        "decided_at",
        "created_at",
    ]
    inlines = [TransitionLogInline.of(ACCOUNT_WORKFLOW)]
    actions = ["confirm_accounts", "reject_accounts"]

    def has_add_permission(self, request):
        return False  # accounts are made by self-registration

    def _decide(self, request, queryset, decide):
        done = 0
        for account in queryset.select_related("enterprise"):
            if can_decide_account(request.user, account):
                try:
                    decide(account=account, by=request.user)
                except ActionRefused:
                    continue  # decided so already
                done += 1
        return done

    @admin.action(description=_("Confirm the selected accounts"), permissions=["change"])
    def confirm_accounts(self, request, queryset):
        done = self._decide(request, queryset, enterprise_account_confirm)
        self.message_user(
            request, ngettext("%d account confirmed.", "%d accounts confirmed.", done) % done, messages.SUCCESS
        )

    @admin.action(description=_("Reject the selected accounts"), permissions=["change"])
    def reject_accounts(self, request, queryset):
        done = self._decide(request, queryset, enterprise_account_reject)
        self.message_user(
            request, ngettext("%d account rejected.", "%d accounts rejected.", done) % done, messages.WARNING
        )


@admin.register(CalendarAdjustment)
class CalendarAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["date", "is_workday", "name"]
    list_filter = ["is_workday"]
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "notice"]


@admin.register(FinancialInstitution)
class FinancialInstitutionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "contact_name", "phone", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name"]


from portal.site import search_admin  # noqa: E402,F401  (site search admin: synonyms, index)
from portal.site import audit_admin  # noqa: E402,F401  (the security audit log, county office only)
