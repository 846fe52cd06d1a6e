"""The demo data builds on the portal's demo county, fills coverage and ledgers, and a second
run adds nothing."""

import io

import pytest

from visits.models import FinancingNeed, LiaisonAssignment, Meeting, Visit
from visits.selectors import coverage


@pytest.mark.django_db(transaction=False)
def test_demo_builds_and_is_idempotent():
    from portal import demo as portal_demo
    from visits import demo

    portal_demo.build(io.StringIO())
    demo.build(io.StringIO())
    counts = (
        LiaisonAssignment.objects.count(),
        Visit.objects.count(),
        Meeting.objects.count(),
        FinancingNeed.objects.count(),
    )
    assert counts[0] > 150 and counts[1] > 1000 and counts[2] > 20 and counts[3] > 10
    leaders = LiaisonAssignment.objects.filter(kind="leader", end_date__isnull=True)
    assert set(leaders.values_list("official__user__username", flat=True)) == {
        "leader_liang",
        "leader_he",
        "leader_zhou",
    }
    data = coverage()
    assert data.totals["assigned"] > 150 and all(point["visited"] > 0 for point in data.trend)
    demo.build(io.StringIO())
    assert (
        LiaisonAssignment.objects.count(),
        Visit.objects.count(),
        Meeting.objects.count(),
        FinancingNeed.objects.count(),
    ) == counts
