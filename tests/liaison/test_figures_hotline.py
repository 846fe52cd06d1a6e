"""按期办结率 as the 12345 hotline assesses it (issue 13, item 4): on-time replies over the
matters that had to be finished — those replied to in the period plus those still open whose
handling deadline fell in the period and has passed. A matter whose deadline has not come is
not counted either way."""

import datetime

import pytest
from django.urls import reverse

from liaison import clock, workflow
from liaison.figures import unit_figures
from liaison.models import Matter

from .factories import make_matter
from .test_figures import march  # noqa: F401 - the hand-built March of test_figures

D = datetime.date


def at(day, fn):
    with clock.travel(day):
        return fn()


@pytest.fixture
def open_matters(march, actors, enterprise, town):  # noqa: F811
    """G: town handles it from 2 March, due 9 March, never replied. H: from 25 March, due 1 April."""

    def handled(day):
        return at(day, lambda: actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.HANDLING))

    return {"G": handled(D(2026, 3, 2)), "H": handled(D(2026, 3, 25))}


@pytest.mark.django_db
def test_closed_on_time_rate_counts_matters_past_their_deadline_still_open(open_matters, town):
    assert open_matters["G"].due_date == D(2026, 3, 9) and open_matters["H"].due_date == D(2026, 4, 1)
    rows = {
        r["unit"]: r for r in unit_figures(Matter.objects.all(), D(2026, 3, 1), D(2026, 3, 31), today=D(2026, 3, 31))
    }
    t = rows[town]
    # A and F on time, B late, G overdue and open; H not yet due.
    assert (t["closed"], t["closed_on_time"], t["due_unclosed"], t["should_close"]) == (3, 2, 1, 4)
    assert t["closed_on_time_rate"] == 50.0
    # Before G's deadline it is not counted: the rate is over the closed matters alone.
    early = unit_figures(Matter.objects.all(), D(2026, 3, 1), D(2026, 3, 31), by_unit=False, today=D(2026, 3, 9))
    assert early["due_unclosed"] == 0


@pytest.mark.django_db
def test_the_figures_page_defines_the_on_time_rate(login, county_office_user, open_matters):
    with clock.travel(D(2026, 3, 31)):
        page = (
            login(county_office_user)
            .get(reverse("admin:liaison_matter_figures"), {"start": "2026-03-01", "end": "2026-03-31"})
            .content.decode()
        )
    assert "按期办结率" in page and "应办结" in page
    assert "2 / 4 (50.0%)" in page
