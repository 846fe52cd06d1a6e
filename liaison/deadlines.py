"""Every clock a matter runs on, written down once.

A clock is a date field that holds "done by" while the matter is in certain states. The
queue, the admin list and its filter, the daily deadline mail and the figures all read
this table, so a new clock needs no other change to be chased:

- acceptance (受理时限): the receiving unit accepts within LIAISON_ACCEPT_WORKDAYS working days;
- handling (办结时限): the responsible unit replies by the due date (paused while waiting);
- return window (退回期): the lead unit may return a wrong assignment within 2 working days;
  a window, not a duty: once it has closed the matter stays with the lead unit, so it is
  shown and chased while open (near flag, queue section, deadline mail) and never overdue;
- reassignment after a return (退回): the county office assigns again within 2 working days;
- extension decision (延期审批): the county office answers a request within 2 working days;
- supplement (补充材料): the enterprise was asked for more; the handler follows up after 5.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from . import clock, workflow

REASSIGN_WORKDAYS = 2
EXTENSION_DECISION_WORKDAYS = 2
SUPPLEMENT_WORKDAYS = 5
NEAR_DUE_WORKDAYS = 2

# The handling clock starts at acceptance (受理) and pauses while waiting for the enterprise.
HANDLING_STATES = (workflow.ACCEPTED,) + tuple(workflow.CLOCK_STATES)
# States that must carry a handling due date (constraint matter_open_has_due_date).
DUE_DATE_STATES = HANDLING_STATES + (workflow.WAITING,)

# Who must act when the clock runs out: the unit responsible, or the county office.
UNIT = "unit"
COUNTY_OFFICE = "county_office"


@dataclass(frozen=True)
class Clock:
    key: str
    label: str
    field: str
    running: Q
    owner: str
    # A window that closes (退回期) rather than a duty that runs out: never overdue, left out
    # of the general overdue/near lists, asked for by name.
    window: bool = False

    def runs_for(self, matter, today=None):
        """Python twin of `running`, for a matter already loaded (no query)."""
        day = getattr(matter, self.field)
        if day is None or not _matches(self.key, matter):
            return False
        return not self.window or day >= (today or clock.today())


CLOCKS = (
    Clock("acceptance", _("Acceptance"), "accept_due", Q(state=workflow.RECEIVED), UNIT),
    Clock("handling", _("Handling"), "due_date", Q(state__in=HANDLING_STATES), UNIT),
    Clock("return", _("Return window"), "return_due", Q(state=workflow.ASSIGNED), UNIT, window=True),
    Clock("reassignment", _("Reassignment after a return"), "reassign_due", Q(state=workflow.RETURNED), COUNTY_OFFICE),
    Clock(
        "extension",
        _("Extension decision"),
        "extension_decide_by",
        Q(extension_requested_days__gt=0, state__in=workflow.OPEN_STATES),
        COUNTY_OFFICE,
    ),
    Clock("supplement", _("Enterprise's supplement"), "supplement_due", Q(state=workflow.WAITING), UNIT),
)
CLOCKS_BY_KEY = {c.key: c for c in CLOCKS}


def _matches(key, matter):
    if key == "acceptance":
        return matter.state == workflow.RECEIVED
    if key == "handling":
        return matter.state in HANDLING_STATES
    if key == "return":
        return matter.state == workflow.ASSIGNED
    if key == "reassignment":
        return matter.state == workflow.RETURNED
    if key == "extension":
        return matter.extension_requested_days > 0 and matter.state in workflow.OPEN_STATES
    return matter.state == workflow.WAITING


def _clocks(keys):
    """The clocks named, or every clock but the windows."""
    return [CLOCKS_BY_KEY[k] for k in keys] if keys else [c for c in CLOCKS if not c.window]


def past(today, keys=None):
    """Q: a running clock ran out before `today` (a window that closed did not)."""
    rule = Q(pk__in=[])
    for c in _clocks(keys):
        if not c.window:
            rule |= c.running & Q(**{f"{c.field}__lt": today})
    return rule


def due_between(today, horizon, keys=None):
    """Q: a running clock runs out between `today` and `horizon` (inclusive)."""
    rule = Q(pk__in=[])
    for c in _clocks(keys):
        rule |= c.running & Q(**{f"{c.field}__gte": today, f"{c.field}__lte": horizon})
    return rule


def to_chase(today, horizon):
    """Q: every clock the daily deadline mail names: run out, or running out by `horizon`,
    open windows included."""
    return past(today) | due_between(today, horizon, list(CLOCKS_BY_KEY))


def running_clocks(matter, today=None):
    """[(clock, date)] of a loaded matter, soonest first."""
    found = [(c, getattr(matter, c.field)) for c in CLOCKS if c.runs_for(matter, today)]
    return sorted(found, key=lambda item: item[1])


def next_deadline(matter, today=None):
    """The soonest (clock, date) of a matter, or None when no clock runs (finished)."""
    clocks = running_clocks(matter, today)
    return clocks[0] if clocks else None
