"""Rate limits, one mechanism for the whole portal: counters in the shared cache (the
database cache table, or Redis when CACHE_URL is set — never a worker's memory), keyed by
the client address from portal.core.client_address (the trusted-proxy rule that login lockout
and the audit log use too). Counting is django-ratelimit's (fixed windows per key)."""

import logging

from django.db import DatabaseError
from django_ratelimit.core import is_ratelimited

from portal.core.client_address import client_address

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is a dependency, but the limit must not need it
    RedisError = DatabaseError

logger = logging.getLogger(__name__)


def over_limit(request, *, group, limit, window=3600, key=None):
    """Count one hit in `group` for this client (or for `key`, e.g. an e-mail address) and
    say whether it is over `limit` hits per `window` seconds.

    While the shared cache is unreachable the hit is let through (and logged): the form
    then answers as it would (a 400 with what was typed, or the 503 page when it must write)
    rather than failing on the counter."""
    value = key if key is not None else client_address(request)
    try:
        return is_ratelimited(
            request, group=group, key=lambda _group, _request: value, rate=(limit, window), increment=True
        )
    except (DatabaseError, RedisError):
        logger.warning("rate limit %s not counted: the shared cache is unreachable", group, exc_info=True)
        return False
