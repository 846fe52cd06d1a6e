"""Forms of the officials' side: one form per workflow action, recording a call, the period
and ledger choices."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.core.admin_autocomplete import PickerSelect, PickerSelectMultiple
from portal.site.forms import SensibleDateField
from portal.core.access import default_unit, unit_choices_for
from portal.models import Enterprise, Unit

from . import clock, workflow
from .models import Category, Matter, ReplyTemplate, Urgency
from .services import MAX_EXTENSION_WORKDAYS, deadline_workdays_for, units_that_can_act


def _units():
    return Unit.objects.active().exclude(kind=Unit.Kind.COUNTY_GOVERNMENT)


class _MarksUnitsNobodyActs:
    """Unit choices marked “nobody active” where no official can act in the portal (one query)."""

    def label_from_instance(self, obj):
        if not hasattr(self, "_can_act"):
            self._can_act = units_that_can_act(self.queryset)
        return unit_choice_label(obj, self._can_act)


def unit_choice_label(unit, can_act):
    """A unit's name, marked “nobody active” when no official of it can act (`can_act`: the ids
    of those who can)."""
    if unit.pk in can_act:
        return unit.name
    return _("%(unit)s (nobody active: phone)") % {"unit": unit.name}


class UnitChoiceField(_MarksUnitsNobodyActs, forms.ModelChoiceField):
    pass


class UnitMultipleChoiceField(_MarksUnitsNobodyActs, forms.ModelMultipleChoiceField):
    pass


# Steps whose text the official may show to the enterprise; unticked (internal) by default.
CHOOSE_PUBLIC = ("note", "request_referral", "assign", "return_assignment")


class ActionForm(forms.Form):
    """Built for one action: a reason (required when the workflow says so) plus the action's
    own fields."""

    reason = forms.CharField(
        label=_("Reason or text"), widget=forms.Textarea(attrs={"rows": 5}), required=False, max_length=5000
    )

    def __init__(self, *args, matter, action, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.matter = matter
        self.action = workflow.ACTIONS[action]
        self.fields["reason"].required = self.action.needs_reason
        if action == "reply":
            self.fields["reason"].label = _("Reply to the enterprise")
        if action in CHOOSE_PUBLIC:
            self.fields["public"] = forms.BooleanField(
                label=_("Visible to the enterprise"),
                required=False,
                help_text=_("Leave unticked for an internal note only officials see."),
            )
        if action == "assign":
            rule = deadline_workdays_for(matter.category, matter.urgency)
            self.fields["lead_unit"] = UnitChoiceField(label=_("Lead unit"), queryset=_units())
            self.fields["cooperating_units"] = UnitMultipleChoiceField(
                label=_("Cooperating units"), queryset=_units(), required=False, widget=forms.CheckboxSelectMultiple
            )
            if admin_site is not None:  # search boxes instead of 38 checkboxes
                _picker(self.fields["lead_unit"], PickerSelect, "lead_unit", admin_site)
                _picker(self.fields["cooperating_units"], PickerSelectMultiple, "cooperating_units", admin_site)
            self.fields["phone_contact"] = forms.CharField(
                label=_("Who will be phoned"),
                required=False,
                max_length=200,
                help_text=_(
                    "Needed only for a lead unit marked “nobody active”: the name and number of the "
                    "person who will be told by phone."
                ),
            )
            self.fields["workdays"] = forms.IntegerField(
                label=_("Deadline (working days)"),
                min_value=1,
                max_value=60,
                initial=rule,
                help_text=_("The rule for this category and urgency gives %(n)d.") % {"n": rule},
            )
        if action == "reopen":
            self.fields["workdays"] = forms.IntegerField(
                label=_("New deadline (working days)"),
                min_value=1,
                max_value=60,
                initial=deadline_workdays_for(matter.category, matter.urgency),
            )
        if action == "request_extension":
            left = MAX_EXTENSION_WORKDAYS - matter.extension_workdays
            self.fields["days"] = forms.IntegerField(
                label=_("Working days asked for"),
                min_value=1,
                max_value=max(left, 1),
                help_text=_("At most %(n)d working days are left.") % {"n": left},
            )

    def params(self):
        data = dict(self.cleaned_data)
        params = {"reason": data.pop("reason", "")}
        if "public" in data:
            params["public"] = data.pop("public")
        if "cooperating_units" in data:
            data["cooperating_units"] = list(data["cooperating_units"])
        params.update(data)
        return params


def _picker(field, widget_class, model_field, admin_site):
    field.widget = widget_class(Matter._meta.get_field(model_field), admin_site)
    field.widget.choices = field.choices
    field.widget.is_required = field.required


def unit_choices():
    """The units a matter may be assigned to (the assign form's and its pickers' choices)."""
    return _units()


def reply_templates(matter):
    return ReplyTemplate.objects.filter(category=matter.category)


class RecordForm(forms.Form):
    """A matter received by phone, in person or as a complaint, recorded by staff."""

    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=[(c, label) for c, label in Matter.Channel.choices if c in ("phone", "complaint", "visit", "meeting")],
    )
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=Enterprise.objects.all(),
        required=False,
        help_text=_("Leave empty if the enterprise is not registered."),
    )
    enterprise_name = forms.CharField(label=_("Enterprise name (if not registered)"), required=False, max_length=200)
    contact_name = forms.CharField(label=_("Contact person"), max_length=50)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=50)
    title = forms.CharField(label=_("Subject"), max_length=100)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices)
    received_by = forms.ModelChoiceField(label=_("Receiving unit"), queryset=_units())

    def __init__(self, *args, user, admin_site=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = Enterprise.objects.visible_to(user)
        if admin_site is not None:
            _picker(self.fields["enterprise"], PickerSelect, "enterprise", admin_site)
        units = unit_choices_for(user)
        if units is not None:
            self.fields["received_by"].queryset = units
            self.fields["received_by"].initial = default_unit(user)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("enterprise") and not cleaned.get("enterprise_name"):
            self.add_error("enterprise_name", _("Choose the enterprise or type its name."))
        return cleaned


class PeriodForm(forms.Form):
    start = SensibleDateField(label=_("From"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end = SensibleDateField(label=_("To"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def __init__(self, data=None, **kwargs):
        today = clock.today()
        initial = {"start": today.replace(month=1, day=1), "end": today}
        bound = data if data and data.get("start") else None
        super().__init__(bound, initial=initial, **kwargs)

    def period(self):
        if self.is_bound and self.is_valid():
            start, end = self.cleaned_data["start"], self.cleaned_data["end"]
            if start > end:
                start, end = end, start
            return start, min(end, start + datetime.timedelta(days=3 * 366))
        return self.initial["start"], self.initial["end"]


class LedgerForm(PeriodForm):
    KINDS = [("complaints", _("Complaints accepted (投诉受理台帐)")), ("matters", _("Matters handled (事项处置台帐)"))]
    kind = forms.ChoiceField(label=_("Ledger"), choices=KINDS)
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=_units(), required=False, help_text=_("Empty: every unit you may see.")
    )
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", "XLSX"), ("csv", "CSV")])

    def __init__(self, data=None, *, user, **kwargs):
        today = clock.today()
        forms.Form.__init__(
            self,
            data if data and data.get("kind") else None,
            initial={"start": today.replace(month=1, day=1), "end": today},
            **kwargs,
        )
        units = unit_choices_for(user)
        if units is not None:
            self.fields["unit"].queryset = units
