from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.site.forms import SensibleDateField
from portal.models import Official, Unit

from .models import FinancingNeed


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class AppointmentAnswerForm(forms.Form):
    """The enterprise's answer to a proposed visit time."""

    ANSWERS = [
        ("accept", _("The time suits us")),
        ("counter", _("Please come at another time")),
        ("decline", _("We cannot receive a visit now")),
    ]
    answer = forms.ChoiceField(label=_("Answer"), choices=ANSWERS, widget=forms.RadioSelect)
    starts_at = forms.DateTimeField(
        label=_("Another time: from"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    ends_at = forms.DateTimeField(
        label=_("Another time: until"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("answer") == "counter":
            if not data.get("starts_at") or not data.get("ends_at"):
                raise ValidationError(_("Give the time that suits you: a start and an end."))
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends_at", _("The end must be after the start."))
        return data


class PhoneAnswerForm(AppointmentAnswerForm):
    """An official records what the enterprise said on the phone."""

    ANSWERS = AppointmentAnswerForm.ANSWERS
    answer = forms.ChoiceField(label=_("What the enterprise answered"), choices=ANSWERS, widget=forms.RadioSelect)


class FinancingNeedForm(forms.ModelForm):
    class Meta:
        model = FinancingNeed
        fields = ["amount", "purpose", "term_months", "collateral"]
        help_texts = {
            "amount": _("In 10,000 yuan (万元)."),
            "collateral": _("e.g. factory buildings, equipment, receivables, a guarantee company"),
        }


class LedgerFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units I may see")
    )
    official = forms.ModelChoiceField(
        label=_("Official"), queryset=Official.objects.none(), required=False, empty_label=_("All officials")
    )
    start = SensibleDateField(label=_("From"), required=False, widget=DateInput())
    end = SensibleDateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args, units=None, officials=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units if units is not None else Unit.objects.none()
        self.fields["official"].queryset = officials if officials is not None else Official.objects.none()

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end of the period is before its start."))
        return data


class CoverageFilterForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False, empty_label=_("All units")
    )
    period = forms.ChoiceField(label=_("Coverage period"), required=False)

    def __init__(self, *args, units=None, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
        else:
            self.fields["unit"].queryset = units
        self.fields["period"].choices = [(p.key, p.label) for p in reversed(periods)]
        if periods:
            self.fields["period"].initial = periods[-1].key


class ProblemToMatterForm(forms.Form):
    confirm = forms.BooleanField(label=_("Hand this problem to matter handling"), required=True)
