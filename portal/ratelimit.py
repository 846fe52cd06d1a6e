"""Rate limits, one mechanism for the whole portal: counters in the shared cache (the
database cache table, or Redis when CACHE_URL is set — never a worker's memory), keyed by
the client address from portal.client_address (the trusted-proxy rule that login lockout
and the audit log use too). Counting is django-ratelimit's (fixed windows per key)."""
from django_ratelimit.core import is_ratelimited

from .client_address import client_address


def over_limit(request, *, group, limit, window=3600, key=None):
    """Count one hit in `group` for this client (or for `key`, e.g. an e-mail address) and
    say whether it is over `limit` hits per `window` seconds."""
    value = key if key is not None else client_address(request)
    return is_ratelimited(request, group=group, key=lambda _group, _request: value,
                          rate=(limit, window), increment=True)

