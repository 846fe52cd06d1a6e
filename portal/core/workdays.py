"""Working days (工作日) in the Chinese calendar: the one calendar every deadline uses.

Sources, first that knows the day wins:
1. the county's own CalendarAdjustment rows (the State Council's notice for a year newer
   than the libraries, a local closure), entered in the admin;
2. `chinesecalendar`: the official holidays and adjusted working days (调休) of the years it
   ships (up to 2026 in 1.11);
3. the `holidays` package's China calendar: the official arrangement of the years it lists
   (its special holidays), and for later years the statutory holidays (元旦, 春节, 清明, 劳动节,
   端午, 中秋, 国庆) computed from the lunar calendar — but not the adjusted working days;
4. Monday to Friday.

A year is *confirmed* when source 1 (the county marked the year's notice entered,
CalendarYear), 2 or 3 (with its special days) has its official arrangement. A date in any
other year is an estimate: pages mark it 预计 instead of claiming holidays were deducted,
and from November the county office is warned to enter next year's notice.
"""

import datetime
import functools

import chinese_calendar
import holidays
from django.core.cache import cache

ADJUSTMENTS_CACHE_KEY = "portal:calendar-adjustments"
# From this month on, next year's notice (usually published in November) is due.
WARN_FROM_MONTH = 11


def _adjustments():
    """({date: is_workday}, {confirmed years}) from the county's admin, cached."""
    cached = cache.get(ADJUSTMENTS_CACHE_KEY)
    if cached is None:
        from portal.models import CalendarAdjustment, CalendarYear

        cached = (
            dict(CalendarAdjustment.objects.values_list("date", "is_workday")),
            set(CalendarYear.objects.values_list("year", flat=True)),
        )
        cache.set(ADJUSTMENTS_CACHE_KEY, cached, 3600)
    return cached


def clear_cache(**kwargs):
    cache.delete(ADJUSTMENTS_CACHE_KEY)


@functools.cache
def _library_years():
    """Years whose official arrangement a library ships."""
    years = {d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays}
    from holidays.countries.china import ChinaStaticHolidays

    years |= set(ChinaStaticHolidays.special_public_holidays)
    return frozenset(years)


@functools.cache
def _china(year):
    calendar = holidays.China(years=year)
    return frozenset(calendar), frozenset(d for d in calendar.weekend_workdays if d.year == year)


def is_confirmed_year(year):
    return year in _library_years() or year in _adjustments()[1]


def is_workday(day):
    adjusted = _adjustments()[0].get(day)
    if adjusted is not None:
        return adjusted
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        pass
    days_off, days_on = _china(day.year)
    if day in days_off:
        return False
    if day in days_on:
        return True
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


def is_estimated(end, start=None):
    """True when a date computed in working days up to `end` (from `start`, default `end`)
    crosses a year whose official arrangement no source has: it is a 预计 date."""
    first = (start or end).year
    return any(not is_confirmed_year(year) for year in range(min(first, end.year), end.year + 1))


def missing_year_warning(today):
    """The year the county office should enter now (next year from November, or this year
    when it is not known), or None."""
    if not is_confirmed_year(today.year):
        return today.year
    if today.month >= WARN_FROM_MONTH and not is_confirmed_year(today.year + 1):
        return today.year + 1
    return None
