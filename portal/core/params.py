"""Reading numbers and dates from query strings, for every page that filters.

A parameter is either a sensible value or absent: anything malformed or absurd (year 10000,
a 30-digit id, 9999-12-31 that overflows the moment a day is added) reads as None, so a
filter is ignored instead of reaching the database or date arithmetic as a 500."""

import datetime

# The portal's records span the county's history; nothing is dated outside these years.
MIN_YEAR = 1949
MAX_YEAR = 2199
MAX_ID = 2**63 - 1  # PostgreSQL bigint


def int_param(params, name, *, minimum=0, maximum=MAX_ID):
    """A whole number between minimum and maximum, else None."""
    value = (params.get(name) or "").strip()
    if not value.isascii() or not value.lstrip("-").isdigit() or len(value) > 20:
        return None
    number = int(value)
    return number if minimum <= number <= maximum else None


def year_param(params, name):
    return int_param(params, name, minimum=MIN_YEAR, maximum=MAX_YEAR)


def sensible_date(day):
    """The date if within the portal's years, else None."""
    return day if day is not None and MIN_YEAR <= day.year <= MAX_YEAR else None


def parse_date(text):
    """An ISO date (YYYY-MM-DD) within the portal's years, else None."""
    try:
        return sensible_date(datetime.date.fromisoformat((text or "").strip()[:10]))
    except (TypeError, ValueError):
        return None


def date_param(params, name):
    return parse_date(params.get(name))
