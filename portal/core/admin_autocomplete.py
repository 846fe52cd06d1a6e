"""Searchable pickers (Django's `autocomplete_fields`) for every official who fills a form.

Django's autocomplete endpoint answers only users holding the *view* permission on the picked
model's admin: unit staff, who log visits and name colleagues, hold no `portal.view_official`.
Here the endpoint answers any official, and every answer is cut down twice:

1. by the picked model's admin (`get_queryset`: its unit scope or `visible_to(user)`), and
2. by the form field the picker fills (`autocomplete_choices` on the source admin; by default
   the queryset of the field the admin builds for this user), so the search offers exactly
   what the form will accept: `Official.objects.pickable_by(user)`,
   `Enterprise.objects.visible_to(user)`, ...

Without JavaScript the picker is a plain <select> of every choice while the list is short
enough to scroll (FULL_LIST_LIMIT); Django's own widget would offer only the chosen value.
"""

from django import forms
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.forms.widgets import Select

from portal.core.access import official_of

# Above this many choices the no-JavaScript fallback shows only the chosen values (a page of
# thousands of <option>s helps nobody); with JavaScript the search box serves any length.
FULL_LIST_LIMIT = 300


class _FullListWhenShort:
    def optgroups(self, name, value, attr=None):
        queryset = getattr(self.choices, "queryset", None)
        if queryset is not None and queryset.count() <= FULL_LIST_LIMIT:
            return Select.optgroups(self, name, value, attr)
        return super().optgroups(name, value, attr)


class _NamedSearchBoxes:
    @property
    def media(self):
        # After Django's autocomplete.js: names select2's combobox and search box after the label.
        return super().media + forms.Media(js=["admin/js/autocomplete.js", "js/picker-labels.js"])


class PickerSelect(_NamedSearchBoxes, _FullListWhenShort, AutocompleteSelect):
    """A search box over one choice (select2), a plain dropdown without JavaScript."""


class PickerSelectMultiple(_NamedSearchBoxes, _FullListWhenShort, AutocompleteSelectMultiple):
    """A search box over several choices, a plain multiple select without JavaScript."""


class PickerWidgetsMixin:
    """For a ModelAdmin or inline: its `autocomplete_fields` get the pickers above, and the
    autocomplete endpoint asks it which choices a field offers this user."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PickerSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = PickerSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # Fields a form of this admin fills with a picker beyond `autocomplete_fields` (a form's own
    # field, e.g. a visit's team over Visit.officials).
    form_pickers = ()

    def picker_fields(self, request):
        return (*self.get_autocomplete_fields(request), *self.form_pickers)

    def autocomplete_choices(self, request, db_field):
        """What the form field filled by a picker over `db_field` accepts from this user (None:
        whatever the picked model's admin shows them)."""
        if db_field.many_to_many:
            field = self.formfield_for_manytomany(db_field, request)
        else:
            field = self.formfield_for_foreignkey(db_field, request)
        return getattr(field, "queryset", None)


class ScopedAutocompleteJsonView(AutocompleteJsonView):
    def process_request(self, request):
        term, model_admin, source_field, to_field_name = super().process_request(request)
        self.source_admin, self.parent_admin = self._source_admins(request, source_field)
        return term, model_admin, source_field, to_field_name

    def _source_admins(self, request, source_field):
        """The admin whose form holds the picker — the model's own, or an inline of another
        (a meeting's problems) — and the registered admin whose permissions decide who may use
        it: the first that offers `source_field` as a picker, else the model's own admin."""
        model = source_field.model
        registered = self.admin_site._registry.get(model)
        candidates = [(registered, registered)] if registered is not None else []
        for parent in self.admin_site._registry.values():
            candidates += [
                (inline_class(parent.model, self.admin_site), parent)
                for inline_class in parent.inlines
                if inline_class.model is model
            ]
        for admin_object, parent in candidates:
            pickers = getattr(admin_object, "picker_fields", None)
            if pickers is not None and source_field.name in pickers(request):
                return admin_object, parent
        return (registered, registered) if registered is not None else (None, None)

    def has_perm(self, request, obj=None):
        # Any official may search what their forms offer; the queryset decides what they find.
        if super().has_perm(request, obj):
            return True
        if not hasattr(self.source_admin, "picker_fields"):
            return False
        if self.parent_admin is None or official_of(request.user) is None:
            return False
        # Only the pickers the admin offers (never, say, a record's "created by" user list).
        if self.source_field.name not in self.source_admin.picker_fields(request):
            return False
        return self.parent_admin.has_add_permission(request) or self.parent_admin.has_change_permission(request)

    def get_queryset(self):
        queryset = super().get_queryset()
        choices = None
        if hasattr(self.source_admin, "autocomplete_choices"):
            choices = self.source_admin.autocomplete_choices(self.request, self.source_field)
        if choices is None:
            return queryset
        return queryset.filter(pk__in=choices.values("pk"))

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.source_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(self.request, self.source_field, obj)
        return result
