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
        at(
            D(2026, 3, 16),
            lambda m=m, rating=rating: matter_transition(
                matter=m, action="rate", user=actors.enterprise_user, rating=rating, reason="原因"
            ),
        )
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


@pytest.mark.django_db
def test_acceptance_timeliness_counts_only_decided_matters(actors, enterprise, town):
    """受理及时率 as the 12345 hotline assesses it: a matter still within its acceptance limit is
    neither on time nor late; one past its limit unaccepted is late."""

    def new():
        return make_matter(enterprise=enterprise, received_by=town)

    on_time = at(D(2026, 3, 2), new)
    at(D(2026, 3, 2), lambda: actors.perform(on_time, "accept"))
    late = at(D(2026, 3, 2), new)  # accept by 4 March, never accepted
    fresh = at(D(2026, 3, 9), new)  # accept by 11 March
    row = unit_figures(Matter.objects.all(), D(2026, 3, 1), D(2026, 3, 31), by_unit=False, today=D(2026, 3, 10))
    assert (row["received"], row["accepted_on_time"], row["acceptance_decided"]) == (3, 1, 2)
    assert row["accepted_on_time_rate"] == 50.0  # not 33.3: the fresh matter is not late
    assert late.pk and fresh.pk
    at(D(2026, 3, 10), lambda: actors.perform(fresh, "accept"))
    row = unit_figures(Matter.objects.all(), D(2026, 3, 1), D(2026, 3, 31), by_unit=False, today=D(2026, 3, 10))
    assert (row["accepted_on_time"], row["acceptance_decided"], row["accepted_on_time_rate"]) == (2, 3, 66.7)


@pytest.mark.django_db
def test_completion_rate_and_both_ratings_are_kept(march, actors):
    """办结率 over the matters received; a 差评 stays in the history and in the first-rating
    figure after 重办 and a better second rating."""
    b = march["B"]
    b = at(D(2026, 3, 17), lambda: actors.perform(b, "reopen", workdays=3))
    assert b.rating is None and b.first_rating == Rating.UNSATISFIED
    b = at(D(2026, 3, 18), lambda: actors.perform(b, "reply"))
    b = at(
        D(2026, 3, 19),
        lambda: matter_transition(
            matter=b, action="rate", user=actors.enterprise_user, rating=Rating.SATISFIED, reason=""
        ),
    )
    history = list(b.ratings.values_list("rating", "reason"))
    assert history == [(Rating.UNSATISFIED, "原因"), (Rating.SATISFIED, "")]
    county = unit_figures(Matter.objects.all(), D(2026, 3, 1), D(2026, 3, 31), by_unit=False, today=D(2026, 3, 31))
    assert county["completed"] == 3 and county["completion_rate"] == 75.0  # A, B, C of A, B, C, E
    assert (county["first_rated"], county["first_satisfied"], county["first_satisfaction_rate"]) == (3, 2, 66.7)
    assert (county["rated"], county["satisfied"], county["satisfaction_rate"]) == (3, 3, 100.0)


@pytest.mark.django_db
def test_the_figures_page_shows_the_new_rates_and_their_definitions(login, county_office_user, march):
    page = (
        login(county_office_user)
        .get(reverse("admin:liaison_matter_figures"), {"start": "2026-03-01", "end": "2026-03-31"})
        .content.decode()
    )
    for text in ("办结率", "首次评价满意率", "尚未到受理时限的事项不计入"):
        assert text in page


@pytest.mark.django_db
def test_the_rating_history_shows_on_the_change_page(login, county_office_user, march, actors):
    b = at(D(2026, 3, 17), lambda: actors.perform(march["B"], "reopen", workdays=3))
    page = login(county_office_user).get(reverse("admin:liaison_matter_change", args=[b.pk])).content.decode()
    section = page.split('id="matter-ratings"')[1].split("</table>")[0]
    assert "不满意" in section and "原因" in section
