"""Coverage periods (考核周期): each official must visit each of their enterprises once per period.

The period length is the setting VISIT_PERIOD_MONTHS (3 = a quarter, the default; 1, 2, 3, 4,
6 or 12). Periods are calendar-aligned and computed on local dates in the project's time zone
(Asia/Shanghai), so a visit at 23:30 on 31 March belongs to Q1 whatever UTC says.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.core.params import parse_date


def period_months():
    months = int(getattr(settings, "VISIT_PERIOD_MONTHS", 3))
    if months not in (1, 2, 3, 4, 6, 12):
        raise ValueError("VISIT_PERIOD_MONTHS must divide 12")
    return months


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def label(self):
        months = period_months()
        index = (self.start.month - 1) // months + 1
        if months == 3:
            return _("%(year)d Q%(n)d") % {"year": self.start.year, "n": index}
        if months == 12:
            return str(self.start.year)
        if months == 1:
            return f"{self.start.year}-{self.start.month:02d}"
        return _("%(year)d period %(n)d") % {"year": self.start.year, "n": index}

    @property
    def key(self):
        return self.start.isoformat()

    def contains(self, day):
        return self.start <= day <= self.end

    def previous(self):
        return period_of(self.start - datetime.timedelta(days=1))

    def next(self):
        return period_of(self.end + datetime.timedelta(days=1))

    def days_left(self, today):
        return (self.end - today).days


def period_of(day):
    months = period_months()
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    last_month = first_month + months - 1
    if last_month == 12:
        end = datetime.date(day.year, 12, 31)
    else:
        end = datetime.date(day.year, last_month + 1, 1) - datetime.timedelta(days=1)
    return Period(start, end)


def today():
    """Today's local date in Asia/Shanghai (TIME_ZONE)."""
    return timezone.localdate()


def current_period(day=None):
    return period_of(day or today())


def last_periods(count, day=None):
    """The `count` periods ending with the current one, oldest first."""
    periods = [current_period(day)]
    while len(periods) < count:
        periods.insert(0, periods[0].previous())
    return periods


def parse_period(value, default=None):
    """A period from its key (the ISO date of its first day), or `default`."""
    day = parse_date(value)
    return period_of(day) if day is not None else default
