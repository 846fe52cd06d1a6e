from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from portal.models import Enterprise
from portal.core.params import MAX_YEAR, MIN_YEAR, sensible_date
from portal.core.validators import normalize_uscc, validate_uscc


class FieldNamedErrorsMixin:
    """A required field's message names the field (请填写诉求标题, 请选择事项类别), as GOV.UK
    forms do, so that the error summary at the top of the page reads on its own."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        generic = str(forms.Field.default_error_messages["required"])
        for field in self.fields.values():
            if str(field.error_messages.get("required", "")) != generic or not field.label:
                continue
            if isinstance(field, (forms.ChoiceField, forms.FileField, forms.BooleanField)):
                message = _("Select %(label)s")
            else:
                message = _("Enter %(label)s")
            field.error_messages["required"] = message % {"label": field.label}


class EnterpriseRegistrationForm(FieldNamedErrorsMixin, forms.Form):
    """Self-registration of an enterprise user, found by its credit code."""

    uscc = forms.CharField(
        label=_("Unified social credit code of your enterprise"),
        max_length=18,
        help_text=_("18 characters, as printed on the business licence."),
    )
    real_name = forms.CharField(label=_("Your name"), max_length=50)
    position = forms.CharField(label=_("Your position in the enterprise"), max_length=50, required=False)
    phone = forms.RegexField(
        label=_("Mobile phone"),
        regex=r"^1\d{10}$",
        max_length=11,
        error_messages={"invalid": _("Enter an 11-digit mainland mobile number.")},
    )
    email = forms.EmailField(label=_("E-mail"), required=False)
    username = forms.RegexField(
        label=_("User name"),
        regex=r"^[A-Za-z0-9_.@+-]{4,30}$",
        max_length=30,
        help_text=_("4 to 30 letters, digits or _ . @ + -"),
        error_messages={"invalid": _("Use 4 to 30 letters, digits or _ . @ + -.")},
    )
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(render_value=False), strip=False)
    password2 = forms.CharField(label=_("Password again"), widget=forms.PasswordInput(render_value=False), strip=False)

    def clean_uscc(self):
        code = normalize_uscc(self.cleaned_data["uscc"])
        validate_uscc(code)
        try:
            self.enterprise = Enterprise.objects.select_related("town").get(uscc=code)
        except Enterprise.DoesNotExist:
            raise ValidationError(
                _(
                    "No enterprise with this code is registered in the county. Please ask your "
                    "town's enterprise service office to add it first."
                )
            )
        return code

    def clean_username(self):
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise ValidationError(_("This user name is taken; please choose another."))
        return username

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        elif data.get("password1"):
            candidate = get_user_model()(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(data["password1"], candidate)
            except ValidationError as exc:
                self.add_error("password1", exc)
        return data


class OTPSetupForm(forms.Form):
    token = forms.RegexField(
        label=_("Verification code"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("Enter the 6 digits shown in your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


class UsernameLengthMixin:
    """Refuse an over-long user name in field validation, before authenticate() (and the
    lockout log, whose column holds 255 characters) ever sees it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.max_length = 150
        field.validators.append(MaxLengthValidator(150))
        field.widget.attrs["maxlength"] = "150"


class LoginForm(UsernameLengthMixin, AuthenticationForm):
    """The enterprise login. Officials and superusers are refused here (the view sends them to
    the officials' login, which asks for the second factor)."""

    official_user = None

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if user.is_staff or user.is_superuser or hasattr(user, "official"):
            self.official_user = user
            raise ValidationError(_("Officials log in at the officials' workspace."), code="official_login")


class OTPReplaceForm(forms.Form):
    """Replacing a confirmed authenticator: a current code (or a recovery code) first."""

    current_token = forms.RegexField(
        label=_("Current code"),
        regex=r"^(\d{6}|[A-Za-z0-9]{8})$",
        max_length=8,
        help_text=_("The 6-digit code from the authenticator you use now, or one of your recovery codes."),
        error_messages={
            "invalid": _("Enter the 6 digits of your current authenticator or an 8-character recovery code.")
        },
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )
    token = forms.RegexField(
        label=_("Code from the new authenticator"),
        regex=r"^\d{6}$",
        max_length=6,
        error_messages={"invalid": _("Enter the 6 digits shown in your authenticator app.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )

    def clean_current_token(self):
        return self.cleaned_data["current_token"].strip().lower()


class SensibleDateField(forms.DateField):
    """A date within the portal's years (portal.core.params): 9999-12-31 would overflow the first
    time a day is added to it, so it is refused as a clear form error, not a 500."""

    def validate(self, value):
        super().validate(value)
        if value and sensible_date(value) is None:
            raise ValidationError(
                _("Enter a date between %(first)d and %(last)d."),
                code="out_of_range",
                params={"first": MIN_YEAR, "last": MAX_YEAR},
            )
