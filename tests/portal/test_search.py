"""The site-wide search: Chinese segmentation, synonyms, traditional characters, 文号 in any
bracket style, short queries, one-character slips, ranking, odd input, query counts."""

import pytest
from django.urls import reverse

from portal.core import search
from portal.models import SearchDocument, SearchSynonym

SEED_BODY = (
    "为深入贯彻落实科学发展观，强化政企沟通，密切政企关系。建立干部走访企业制度。"
    "建立涉企事项交办制度，由县政府提交相应的镇（场）、部门办理。清新县政府门户网站开通涉企政策查询系统。"
)


@pytest.fixture
def docs(db):
    search.index_object(
        "policy",
        1,
        title="关于建立政企沟通制度的实施意见",
        body=SEED_BODY,
        url="/policies/1/",
        summary="建立政企沟通制度",
        extra_terms="清新府〔2012〕35号 清新县人民政府",
    )
    search.index_object(
        "policy",
        2,
        title="清新县促进中小微企业融资贷款贴息实施办法",
        body="对企业银行贷款给予贴息。",
        url="/policies/2/",
        extra_terms="清新府〔2023〕26号",
    )
    search.index_object(
        "policy", 3, title="中小企业信贷风险补偿办法", body="合作银行发放信贷的损失给予补偿。", url="/policies/3/"
    )
    search.index_object(
        "policy", 4, title="清远市住房公积金缴存管理办法", body="单位和职工住房公积金缴存。", url="/policies/4/"
    )
    search.index_object(
        "policy", 5, title="企业开办和企业登记一网通办方案", body="营业执照当天领取。", url="/policies/5/"
    )
    search.index_object(
        "policy", 6, title="建筑工程施工许可告知承诺制实施办法", body="施工许可当场办结。", url="/policies/6/"
    )
    search.index_object(
        "policy", 7, title="旧的贷款贴息暂行办法", body="贷款贴息。", url="/policies/7/", in_force=False
    )
    search.index_object("service_item", "a1", title="税务登记", body="办理涉税事项。", url="/guide/items/1/")
    search.clear_synonym_cache()


def titles(query, **kwargs):
    return [hit.title for hit in search.search(query, **kwargs).hits]


@pytest.mark.parametrize("query", ["政企沟通", "走访", "交办", "清新"])
def test_seed_document_is_found_by_its_words(docs, query):
    assert "关于建立政企沟通制度的实施意见" in titles(query)


@pytest.mark.parametrize(
    "query",
    [
        "清新府〔2012〕35号",
        "清新府[2012]35号",
        "清新府(2012)35号",
        "清新府【2012】35号",
        "清新府（2012）35号",
        "清新府［2012］35号",
    ],
)
def test_doc_number_in_any_bracket_style(docs, query):
    assert titles(query)[0] == "关于建立政企沟通制度的实施意见"


def test_everyday_word_finds_the_official_term(docs):
    found = titles("贷款")
    assert "清新县促进中小微企业融资贷款贴息实施办法" in found
    assert "中小企业信贷风险补偿办法" in found  # only says 信贷: reached through the synonym table
    assert "企业开办和企业登记一网通办方案" in titles("营业执照")
    assert titles("公积金")[0] == "清远市住房公积金缴存管理办法"
    assert titles("施工证") == ["建筑工程施工许可告知承诺制实施办法"]


def test_synonym_added_in_the_admin_table_works(docs):
    assert titles("办证难") == []
    SearchSynonym.objects.create(term="公积金缴纳", official_terms="住房公积金")
    search.clear_synonym_cache()
    assert titles("公积金缴纳") == ["清远市住房公积金缴存管理办法"]


def test_traditional_characters_find_simplified_text(docs):
    assert "关于建立政企沟通制度的实施意见" in titles("政企溝通")
    assert titles("住房公積金")[0] == "清远市住房公积金缴存管理办法"


def test_one_and_two_character_queries(docs):
    assert "税务登记" in titles("税")
    assert "清新县促进中小微企业融资贷款贴息实施办法" in titles("贴息")


def test_one_character_slip_still_finds_the_document(docs):
    results = search.search("政企沟遇")
    assert results.suggestion == "政企沟通"
    assert results.corrected_from == "政企沟遇"
    assert results.hits[0].title == "关于建立政企沟通制度的实施意见"


def test_title_ranks_above_body_and_in_force_above_repealed(docs):
    found = titles("贷款贴息")
    assert found.index("清新县促进中小微企业融资贷款贴息实施办法") < found.index("旧的贷款贴息暂行办法")
    assert titles("走访") == ["关于建立政企沟通制度的实施意见"]


def test_snippet_highlights_matched_words(docs):
    hit = search.search("走访").hits[0]
    assert "<mark>走访" in hit.snippet_html  # 走访 or the lexicon's 走访企业


def test_snippet_escapes_html(db):
    search.index_object("policy", 9, title="<script>标题</script>", body="<b>正文</b> 奖补", url="/p/9/")
    hit = search.search("奖补").hits[0]
    assert "<script>" not in hit.title_html and "&lt;script&gt;" in hit.title_html
    assert "<b>" not in hit.snippet_html


def test_type_filter_and_counts(docs):
    results = search.search("税", kinds=["service_item"])
    assert [h.kind for h in results.hits] == ["service_item"]
    assert results.counts["service_item"] == 1


def test_remove_object(docs):
    search.remove_object("policy", 1)
    assert "关于建立政企沟通制度的实施意见" not in titles("政企沟通")


def test_index_object_is_an_upsert(docs):
    search.index_object("policy", 2, title="改名后的贴息办法", body="贴息", url="/policies/2/")
    assert SearchDocument.objects.filter(kind="policy", key="2").count() == 1
    assert "改名后的贴息办法" in titles("贴息")


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        "%_'\"\\;--",
        "a" * 5000,
        "😀",
        "<script>alert(1)</script>",
        "清新府〔2012〕",
        "')) | ('",
        "&|!():*",
    ],
)
def test_odd_queries_get_a_helpful_page(client, docs, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_empty_query_shows_suggestions(client, docs):
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert "贷款" in response.content.decode()


def test_long_query_is_truncated_with_a_notice(client, docs):
    response = client.get(reverse("search"), {"q": "政企沟通" * 50})
    assert response.context["results"].truncated


def test_pagination_and_shareable_url(client, db):
    for i in range(25):
        search.index_object("policy", 100 + i, title=f"奖补办法{i}", body="奖补", url=f"/p/{i}/")
    response = client.get(reverse("search"), {"q": "奖补", "page": "3", "type": "policy"})
    results = response.context["results"]
    assert results.total == 25 and results.page == 3 and len(results.hits) == 5
    assert client.get(reverse("search"), {"q": "奖补", "page": "999"}).context["results"].page == 3
    assert client.get(reverse("search"), {"q": "奖补", "page": "x"}).status_code == 200


def _make(n, start):
    for i in range(n):
        search.index_object("policy", start + i, title=f"融资政策{i}", body="贷款 融资", url=f"/p/{i}/")


def test_search_page_query_count_is_constant(client, db, django_assert_num_queries):
    _make(1, 0)
    search.clear_synonym_cache()
    client.get(reverse("search"), {"q": "贷款"})  # warm caches (synonyms)
    # the index-scan settings, counts (with the candidates), the first stage's ids, the ranked page
    with django_assert_num_queries(4):
        client.get(reverse("search"), {"q": "贷款"})
    _make(30, 100)
    with django_assert_num_queries(4):
        client.get(reverse("search"), {"q": "贷款"})


def test_broad_queries_rank_a_bounded_candidate_set(db, monkeypatch):
    import datetime

    monkeypatch.setattr(search, "RANK_CANDIDATES", 5)
    monkeypatch.setattr(search, "COUNT_LIMIT", 5)
    for i in range(12):
        search.index_object(
            "policy",
            200 + i,
            title=f"奖补办法{i}",
            body="奖补",
            url=f"/p/{i}/",
            date=datetime.date(2024, 1, 1) + datetime.timedelta(days=i),
        )
    search.index_object("service_item", 300, title="奖补申领", body="奖补", url="/g/1/")
    first = search.search("奖补", page_size=5)
    # Counting stops at COUNT_LIMIT for the type with many matches; the others stay exact.
    assert first.counts == {"policy": 5, "service_item": 1} and first.capped == {"policy"}
    assert first.total_is_capped and first.count_label("policy") == "5+" and first.count_label("service_item") == "1"
    assert len(first.hits) == 5 and first.num_pages == 1  # only the candidates are paged
    # The candidates are the newest of the matches counted (the first COUNT_LIMIT + 1 of a type).
    assert {h.title for h in first.hits} == {f"奖补办法{i}" for i in range(1, 6)}
    assert search.search("奖补", page=3, page_size=5).page == 1
    monkeypatch.setattr(search, "COUNT_LIMIT", 100)  # every match counted: the newest five of all
    assert {h.title for h in search.search("奖补", page_size=5).hits} == {f"奖补办法{i}" for i in range(7, 12)}
    only_items = search.search("奖补", kinds=["service_item"], page_size=5)
    assert only_items.total == 1 and not only_items.total_is_capped


def test_a_broad_search_says_its_count_is_a_lower_bound(db, client, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)
    for i in range(5):
        search.index_object("policy", 400 + i, title=f"融资担保{i}", body="融资担保", url=f"/p/{i}/")
    html = client.get("/search/?q=融资担保").content.decode()
    assert "超过 3 条结果" in html and "(3+)" in html
