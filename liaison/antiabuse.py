"""Anti-abuse for anonymous forms, without JavaScript or an outside service: a signed
arithmetic question, a honeypot field, and a per-address rate limit kept in the cache."""
import secrets

from django.conf import settings
from django.core import signing
from django.core.cache import cache

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


def client_address(request):
    return request.META.get("REMOTE_ADDR", "")


def over_limit(request, bucket, limit, window=3600):
    """Count one hit for this address in `bucket`; True when over `limit` per window."""
    key = f"liaison:rate:{bucket}:{client_address(request)}"
    if cache.add(key, 1, window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            cache.set(key, 1, window)
            count = 1
    return count > limit


def submission_limit():
    return getattr(settings, "LIAISON_ANONYMOUS_SUBMISSIONS_PER_HOUR", 5)


def tracking_limit():
    return getattr(settings, "LIAISON_TRACKING_LOOKUPS_PER_HOUR", 30)
