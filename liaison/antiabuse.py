"""Anti-abuse for anonymous forms, without JavaScript or an outside service: a signed
arithmetic question, a honeypot field, and a per-address rate limit (portal.core.ratelimit)."""

import secrets

from django.conf import settings
from django.core import signing

from portal.core import ratelimit

SALT = "liaison.challenge"
MAX_AGE = 2 * 3600


def new_challenge():
    """(question, signed token). The answer travels only inside the signature."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"s": a + b, "n": secrets.token_hex(4)}, salt=SALT)
    return f"{a} + {b}", token


def check_challenge(token, answer):
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return False
    try:
        return int(str(answer).strip()) == data["s"]
    except (TypeError, ValueError):
        return False


def over_limit(request, bucket, limit, window=3600):
    """Count one hit for this client in `bucket`; True when over `limit` per window. The
    portal's one rate-limit mechanism (shared cache, trusted-proxy client address)."""
    return ratelimit.over_limit(request, group=f"liaison:{bucket}", limit=limit, window=window)


def submission_limit():
    return getattr(settings, "LIAISON_ANONYMOUS_SUBMISSIONS_PER_HOUR", 5)


def tracking_limit():
    return getattr(settings, "LIAISON_TRACKING_LOOKUPS_PER_HOUR", 30)
