from django.conf import settings

from .access import enterprise_account_of, official_of

LARGE_TEXT_COOKIE = "large_text"


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
        "large_text": request.COOKIES.get(LARGE_TEXT_COOKIE) == "1",
        "current_official": official_of(user) if user is not None else None,
        "current_enterprise_account": enterprise_account_of(user) if user is not None else None,
    }
