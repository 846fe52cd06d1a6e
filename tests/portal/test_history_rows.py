"""History pages (django-simple-history) of rows saved before change reasons were made
blank: a missing reason, user or old value shows "—", never "None" (issue 13, item 12)."""

import datetime
import re

import pytest
from django.urls import reverse

from tests.visits.factories import VisitFactory


@pytest.mark.django_db
def test_an_old_history_row_without_reason_or_user_shows_a_dash(login, town_staff_user, enterprise, town):
    visit = VisitFactory(
        unit=town, enterprise=enterprise, date=datetime.date(2026, 3, 2), officials=[town_staff_user.official]
    )
    visit.operation_notes = "第二次记录"
    visit.save()
    # As an older release stored them: NULL reason, no user, an empty field as NULL.
    visit.history.all().update(history_change_reason=None, history_user=None)
    client = login(town_staff_user)
    page = client.get(reverse("admin:visits_visit_history", args=[visit.pk])).content.decode()
    table = page.split('id="change-history"')[1].split("</table>")[0]
    assert "None" not in table and not re.search(r">\s*无\s*<", table)
    assert table.count("—") >= 4  # two rows: reason and user each
    assert "修改内容" in page and "Changes" not in page
