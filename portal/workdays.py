"""Working days (工作日) in the Chinese calendar.

Statutory holidays and adjusted working days (调休) come from the `chinesecalendar` library;
rows in CalendarAdjustment override it (announcements newer than the library, local
closures). Years the library does not know fall back to Monday–Friday.
"""
import datetime

import chinese_calendar
from django.core.cache import cache

ADJUSTMENTS_CACHE_KEY = "portal:calendar-adjustments"


def _adjustments():
    adjustments = cache.get(ADJUSTMENTS_CACHE_KEY)
    if adjustments is None:
        from .models import CalendarAdjustment

        adjustments = dict(CalendarAdjustment.objects.values_list("date", "is_workday"))
        cache.set(ADJUSTMENTS_CACHE_KEY, adjustments, 3600)
    return adjustments


def clear_cache(**kwargs):
    cache.delete(ADJUSTMENTS_CACHE_KEY)


def is_workday(day):
    adjusted = _adjustments().get(day)
    if adjusted is not None:
        return adjusted
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def add_workdays(start, days):
    """The date `days` working days after `start` (start itself not counted).

    A matter received on Friday with a 5-day limit is due the following Friday; received
    before a holiday, the holiday is skipped.
    """
    day = start
    remaining = days
    while remaining > 0:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            remaining -= 1
    return day


def workdays_between(start, end):
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    day = start
    while day < end:
        day += datetime.timedelta(days=1)
        if is_workday(day):
            count += 1
    return count
