"""The officials' workspace: the Django admin, titled with the county's name, with a
second factor (TOTP) for every official who has set one up, and required for the roles in
settings.OTP_REQUIRED_ROLES."""

import rules
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models.constants import LOOKUP_SEP
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, pgettext_lazy
from django_otp import user_has_device
from django_otp.forms import OTPAuthenticationFormMixin

from portal.core.access import awaiting_second_factor, otp_required_for
from portal.core.audit import audit_record
from portal.site.forms import UsernameLengthMixin
from portal.models import AuditEntry
from portal.core.second_factor import device_for_code


# Fields that hold secrets (hashes of passwords and query codes): no admin list may filter
# on them, in any model or across any relation, or a prefix filter recovers them.
SECRET_FIELD_NAMES = frozenset({"query_code", "password"})


class SecretLookupsRefused:
    """Mixed into every ModelAdmin by PortalAdminSite.register."""

    def lookup_allowed(self, lookup, value, request=None):
        if SECRET_FIELD_NAMES.intersection(lookup.split(LOOKUP_SEP)):
            return False
        return super().lookup_allowed(lookup, value, request)


__all__ = ["PortalAdminLoginForm", "PortalAdminSite", "SecretLookupsRefused", "otp_required_for"]


class PortalAdminLoginForm(UsernameLengthMixin, OTPAuthenticationFormMixin, AdminAuthenticationForm):
    """Username and password, plus the 6-digit code for users who have an authenticator."""

    otp_device = forms.CharField(required=False, widget=forms.HiddenInput)
    otp_token = forms.CharField(
        required=False,
        label=_("Verification code"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
        help_text=_(
            "The 6-digit code from your authenticator app, if you have set one up; "
            "or one of your recovery codes if you lost your phone."
        ),
    )
    otp_challenge = None
    otp_error_messages = dict(
        OTPAuthenticationFormMixin.otp_error_messages,
        token_required=_("Please enter the 6-digit verification code from your authenticator app."),
        invalid_token=_("The verification code is wrong or has expired; please enter the current code."),
    )

    def _chosen_device(self, user):
        # Officials have one authenticator app and a sheet of recovery codes; the code's
        # shape says which, so nobody has to pick a device.
        return device_for_code(user, self.cleaned_data.get("otp_token"))

    def clean(self):
        self.cleaned_data = super().clean()
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return self.cleaned_data


# The workspace's first page, by task rather than by app (a township cadre looks for "visits",
# not for "Enterprise-situation monitoring"): (key, name, models as app_label.model_name).
WORKSPACE_GROUPS = [
    (
        "today",
        pgettext_lazy("workspace group", "Today's tasks"),
        ["portal.enterpriseaccount", "visits.appointment", "surveys.finding"],
    ),
    (
        "visits",
        pgettext_lazy("workspace group", "Visiting enterprises"),
        [
            "visits.visit",
            "visits.liaisonassignment",
            "visits.countyleader",
            "visits.visitproblem",
            "visits.meeting",
            "visits.meetingproblem",
            "visits.matchmakingevent",
            "visits.financingneed",
            "portal.enterprise",
            "portal.financialinstitution",
        ],
    ),
    ("matters", pgettext_lazy("workspace group", "Enterprise matters"), ["liaison.matter", "liaison.replytemplate"]),
    (
        "policies",
        pgettext_lazy("workspace group", "Publishing policies"),
        ["policies.policy", "policies.theme", "policies.subscription"],
    ),
    (
        "guide",
        pgettext_lazy("workspace group", "Service guide"),
        ["guide.serviceitem", "guide.guideedition", "guide.leaderduty", "guide.loanproduct"],
    ),
    (
        "surveys",
        pgettext_lazy("workspace group", "Evaluation"),
        ["surveys.survey", "surveys.question", "surveys.invitation", "surveys.surveyresponse"],
    ),
    ("people", pgettext_lazy("workspace group", "Units and officials"), ["portal.unit", "portal.official"]),
]
# Technical tables: under 设置, for the county office only.
SETTINGS_GROUP = ("settings", pgettext_lazy("workspace group", "Settings"))


def _grouped(app_list, *, show_settings):
    """`app_list` (Django's, by app) regrouped by WORKSPACE_GROUPS; every model not named there is
    a technical table (search index, calendar, history, synonyms, jobs, accounts) under 设置."""
    models = {model["model"]._meta.label_lower: model for app in app_list for model in app["models"]}
    groups = []
    placed = set()
    for key, name, labels in WORKSPACE_GROUPS:
        entries = [models[label] for label in labels if label in models]
        placed.update(labels)
        groups.append((key, name, entries))
    rest = [model for label, model in models.items() if label not in placed]
    if show_settings:
        groups.append((*SETTINGS_GROUP, sorted(rest, key=lambda m: str(m["name"]))))
    return [
        {
            "name": name,
            "app_label": f"task-{key}",
            "app_url": entries[0]["admin_url"] or "",
            "has_module_perms": True,
            "models": entries,
        }
        for key, name, entries in groups
        if entries
    ]


class PortalAdminSite(admin.AdminSite):
    site_title = _("Officials' workspace")
    index_title = _("Workspace")
    login_form = PortalAdminLoginForm

    @property
    def site_header(self):
        return f"{settings.COUNTY_NAME}{settings.SITE_NAME} · " + str(_("Officials' workspace"))

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, SecretLookupsRefused):
            admin_class = type(admin_class.__name__, (SecretLookupsRefused, admin_class), {})
        super().register(model_or_iterable, admin_class, **options)

    def has_permission(self, request):
        allowed = super().has_permission(request) and not awaiting_second_factor(request.user)
        if not allowed and request.user.is_authenticated and not getattr(request, "_audit_refusal_logged", False):
            # A logged-in user turned away from the workspace (no official, or the code owed).
            request._audit_refusal_logged = True
            audit_record(
                kind=AuditEntry.Kind.REFUSED,
                action="admin.refused",
                request=request,
                subject=request.path[:300],
                detail="second factor owed" if awaiting_second_factor(request.user) else "not staff",
            )
        return allowed

    def login(self, request, extra_context=None):
        request._audit_refusal_logged = True  # the login page itself is no refused attempt
        response = super().login(request, extra_context)
        user = request.user
        # A role that must use a second factor but has none yet goes to set it up.
        if user.is_authenticated and user.is_staff and otp_required_for(user) and not user_has_device(user):
            return redirect("portal:otp_setup")
        return response

    def autocomplete_view(self, request):
        from portal.core.admin_autocomplete import ScopedAutocompleteJsonView

        return ScopedAutocompleteJsonView.as_view(admin_site=self)(request)

    def get_urls(self):
        # Django's view-on-site redirect (/admin/r/<ct>/<pk>/) looks any object up for any staff
        # user and reveals its public address (a matter's tracking number, a file's id); ours
        # asks the object's rule first.
        urls = super().get_urls()
        for index, pattern in enumerate(urls):
            if getattr(pattern, "name", None) == "view_on_site":
                urls[index] = path(
                    "r/<int:content_type_id>/<path:object_id>/", self.admin_view(self.view_on_site), name="view_on_site"
                )
        return urls

    def view_on_site(self, request, content_type_id, object_id):
        from django.contrib.contenttypes.models import ContentType
        from django.contrib.contenttypes.views import shortcut

        try:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            obj = model._default_manager.get(pk=object_id) if model else None
        except (ContentType.DoesNotExist, ObjectDoesNotExist, ValueError, ValidationError):
            raise Http404
        if obj is None or not self.may_view(request, obj):
            raise Http404
        return shortcut(request, content_type_id, object_id)

    def may_view(self, request, obj):
        """The object's admin (its scope and object rules) or, for a model without one, the
        app's view rule; a model with neither is seen by nobody through the workspace."""
        model_admin = self._registry.get(type(obj))
        if model_admin is not None:
            return model_admin.get_queryset(request).filter(
                pk=obj.pk
            ).exists() and model_admin.has_view_or_change_permission(request, obj)
        opts = obj._meta
        perm = f"{opts.app_label}.view_{opts.model_name}"
        return rules.perm_exists(perm) and request.user.has_perm(perm, obj)

    @staticmethod
    def _calendar_year_missing(request):
        """The county office (who enters the State Council's notice) is told which year's
        holidays are not known yet: from November, next year."""
        from portal.core.workdays import missing_year_warning

        if not request.user.has_perm("portal.manage_county_settings"):
            return None
        return missing_year_warning(timezone.localdate())

    def get_app_list(self, request, app_label=None):
        app_list = super().get_app_list(request, app_label)
        if app_label is not None:  # an app's own index page stays as Django makes it
            return app_list
        return _grouped(app_list, show_settings=request.user.has_perm("portal.manage_county_settings"))

    def index(self, request, extra_context=None):
        from portal.site.admin_dashboard import dashboard_links, dashboard_notices, golive_steps

        extra_context = {
            **(extra_context or {}),
            "dashboard_links": dashboard_links(request),
            "golive_steps": golive_steps(request),
            "dashboard_notices": dashboard_notices(request),
            "calendar_year_missing": self._calendar_year_missing(request),
        }
        return super().index(request, extra_context)
