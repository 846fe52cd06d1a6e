"""Forms of the public side: raise a matter, report a website error, look a matter up, rate
it, supply what was asked for."""

import uuid

from django import forms
from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.site.forms import FieldNamedErrorsMixin
from portal.core.uploads import check_upload

from . import antiabuse
from .models import Category, Rating, Urgency
from .uploads import MAX_FILES

PUBLIC_CATEGORIES = [
    (value, label) for value, label in Category.choices if value not in (Category.WEBSITE, Category.RECTIFICATION)
]
HELD_SALT = "liaison.held"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class AntiAbuseMixin(forms.Form):
    """For anonymous users: a small sum and an empty honeypot."""

    challenge = forms.CharField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("Anti-spam check"), max_length=4)
    website = forms.CharField(label=_("Leave this field empty"), required=False)

    def setup_challenge(self):
        question, token = antiabuse.new_challenge()
        self.fields["answer"].label = _("Anti-spam check: what is %(question)s?") % {"question": question}
        self.fields["answer"].help_text = _("Write the result in figures.")
        self.initial["challenge"] = token
        if self.is_bound:
            data = self.data.copy()
            data["challenge"] = token
            data["answer"] = ""
            self.data = data
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})
        for name in ("answer", "challenge", "website"):
            self._bound_fields_cache.pop(name, None)

    def clean(self):
        cleaned = super().clean()
        if self.data.get("website"):
            raise ValidationError(_("The form could not be accepted."))
        if not antiabuse.check_challenge(self.data.get("challenge"), self.data.get("answer")):
            self.add_error("answer", _("The answer to the check is wrong; please try the new question."))
        return cleaned


class MatterForm(FieldNamedErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Subject"), max_length=100)
    description = forms.CharField(
        label=_("What is the problem and what do you ask for?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    category = forms.ChoiceField(label=_("Category"), choices=[("", _("Please choose"))] + list(PUBLIC_CATEGORIES))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    enterprise_name = forms.CharField(label=_("Enterprise name"), max_length=200)
    contact_name = forms.CharField(label=_("Your name"), max_length=50)
    contact_phone = forms.RegexField(
        label=_("Your phone"),
        max_length=20,
        regex=r"^[0-9+\- ]{7,20}$",
        error_messages={"invalid": _("Enter a phone number of 7 to 20 digits.")},
    )
    contact_email = forms.EmailField(label=_("E-mail for the confirmation"), required=False)
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("Up to 5 files: PDF, JPG, PNG, Word or Excel, 10 MB each.")
    )
    submission_token = forms.UUIDField(widget=forms.HiddenInput)
    held = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, enterprise=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.enterprise = enterprise
        self.initial.setdefault("submission_token", uuid.uuid4())
        if enterprise is not None:
            del self.fields["enterprise_name"]
            self.fields["contact_name"].required = False
            self.fields["contact_phone"].required = False
        self.held_files = []

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        errors = []
        self.good_files = []
        for upload in files:
            try:
                check_upload(upload)
                self.good_files.append(upload)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return files

    def clean(self):
        cleaned = super().clean()
        if len(getattr(self, "good_files", [])) + len(self.held_files) > MAX_FILES:
            self.add_error("attachments", _("At most %(n)d attachments.") % {"n": MAX_FILES})
        return cleaned

    def load_held(self, held_model):
        """Files kept from an earlier attempt with errors (the signed tokens in `held`)."""
        raw = self.data.get("held") if self.is_bound else ""
        try:
            tokens = signing.loads(raw, salt=HELD_SALT) if raw else []
        except signing.BadSignature:
            tokens = []
        self.held_files = list(held_model.objects.filter(token__in=tokens[:MAX_FILES]))
        return self.held_files

    def sign_held(self, held):
        self.held_files = held
        value = signing.dumps([str(h.token) for h in held], salt=HELD_SALT) if held else ""
        data = self.data.copy()
        data["held"] = value
        self.data = data
        self._bound_fields_cache.pop("held", None)


class AnonymousMatterForm(AntiAbuseMixin, MatterForm):
    pass


class SiteErrorForm(FieldNamedErrorsMixin, forms.Form):
    page = forms.CharField(label=_("Address or name of the page"), max_length=300)
    description = forms.CharField(label=_("What is wrong?"), widget=forms.Textarea(attrs={"rows": 5}), max_length=3000)
    contact_name = forms.CharField(label=_("Your name"), max_length=50)
    contact_phone = forms.CharField(label=_("Your phone"), max_length=20, required=False)
    contact_email = forms.EmailField(label=_("E-mail for the answer"), required=False)
    submission_token = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("submission_token", uuid.uuid4())


class AnonymousSiteErrorForm(AntiAbuseMixin, SiteErrorForm):
    pass


class TrackForm(FieldNamedErrorsMixin, forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=20)
    query_code = forms.CharField(label=_("Query code"), max_length=12)


class ForgotCodeForm(FieldNamedErrorsMixin, forms.Form):
    tracking_number = forms.CharField(label=_("Tracking number"), max_length=20)


class RateForm(FieldNamedErrorsMixin, forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How satisfied are you with the handling?"),
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason (required if unsatisfied)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("rating") in (Rating.UNSATISFIED, Rating.VERY_UNSATISFIED) and not cleaned.get("reason"):
            self.add_error("reason", _("Please say why you are not satisfied."))
        return cleaned


class SupplementForm(FieldNamedErrorsMixin, forms.Form):
    message = forms.CharField(
        label=_("Your answer or the information asked for"), widget=forms.Textarea(attrs={"rows": 4}), max_length=3000
    )
    attachments = MultipleFileField(label=_("Files"), required=False)

    def clean_attachments(self):
        files = self.cleaned_data.get("attachments") or []
        for upload in files:
            check_upload(upload)
        if len(files) > MAX_FILES:
            raise ValidationError(_("At most %(n)d attachments.") % {"n": MAX_FILES})
        return files
