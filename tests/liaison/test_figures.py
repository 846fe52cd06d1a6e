"""The figures' definitions, checked on a hand-built March 2026."""
import datetime

import pytest
from django.urls import reverse

from liaison import clock, workflow
from liaison.figures import totals_of, unit_figures
from liaison.models import Matter, Rating
from liaison.services import matter_transition

from .factories import make_matter

D = datetime.date


def at(day, fn):
    with clock.travel(day):
        return fn()


@pytest.fixture
def march(actors, enterprise, town, department):
    """Town T receives A, B, C, E on Mon 2 March (accept by 4 March) and F on Thu 26 February.

    A accepted 2nd, self-handled, replied 6th (4 working days, on time), rated 非常满意.
    B accepted 5th (late), self-handled (due 12th), replied 13th (9 days, late), rated 不满意.
    C accepted 3rd, referred, assigned to department D (due 10th), replied 10th (6 days, on time), 基本满意.
    E received only.
    F received 26 Feb, self-handled (due 4 March: 28 Feb is an adjusted working day), replied 4 March
      (5 working days, on time), not rated.
    """
    def new():
        return make_matter(enterprise=enterprise, received_by=town)

    a, b, c, e = (at(D(2026, 3, 2), new) for _ in range(4))
    f = at(D(2026, 2, 26), new)
    f = at(D(2026, 2, 26), lambda: actors.drive(f, workflow.HANDLING))
    a = at(D(2026, 3, 2), lambda: actors.drive(a, workflow.HANDLING))
    b = at(D(2026, 3, 5), lambda: actors.drive(b, workflow.HANDLING))
    c = at(D(2026, 3, 3), lambda: actors.drive(c, workflow.ASSIGNED))
    at(D(2026, 3, 4), lambda: actors.perform(f, "reply"))
    at(D(2026, 3, 6), lambda: actors.perform(a, "reply"))
    at(D(2026, 3, 13), lambda: actors.perform(b, "reply"))
    at(D(2026, 3, 10), lambda: actors.perform(c, "reply"))
    for m, rating in ((a, Rating.VERY_SATISFIED), (b, Rating.UNSATISFIED), (c, Rating.FAIRLY_SATISFIED)):
        at(D(2026, 3, 16), lambda m=m, rating=rating: matter_transition(
            matter=m, action="rate", user=actors.enterprise_user, rating=rating, reason="原因"))
    return {"A": a, "B": b, "C": c, "E": e, "F": f}


@pytest.mark.django_db
def test_unit_figures_follow_the_definitions(march, town, department):
    rows = {r["unit"]: r for r in unit_figures(Matter.objects.all(), D(2026, 3, 1), D(2026, 3, 31))}
    t, d = rows[town], rows[department]
    assert (t["received"], t["accepted_on_time"], t["accepted_on_time_rate"]) == (4, 2, 50.0)
    assert (t["closed"], t["closed_on_time"], t["closed_on_time_rate"]) == (3, 2, 66.7)
    assert t["avg_days"] == 6.0  # (4 + 9 + 5) / 3
    assert (t["rated"], t["satisfied"], t["satisfaction_rate"], t["unsatisfied"]) == (2, 1, 50.0, 1)
    assert (d["received"], d["closed"], d["closed_on_time"], d["avg_days"]) == (0, 1, 1, 6.0)
    assert (d["satisfaction_rate"], d["unsatisfied"]) == (100.0, 0)
    county = unit_figures(Matter.objects.all(), D(2026, 3, 1), D(2026, 3, 31), by_unit=False)
    assert (county["received"], county["accepted_on_time"], county["closed"], county["closed_on_time"]) == (4, 2, 4, 3)
    assert county["avg_days"] == 6.0 and county["satisfaction_rate"] == 66.7 and county["unsatisfied"] == 1
    assert totals_of(list(rows.values()))["closed"] == 4


@pytest.mark.django_db
def test_february_counts_only_what_happened_in_february(march, town):
    rows = {r["unit"]: r for r in unit_figures(Matter.objects.all(), D(2026, 2, 1), D(2026, 2, 28))}
    assert rows[town]["received"] == 1 and rows[town]["closed"] == 0


@pytest.mark.django_db
def test_public_figures_page_shows_county_totals_and_definitions(client, march):
    with clock.travel(D(2026, 3, 31)):
        body = client.get(reverse("liaison:figures")).content.decode()
    assert 'class="definitions"' in body and "<svg" in body and "<caption>" in body
    assert "66.7%" in body
