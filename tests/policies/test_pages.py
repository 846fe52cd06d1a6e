"""Public pages: home, list with facets, detail; fixed query counts whatever the data size."""

import datetime

import pytest
from django.utils import timezone

from policies.models import Level, Policy

from .factories import InterpretationFactory, PolicyFactory, indexed, theme


def _many(unit, n, **kwargs):
    policies = [PolicyFactory(unit=unit, themes=[theme(), theme("tax-incentives")], **kwargs) for _ in range(n)]
    for p in policies:
        InterpretationFactory(policy=p)
    return policies


@pytest.mark.parametrize(
    "url",
    [
        "/policies/",
        "/policies/list/",
        "/policies/list/?theme=finance-credit&level=county",
        "/policies/list/?q=企业&sort=relevance",
        "/policies/list/?industry=C&year=2024",
    ],
)
def test_list_pages_run_a_fixed_number_of_queries(client, town, other_town, url, django_assert_max_num_queries):
    _many(town, 1)
    client.get(url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from django.core.cache import cache

    cache.clear()  # measure the uncached path (facet and browse counts are cached briefly)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    _many(town, 15)
    _many(other_town, 15, level=Level.TOWN)
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(one)
    with CaptureQueriesContext(connection) as cached:
        assert client.get(url).status_code == 200
    assert len(cached) <= len(one)


def test_publishing_refreshes_cached_counts(client, town, town_head_user, django_capture_on_commit_callbacks):
    from policies import services

    from .factories import DraftFactory

    draft = DraftFactory(unit=town, themes=[theme()])
    assert client.get("/policies/list/").context["facets"]["theme"] == []
    with django_capture_on_commit_callbacks(execute=True):
        services.policy_publish(policy=draft, user=town_head_user)
    assert client.get("/policies/list/").context["facets"]["theme"] == [("finance-credit", "金融信贷", 1)]


def test_withdrawing_refreshes_cached_counts(client, town, town_head_user, django_capture_on_commit_callbacks):
    from policies import services

    policy = PolicyFactory(unit=town, themes=[theme()], level=Level.TOWN)
    facets = client.get("/policies/list/").context["facets"]
    assert facets["theme"] == [("finance-credit", "金融信贷", 1)] and [v for v, _l, _n in facets["level"]] == ["town"]
    with django_capture_on_commit_callbacks(execute=True):
        services.policy_withdraw(policy=policy, user=town_head_user, reason="文件有误")
    facets = client.get("/policies/list/").context["facets"]
    assert facets["theme"] == [] and facets["level"] == [] and facets["unit"] == [] and facets["year"] == []


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"level": "county"},
        {"unit": "TOWN", "year": "2023"},
        {"industry": "C", "validity": "repealed"},
        {"theme": "finance-credit", "level": "town", "industry": "A"},
    ],
)
def test_each_facet_count_is_what_its_link_lists(client, town, other_town, params):
    """The count beside a facet value is the number of policies its link lists, whatever other
    filters are active (the counts are added up in Python from one grouping query)."""
    from policies.models import Policy

    def at(year):
        return timezone.make_aware(datetime.datetime(year, 6, 1, 9))

    rows = [
        (town, Level.COUNTY, Policy.Validity.IN_FORCE, 2023, ["C"], [theme()]),
        (town, Level.COUNTY, Policy.Validity.REPEALED, 2024, [], [theme("tax-incentives")]),
        (town, Level.TOWN, Policy.Validity.IN_FORCE, 2023, ["A", "C"], [theme(), theme("tax-incentives")]),
        (other_town, Level.TOWN, Policy.Validity.REPEALED, 2023, ["C"], []),
        (other_town, Level.TOWN, Policy.Validity.IN_FORCE, 2022, [], [theme()]),
        (other_town, Level.NATIONAL, Policy.Validity.IN_FORCE, 2024, ["B"], [theme()]),
    ]
    for unit, level, validity, year, industries, themes in rows:
        PolicyFactory(
            unit=unit, level=level, validity=validity, published_at=at(year), industries=industries, themes=themes
        )
    params = {k: str(town.pk) if v == "TOWN" else v for k, v in params.items()}
    facets = client.get("/policies/list/", params).context["facets"]
    checked = 0
    for name, values in facets.items():
        for value, _label, count in values:
            listed = client.get("/policies/list/", {**params, name: value}).context["page"].paginator.count
            assert count == listed, (name, value)
            checked += 1
    assert checked >= 5


def test_detail_page_runs_a_fixed_number_of_queries(client, town):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = PolicyFactory(unit=town, themes=[theme()])
    InterpretationFactory(policy=small)
    big = PolicyFactory(unit=town, themes=[theme(), theme("tax-incentives"), theme("innovation")])
    for _ in range(5):
        InterpretationFactory(policy=big)
    big.related.add(*_many(town, 5))
    PolicyFactory(unit=town, replaced_by=big, validity=Policy.Validity.REPEALED)
    client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        client.get(small.get_absolute_url())
    with CaptureQueriesContext(connection) as many:
        response = client.get(big.get_absolute_url())
    assert response.status_code == 200
    assert len(many) == len(one)


def test_detail_shows_metadata_and_not_in_force_banner(client, town):
    new = PolicyFactory(unit=town, title="新办法")
    old = PolicyFactory(
        unit=town, title="旧办法", doc_number="清新府〔2019〕22号", validity=Policy.Validity.REPEALED, replaced_by=new
    )
    page = client.get(old.get_absolute_url()).content.decode()
    assert "清新府〔2019〕22号" in page and old.index_number in page
    assert "banner-warning" in page and new.get_absolute_url() in page
    assert "banner-warning" not in client.get(new.get_absolute_url()).content.decode()


def test_body_markdown_is_sanitised(client, town):
    policy = PolicyFactory(
        unit=town, body='# 标题\n\n<script>alert(1)</script>\n\n<a href="javascript:x" onclick="y">链接</a>'
    )
    page = client.get(policy.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "javascript:x" not in page and "onclick" not in page
    assert "<h2>标题</h2>" in page


def test_facets_combine_and_count(client, town, other_town):
    PolicyFactory(unit=town, level=Level.COUNTY, themes=[theme()], industries=["C"])
    PolicyFactory(unit=town, level=Level.COUNTY, themes=[theme("tax-incentives")])
    PolicyFactory(unit=other_town, level=Level.TOWN, themes=[theme()], industries=["A"])
    response = client.get("/policies/list/", {"theme": "finance-credit", "level": "county"})
    assert response.context["page"].paginator.count == 1
    facets = response.context["facets"]
    assert ("county", "县级", 1) in facets["level"] or dict((v, n) for v, _l, n in facets["level"])["county"] == 1
    assert dict((v, n) for v, _l, n in facets["level"])["town"] == 1  # other values keep their counts
    industry = dict((v, n) for v, _l, n in client.get("/policies/list/").context["facets"]["industry"])
    assert industry["C"] == 2 and industry["A"] == 2  # the all-industries policy counts under each


def test_bad_filter_values_are_ignored(client, town):
    PolicyFactory(unit=town)
    for params in [
        {"level": "nope"},
        {"unit": "abc"},
        {"year": "99999999999"},
        {"page": "-1"},
        {"sort": "x"},
        {"theme": "nothing"},
        {"q": "'\"%_"},
    ]:
        assert client.get("/policies/list/", params).status_code == 200


def test_home_lists_open_windows_with_days_left(client, town):
    today = timezone.localdate()
    PolicyFactory(
        unit=town,
        title="贴息申报",
        application_opens=today - datetime.timedelta(days=2),
        application_closes=today + datetime.timedelta(days=5),
    )
    PolicyFactory(
        unit=town,
        title="已截止申报",
        application_opens=today - datetime.timedelta(days=20),
        application_closes=today - datetime.timedelta(days=1),
    )
    response = client.get("/policies/")
    assert [p.title for p in response.context["windows"]] == ["贴息申报"]
    assert response.context["windows"][0].days_left == 5


def test_portal_home_shows_the_policies_panel(client, town):
    PolicyFactory(unit=town, title="首页可见的政策")
    assert "首页可见的政策" in client.get("/").content.decode()


def test_enterprise_panel_matches_industry_scale_and_town(login, enterprise, enterprise_user, town, other_town):
    enterprise.industry, enterprise.scale = "C", "small"
    enterprise.save()
    PolicyFactory(unit=town, title="制造业小微政策", industries=["C"], scales=["small", "micro"])
    PolicyFactory(unit=town, title="农业政策", industries=["A"])
    PolicyFactory(unit=town, title="大型企业政策", scales=["large"])
    PolicyFactory(unit=other_town, title="别镇的政策", level=Level.TOWN)
    PolicyFactory(unit=town, title="本镇的政策", level=Level.TOWN)
    PolicyFactory(unit=town, title="已废止政策", validity=Policy.Validity.REPEALED)
    page = login(enterprise_user).get("/my/").content.decode()
    assert "制造业小微政策" in page and "本镇的政策" in page
    for absent in ["农业政策", "大型企业政策", "别镇的政策", "已废止政策"]:
        assert absent not in page


def test_pending_enterprise_user_gets_no_panel(login, pending_enterprise_user, town):
    PolicyFactory(unit=town, title="制造业小微政策")
    assert "制造业小微政策" not in login(pending_enterprise_user).get("/my/").content.decode()


def test_feeds_per_theme_and_unit(client, town, other_town):
    PolicyFactory(unit=town, title="金融政策甲", themes=[theme()])
    PolicyFactory(unit=other_town, title="税收政策乙", themes=[theme("tax-incentives")])
    page = client.get("/policies/feeds/themes/finance-credit/atom/").content.decode()
    assert "金融政策甲" in page and "税收政策乙" not in page
    page = client.get(f"/policies/feeds/units/{other_town.pk}/rss/").content.decode()
    assert "税收政策乙" in page and "金融政策甲" not in page
    assert client.get("/policies/feeds/themes/none/atom/").status_code == 404


def test_list_search_box_uses_the_site_index(client, town):
    indexed(PolicyFactory(unit=town, title="融资贴息办法"))
    indexed(PolicyFactory(unit=town, title="安全生产办法"))
    response = client.get("/policies/list/", {"q": "贷款", "sort": "relevance"})
    assert [p.title for p in response.context["page"].object_list] == ["融资贴息办法"]
    response = client.get("/policies/list/", {"q": "贷款"})
    assert [p.title for p in response.context["page"].object_list] == ["融资贴息办法"]
