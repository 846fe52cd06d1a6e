"""Password rules by role: officials need 12 characters, everyone else 8."""

from django.contrib.auth.password_validation import MinimumLengthValidator
from django.utils.translation import gettext as _


class RoleMinimumLengthValidator:
    official_length = 12
    default_length = 8

    def _minimum(self, user):
        return self.official_length if user is not None and getattr(user, "is_staff", False) else self.default_length

    def validate(self, password, user=None):
        MinimumLengthValidator(self._minimum(user)).validate(password, user)

    def get_help_text(self):
        return _("Your password must contain at least %(enterprise)d characters (%(official)d for officials).") % {
            "enterprise": self.default_length,
            "official": self.official_length,
        }
