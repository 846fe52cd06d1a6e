from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import get_language

from portal.core.access import enterprise_account_of, official_of

LARGE_TEXT_COOKIE = "large_text"
HIGH_CONTRAST_COOKIE = "high_contrast"
PREFERENCE_COOKIES = (LARGE_TEXT_COOKIE, HIGH_CONTRAST_COOKIE)


def site(request):
    """Site facts for the frame, and the reader's display preferences."""
    user = getattr(request, "user", None)
    return {
        "COUNTY_NAME": settings.COUNTY_NAME,
        "SITE_NAME": settings.SITE_NAME,
        "COUNTY_LABEL": _county_label(),
        "SITE_SPONSOR": settings.SITE_SPONSOR,
        "SITE_ICP": settings.SITE_ICP,
        "SITE_GOV_ID": settings.SITE_GOV_ID,
        "SITE_CONTACT_PHONE": settings.SITE_CONTACT_PHONE,
        "SITE_PSB": settings.SITE_PSB,
        "SITE_PSB_CODE": "".join(ch for ch in settings.SITE_PSB if ch.isdigit()),
        "SITE_CONAC_URL": settings.SITE_CONAC_URL,
        "ICP_LINK": settings.ICP_LINK,
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
        "high_contrast": request.COOKIES.get(HIGH_CONTRAST_COOKIE) == "1",
        "current_official": official_of(user) if user is not None else None,
        "current_enterprise_account": enterprise_account_of(user) if user is not None else None,
    }


def _county_label():
    """The county's name as a page in the current language shows it: Chinese pages use the
    Chinese name; others the English name if one is set, else the Chinese one marked as such."""
    if (get_language() or "").startswith("zh"):
        return settings.COUNTY_NAME
    if settings.COUNTY_NAME_EN:
        return settings.COUNTY_NAME_EN
    return format_html('<span lang="zh-CN">{}</span>', settings.COUNTY_NAME)
