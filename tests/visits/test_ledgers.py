"""The visit and meeting ledgers as CSV (UTF-8 with BOM) and XLSX, filtered and scoped."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from portal.models import Official
from tests.factories import OfficialFactory

from .factories import MeetingFactory, VisitFactory, VisitProblemFactory


@pytest.fixture
def visits(town, other_town, enterprise, other_enterprise, town_staff_user, other_town_staff_user):
    colleague = OfficialFactory(unit=town, role=Official.Role.UNIT_STAFF, name="王二")
    first = VisitFactory(
        unit=town,
        enterprise=enterprise,
        date=datetime.date(2026, 3, 31),
        met_persons="陈总",
        officials=[town_staff_user.official, colleague],
        output_value=1500,
        employees=120,
    )
    VisitProblemFactory(visit=first, title="招工难")
    VisitFactory(
        unit=town, enterprise=enterprise, date=datetime.date(2026, 4, 1), met_persons="林经理", officials=[colleague]
    )
    VisitFactory(
        unit=other_town,
        enterprise=other_enterprise,
        date=datetime.date(2026, 4, 2),
        met_persons="别镇接待",
        officials=[other_town_staff_user.official],
    )
    return first, colleague


def _csv(response):
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_visit_ledger_csv_has_bom_chinese_header_and_only_own_units_rows(login, town_staff_user, visits):
    response = login(town_staff_user).get(reverse("visits:ledger_export", args=["visits", "csv"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:4] == ["序号", "走访日期", "走访单位", "企业名称"]
    assert [r[8] for r in rows[1:]] == ["陈总", "林经理"]
    first = rows[1]
    assert first[1] == "2026-03-31" and "王二" in first[7] and first[10] == "1500.00" and first[12] == "120"
    assert "招工难" in first[16]


def test_visit_ledger_filters_by_period_and_official(login, town_staff_user, visits):
    _first, colleague = visits
    client = login(town_staff_user)
    url = reverse("visits:ledger_export", args=["visits", "csv"])
    rows = _csv(client.get(url, {"start": "2026-04-01", "end": "2026-06-30"}))
    assert [r[8] for r in rows[1:]] == ["林经理"]
    rows = _csv(client.get(url, {"official": town_staff_user.official.pk}))
    assert [r[8] for r in rows[1:]] == ["陈总"]
    rows = _csv(client.get(url, {"official": colleague.pk}))
    assert [r[8] for r in rows[1:]] == ["陈总", "林经理"]


def test_county_office_filters_by_unit(login, county_office_user, visits, other_town):
    client = login(county_office_user)
    url = reverse("visits:ledger_export", args=["visits", "csv"])
    assert len(_csv(client.get(url))) == 4
    assert [r[8] for r in _csv(client.get(url, {"unit": other_town.pk}))[1:]] == ["别镇接待"]


def test_a_unit_cannot_ask_for_another_units_ledger(login, town_staff_user, visits, other_town):
    response = login(town_staff_user).get(
        reverse("visits:ledger_export", args=["visits", "csv"]), {"unit": other_town.pk}
    )
    assert response.status_code == 400
    assert "选择" in response.content.decode()


def test_bad_period_gives_400_with_a_chinese_message(login, town_staff_user, visits):
    response = login(town_staff_user).get(reverse("visits:ledgers"), {"start": "2026-06-01", "end": "2026-01-01"})
    assert response.status_code == 400
    assert "结束日期早于开始日期" in response.content.decode()


def test_visit_ledger_xlsx(login, town_staff_user, visits):
    response = login(town_staff_user).get(reverse("visits:ledger_export", args=["visits", "xlsx"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "走访日期" and len(rows) == 3
    assert rows[1][3] == visits[0].enterprise.name


def test_meeting_ledger(login, town_staff_user, town, enterprise, other_town):
    meeting = MeetingFactory(unit=town, title="二季度企业座谈会", date=datetime.date(2026, 6, 5))
    meeting.enterprises_attending.add(enterprise)
    meeting.problems.create(enterprise=enterprise, title="物流成本高", category="transport")
    meeting.decisions.create(text="协调开通园区公交", follow_up_unit=town, follow_up_person="镇长")
    MeetingFactory(unit=other_town, title="别镇座谈会")
    client = login(town_staff_user)
    rows = _csv(client.get(reverse("visits:ledger_export", args=["meetings", "csv"])))
    assert len(rows) == 2
    assert rows[1][3] == "二季度企业座谈会" and "物流成本高" in rows[1][11] and "协调开通园区公交" in rows[1][12]
    response = client.get(reverse("visits:ledger_export", args=["meetings", "xlsx"]))
    assert load_workbook(io.BytesIO(response.content)).active.max_row == 2


def test_ledgers_are_for_officials_only(client, login, enterprise_user):
    url = reverse("visits:ledger_export", args=["visits", "csv"])
    assert client.get(url).status_code == 302
    assert login(enterprise_user).get(url).status_code == 403


def test_ledger_export_queries_do_not_grow(login, town_staff_user, town, enterprise, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(town_staff_user)
    url = reverse("visits:ledger_export", args=["visits", "xlsx"])
    VisitProblemFactory(visit=VisitFactory(unit=town, enterprise=enterprise, officials=[town_staff_user.official]))
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(10):
        VisitProblemFactory(visit=VisitFactory(unit=town, enterprise=enterprise, officials=[town_staff_user.official]))
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(one) == len(many)


def test_ledger_cells_that_look_like_formulas_stay_text_and_dates_are_date_cells(
    login, town_staff_user, town, enterprise
):
    VisitFactory(
        unit=town,
        enterprise=enterprise,
        date=datetime.date(2026, 5, 6),
        met_persons='=HYPERLINK("http://x","y")',
        officials=[town_staff_user.official],
    )
    client = login(town_staff_user)
    rows = _csv(client.get(reverse("visits:ledger_export", args=["visits", "csv"])))
    assert rows[1][8] == '\'=HYPERLINK("http://x","y")' and rows[1][1] == "2026-05-06"
    response = client.get(reverse("visits:ledger_export", args=["visits", "xlsx"]))
    assert response["X-Content-Type-Options"] == "nosniff"
    row = next(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2))
    assert row[8].data_type == "s" and row[8].value.startswith("'=")
    assert row[1].is_date and row[1].value == datetime.datetime(2026, 5, 6)
