"""The liaison app's notion of "now". Deadlines and figures read it; demo data and tests move
it with `travel()` so that a matter can be received last month and replied to today."""

import contextlib
import datetime

from django.utils import timezone

_override = None


def now():
    return _override if _override is not None else timezone.now()


def today():
    return timezone.localdate(now())


@contextlib.contextmanager
def travel(moment):
    """Run the block as if it were `moment` (an aware datetime or a date, taken at 10:00)."""
    global _override
    if isinstance(moment, datetime.date) and not isinstance(moment, datetime.datetime):
        moment = timezone.make_aware(datetime.datetime.combine(moment, datetime.time(10, 0)))
    previous = _override
    _override = moment
    try:
        yield moment
    finally:
        _override = previous


def today_of(moment):
    """The local calendar date of an aware datetime."""
    return timezone.localdate(moment)
