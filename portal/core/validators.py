"""Validators for identifiers used across the portal."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the 31 characters a unified social credit code may use (no I, O, S, V, Z).
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


def uscc_check_character(first17):
    """The 18th character of a unified social credit code, from its first 17."""
    total = sum(USCC_CHARSET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def validate_uscc(value):
    """统一社会信用代码: 18 characters, GB 32100-2015 check digit."""
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="uscc_length",
            params={"count": len(code)},
        )
    if not USCC_PATTERN.match(code):
        raise ValidationError(
            _(
                "The unified social credit code contains characters that are not allowed "
                "(letters I, O, S, V and Z are never used)."
            ),
            code="uscc_characters",
        )
    if uscc_check_character(code[:17]) != code[17]:
        raise ValidationError(
            _(
                "The check digit of this unified social credit code is wrong; please check the code "
                "on the business licence."
            ),
            code="uscc_check_digit",
        )


def normalize_uscc(value):
    return (value or "").strip().upper()


class HttpUrlValidator(URLValidator):
    """An absolute http:// or https:// address: never javascript:, data:, file: or ftp:."""

    schemes = ["http", "https"]
    message = _("Enter a web address starting with http:// or https://.")


validate_http_url = HttpUrlValidator()


def validate_link(value):
    """A link shown to visitors: an http(s) address, or a path on this site ("/guide/…")."""
    text = value or ""
    if text.startswith("/") and not text.startswith(("//", "/\\")):
        if any(ord(c) < 32 or c == "\\" for c in text):
            raise ValidationError(_("This address contains characters that are not allowed."), code="invalid")
        return
    validate_http_url(text)
