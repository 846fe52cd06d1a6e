"""The one scoping base every app's admin uses.

Unit staff see and change only their own unit's records; the county office (and
superusers) see all. A ModelAdmin names the path from its model to the owning unit in
`unit_field` ("unit", "town", "visit__unit", ...). Records out of scope are absent from the
changelist and answer as missing when opened by URL.
"""

import rules
from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.contrib.contenttypes.forms import BaseGenericInlineFormSet
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from portal.core.access import default_unit, scope_to_own_unit, unit_choices_for
from portal.core.admin_autocomplete import PickerWidgetsMixin
from portal.core.workflow import TransitionLog


class UnitScopedAdmin(PickerWidgetsMixin, SimpleHistoryAdmin):
    unit_field = "unit"

    def scope_queryset(self, request, queryset):
        """Records the user may see. Override to widen visibility (never to narrow editing)."""
        return self.editable_queryset(request, queryset)

    def editable_queryset(self, request, queryset):
        """Records the user may change: its own unit's, or all for the county office."""
        return scope_to_own_unit(queryset, request.user, self.unit_field)

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))

    def _out_of_scope(self, request, object_id):
        # A model without simple-history records has no history pages to show (404, not 500).
        if not hasattr(self.model._meta, "simple_history_manager_attribute"):
            return True
        try:
            return not self.get_queryset(request).filter(pk=object_id).exists()
        except (ValueError, ValidationError):
            return True

    def history_view(self, request, object_id, extra_context=None):
        # django-simple-history looks the record up itself; refuse records out of scope first.
        if self._out_of_scope(request, object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if self._out_of_scope(request, object_id) or not str(version_id).isdigit():
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _in_editable_scope(self, request, obj):
        return self.editable_queryset(request, type(obj)._default_manager.filter(pk=obj.pk)).exists()

    def object_rule(self, request, action, obj):
        """The app's rule for `action` on `obj` (<app>/rules.py through has_perm), or None when
        the app has written no rule for this model yet (then the unit scope decides)."""
        opts = self.opts
        perm = f"{opts.app_label}.{action}_{opts.model_name}"
        if not rules.perm_exists(perm):
            return None
        return request.user.has_perm(perm, obj)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        view = self.object_rule(request, "view", obj)
        return view is None or view or bool(self.object_rule(request, "change", obj))

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        rule = self.object_rule(request, "change", obj)
        return self._in_editable_scope(request, obj) if rule is None else rule

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        if not allowed or obj is None:
            return allowed
        rule = self.object_rule(request, "delete", obj)
        return self._in_editable_scope(request, obj) if rule is None else rule

    def get_actions(self, request):
        """Every bulk action runs only on the selected records the user may change (or delete):
        the changelist shows what the user may see, which can be more."""
        return {
            name: (self._scoped_action(func), name, description)
            for name, (func, name, description) in super().get_actions(request).items()
        }

    def _scoped_action(self, func):
        wanted = getattr(func, "allowed_permissions", ())

        def action(modeladmin, request, queryset):
            checks = {"change": self.has_change_permission, "delete": self.has_delete_permission}
            allowed = [
                obj.pk for obj in queryset if all(checks[perm](request, obj) for perm in wanted if perm in checks)
            ]
            refused = queryset.count() - len(allowed)
            if refused:
                self.message_user(
                    request,
                    ngettext(
                        "You have no right to change %d of the selected records; they were left as they are.",
                        "You have no right to change %d of the selected records; they were left as they are.",
                        refused,
                    )
                    % refused,
                    messages.WARNING,
                )
            if allowed:
                return func(modeladmin, request, queryset.filter(pk__in=allowed))
            return None

        for attribute in ("allowed_permissions", "short_description", "__name__"):
            if hasattr(func, attribute):
                setattr(action, attribute, getattr(func, attribute))
        return action

    def _direct_unit_field(self):
        return self.unit_field if "__" not in self.unit_field else None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        units = unit_choices_for(request.user)
        if db_field.name == self._direct_unit_field() and units is not None:
            kwargs["queryset"] = units
            kwargs["initial"] = default_unit(request.user)
            field = super().formfield_for_foreignkey(db_field, request, **kwargs)
            # Django drops the empty choice of a required field with an initial value; HTML
            # requires a required <select> to start with one (the unit stays preselected).
            field.empty_label = "---------"
            return field
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        field = self._direct_unit_field()
        if field and not change and default_unit(request.user) and not getattr(obj, f"{field}_id", None):
            setattr(obj, field, default_unit(request.user))
        super().save_model(request, obj, form, change)


class CountyOfficeReadOnlyAdmin(admin.ModelAdmin):
    """A record only the county office reads and nobody edits here (the audit log, the
    background jobs): their own actions and commands change them."""

    # The rule (portal/rules.py) a subclass names, e.g. "portal.read_audit_log".
    read_permission = None

    def has_module_permission(self, request):
        return request.user.has_perm(self.read_permission)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(self.read_permission)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ScopedInlineMixin(PickerWidgetsMixin):
    """Inlines inherit the parent's scope; nothing to filter but the unit choices."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        units = unit_choices_for(request.user)
        if db_field.name == "unit" and units is not None:
            kwargs["queryset"] = units
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class _HistoryFormSet(BaseGenericInlineFormSet):
    """The rows of a history: never bound to the submitted form, always valid, saves nothing
    (the page's form is saved whether or not it carries this formset's fields)."""

    def __init__(self, data=None, files=None, **kwargs):
        super().__init__(None, None, **kwargs)
        self.new_objects, self.changed_objects, self.deleted_objects = [], [], []

    def is_valid(self):
        return True

    def save(self, commit=True):
        return []


class TransitionLogInline(GenericTabularInline):
    """A record's status changes on its change page: when, by whom, which action, from which
    state to which, and why (read-only; `portal.core.workflow.transition` writes them). Use
    `TransitionLogInline.of(WORKFLOW)`: the app's workflow names the states and actions in the
    user's language."""

    model = TransitionLog
    formset = _HistoryFormSet
    template = "admin/portal/transition_log_inline.html"
    ct_field, ct_fk_field = "content_type", "object_id"
    workflow = None
    fields = readonly_fields = ["created_at", "by", "action_label", "states", "reason"]
    extra = max_num = 0
    can_delete = False
    verbose_name_plural = _("status changes")

    @classmethod
    def of(cls, workflow):
        return type(f"{workflow.states.__qualname__.replace('.', '')}LogInline", (cls,), {"workflow": workflow})

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_view_permission(self, request, obj=None):
        return True  # whoever may open the record sees its history (the record's admin decides)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("by"))
    def by(self, log):
        return log.actor_name or (log.actor.get_username() if log.actor else "—")

    @admin.display(description=_("action"))
    def action_label(self, log):
        action = self.workflow.actions.get(log.action) if self.workflow else None
        return action.label if action else log.action

    @admin.display(description=_("from → to"))
    def states(self, log):
        label = self.workflow.label if self.workflow else str
        return f"{label(log.from_state) if log.from_state else '—'} → {label(log.to_state)}"


__all__ = ["UnitScopedAdmin", "ScopedInlineMixin", "TransitionLogInline", "admin"]
