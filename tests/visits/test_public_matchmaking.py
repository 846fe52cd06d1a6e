"""政银企对接活动 on the public site: past and coming events and, per event and per institution,
totals only: never an enterprise's name or one need's or match's amount."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.models import FinancialInstitution
from tests.factories import EnterpriseFactory
from visits.models import FinancingMatch, FinancingNeed, MatchmakingEvent

pytestmark = pytest.mark.django_db

DISTINCTIVE_NAME = "清远市翡翠湾陶瓷有限公司"
URL = "/visits/matchmaking/"


def _event(unit, title, days, institutions=()):
    event = MatchmakingEvent.objects.create(
        title=title,
        date=timezone.localdate() + datetime.timedelta(days=days),
        unit=unit,
        place="县政务服务中心多功能厅",
    )
    event.institutions.set(institutions)
    return event


def _need(event, amount, enterprise=None, **match):
    need = FinancingNeed.objects.create(
        enterprise=enterprise or EnterpriseFactory(),
        amount=Decimal(amount),
        purpose="补充流动资金（翡翠湾专用）",
        term_months=12,
        event=event,
    )
    if match:
        FinancingMatch.objects.create(need=need, event=event, **match)
    return need


@pytest.fixture
def events(settings, county_office_unit):
    """A past event with four needs (one from a distinctive enterprise) and their matches, and a
    coming event with one need registered."""
    settings.MATCHMAKING_PUBLIC_MIN_ITEMS = 3
    bank = FinancialInstitution.objects.create(name="清新农商银行", sort_order=1)
    guarantee = FinancialInstitution.objects.create(name="县融资担保公司", sort_order=2)
    past = _event(county_office_unit, "春季政银企对接会", -60, [bank, guarantee])
    _need(
        past,
        "777.77",
        EnterpriseFactory(name=DISTINCTIVE_NAME),
        institution=bank,
        outcome="loan",
        credit_amount=Decimal("613.13"),
        loan_amount=Decimal("512.12"),
    )
    _need(past, "300", institution=guarantee, outcome="credit", credit_amount=Decimal("200"))
    _need(past, "100", institution=bank, outcome="failed", failure_reason="抵押物不足")
    _need(past, "400", institution=bank, outcome="loan", credit_amount=Decimal("300"), loan_amount=Decimal("300"))
    coming = _event(county_office_unit, "冬季政银企对接会", 20, [bank])
    _need(coming, "250")
    return past, coming, bank, guarantee


def test_page_shows_past_and_coming_events_with_totals(events, client):
    past, coming, bank, guarantee = events
    response = client.get(URL)
    assert response.status_code == 200
    data = response.context["data"]
    assert [e.title for e in data.past] == [past.title] and [e.title for e in data.upcoming] == [coming.title]
    figures = data.past[0].figures
    assert figures["need_count"] == 4 and figures["need_amount"] == Decimal("1577.77")
    assert figures["matches"] == 4 and figures["credit_count"] == 3 and figures["loan_count"] == 2
    assert figures["credit"] == Decimal("1113.13")
    assert figures["loans"] is None  # two loans: their total would tell each enterprise's loan
    assert data.totals["need_count"] == 4  # the coming event's need is not a result yet
    institutions = {row["institution__name"]: row for row in data.by_institution}
    assert institutions[bank.name]["matches"] == 3 and institutions[bank.name]["failed"] == 1
    assert institutions[bank.name]["credit"] is None and institutions[guarantee.name]["credit"] is None
    page = response.content.decode()
    assert past.title in page and coming.title in page and "县政务服务中心多功能厅" in page
    assert past.unit.name in page
    assert "1577.77" in page and "1113.13" in page and "少于 3 项" in page


def test_page_shows_no_enterprise_and_no_single_amount(events, client):
    page = client.get(URL).content.decode() + client.get("/interaction/").content.decode()
    assert DISTINCTIVE_NAME not in page and "翡翠湾" not in page
    for amount in ("777.77", "613.13", "512.12", "812.12", "913.13"):  # one need, one match, two loans
        assert amount not in page, amount
    assert "抵押物不足" not in page


def test_page_is_public_cacheable_and_uses_the_site_layout(events, client):
    response = client.get(URL)
    assert "public" in response["Cache-Control"]
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert 'class="breadcrumbs"' in page and 'class="table-wrap"' in page
    assert page.count("<caption>") == 3 and 'scope="col"' in page and 'scope="row"' in page


def test_query_count_does_not_grow_with_events_and_matches(county_office_unit, client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    bank = FinancialInstitution.objects.create(name="甲银行")
    _need(_event(county_office_unit, "一", -10, [bank]), "100", institution=bank, outcome="credit", credit_amount=50)
    with CaptureQueriesContext(connection) as first:
        assert client.get(URL).status_code == 200
    for i in range(6):
        other = FinancialInstitution.objects.create(name=f"乙银行{i}")
        event = _event(county_office_unit, f"活动{i}", -20 - i if i % 2 else 5 + i, [bank, other])
        for k in range(3):
            _need(event, "100", institution=other if k else bank, outcome="loan", credit_amount=80, loan_amount=60)
    with django_assert_num_queries(len(first)):
        assert client.get(URL).status_code == 200


def test_empty_page_says_so(client):
    page = client.get(URL).content.decode()
    assert "目前暂无计划举办的对接活动" in page and "尚未举办政银企对接活动" in page


def test_interaction_page_has_the_matchmaking_panel(events, client):
    past, coming, _bank, _guarantee = events
    page = client.get("/interaction/").content.decode()
    assert reverse("visits:matchmaking") in page
    assert coming.title in page  # the next event
    assert "1113.13" in page  # credit at past events, in total
    assert "812.12" not in page  # two loans only: withheld
