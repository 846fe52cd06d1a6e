from django import forms
from django.utils.translation import gettext_lazy as _

from portal.site.forms import FieldNamedErrorsMixin
from portal.models import Industry

from .models import Theme


class SubscriptionForm(FieldNamedErrorsMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to hear about every theme."),
    )
    industries = forms.MultipleChoiceField(
        label=_("Industries"),
        choices=Industry.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to hear about every industry."),
    )


class PublishForm(forms.Form):
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty to publish now; a later time schedules the publication."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason for withdrawal"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))
