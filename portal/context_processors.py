from django.conf import settings

from .access import enterprise_account_of, official_of

LARGE_TEXT_COOKIE = "large_text"
HIGH_CONTRAST_COOKIE = "high_contrast"
PREFERENCE_COOKIES = (LARGE_TEXT_COOKIE, HIGH_CONTRAST_COOKIE)


def site(request):
    """Site facts for the frame, and the reader's display preferences."""
    user = getattr(request, "user", None)
    return {
        "COUNTY_NAME": settings.COUNTY_NAME,
        "SITE_NAME": settings.SITE_NAME,
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
