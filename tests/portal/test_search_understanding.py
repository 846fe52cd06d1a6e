"""Query understanding in the site search (issue 15): question words, partial matches, the
government-services lexicon, precision, pinyin and English, validity labels and the page
shown when nothing is found."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.core import search
from portal.models import SearchDocument, SearchSynonym
from portal.core.search_lexicon import lexicon_entries


@pytest.fixture
def county(db):
    docs = [
        (
            "policy",
            1,
            "清新县促进中小微企业融资贷款贴息实施办法",
            "对符合条件的中小微企业银行贷款给予贴息，单户每年最高50万元。",
        ),
        (
            "policy",
            2,
            "清远市中小微企业贷款风险补偿资金管理办法",
            "合作银行发放贷款损失给予补偿，通过电子税务局数据授信。",
        ),
        ("policy", 3, "关于延续实施失业保险援企稳岗政策的通知", "符合条件的企业可享受失业保险稳岗返还。"),
        ("policy", 4, "广东省就业补贴申领管理办法", "规范一次性吸纳就业补贴、社会保险补贴等就业补贴的申领。"),
        ("policy", 5, "清新县人才安家补贴办法", "对企业引进的高层次人才给予安家补贴。"),
        ("service_item", 6, "失业保险稳岗返还", "无需申请（免申即享），资金直达企业账户。"),
        ("service_item", 7, "低压非居民用电报装", "网上国网或窗口申请，现场勘查，装表接电。"),
        ("service_item", 8, "建筑工程施工许可证核发", "在线提交，受理，审查，核发施工许可证。"),
        ("policy", 9, "清远市住房公积金缴存管理办法", "规范单位和职工住房公积金缴存比例。"),
        ("service_item", 10, "企业设立登记", "网上申报，审核，领取营业执照。"),
    ]
    for kind, key, title, body in docs:
        search.index_object(kind, key, title=title, body=body, url=f"/{kind}/{key}/")
    search.index_object(
        "policy",
        11,
        title="清新县促进中小微企业融资贷款贴息暂行办法",
        body="贷款贴息。",
        url="/policy/11/",
        in_force=False,
        validity="repealed",
    )
    search.index_object(
        "policy",
        12,
        title="清新县技术改造奖补暂行办法",
        body="技术改造奖补。",
        url="/policy/12/",
        in_force=False,
        validity="amended",
    )
    search.clear_synonym_cache()


def titles(query, **kwargs):
    return [hit.title for hit in search.search(query, **kwargs).hits]


@pytest.mark.parametrize(
    "query, first",
    [
        ("怎么申请贷款贴息", "清新县促进中小微企业融资贷款贴息实施办法"),
        ("施工许可证怎么办", "建筑工程施工许可证核发"),
        ("我想开一家公司要去哪里办", "企业设立登记"),
        ("公积金要怎么交呢", "清远市住房公积金缴存管理办法"),
    ],
)
def test_question_words_and_fillers_are_not_required(county, query, first):
    assert titles(query)[0] == first


def test_a_long_sentence_finds_the_document_covering_most_of_it(county):
    results = search.search("请问县里对中小微企业的银行贷款贴息每年最高能补多少钱，需要准备什么材料，找哪个部门")
    assert results.hits[0].title == "清新县促进中小微企业融资贷款贴息实施办法"
    assert results.partial  # no document holds every word; the page says so


def test_partial_matches_need_most_of_the_query(county):
    # One ordinary word of four is not enough to show a document.
    assert search.search("宠物美容贷款套餐").total == 0


@pytest.mark.parametrize("query", ["通电", "办电", "electricity"])
def test_power_connection_finds_the_electricity_item_not_loans(county, query):
    assert titles(query)[0] == "低压非居民用电报装"


def test_job_retention_subsidy_finds_the_policy_and_the_item_first(county):
    assert set(titles("稳岗补贴")[:2]) == {"关于延续实施失业保险援企稳岗政策的通知", "失业保险稳岗返还"}


def test_an_exact_title_comes_first_even_when_no_longer_in_force(county):
    assert titles("清新县促进中小微企业融资贷款贴息暂行办法")[0] == "清新县促进中小微企业融资贷款贴息暂行办法"
    # Otherwise what is in force comes first.
    assert titles("贷款贴息")[0] == "清新县促进中小微企业融资贷款贴息实施办法"


@pytest.mark.parametrize(
    "query, first",
    [
        ("gongjijin", "清远市住房公积金缴存管理办法"),
        ("zhufanggongjijin", "清远市住房公积金缴存管理办法"),
        ("qysldj", "企业设立登记"),
        ("DAIKUANTIEXI", "清新县促进中小微企业融资贷款贴息实施办法"),
    ],
)
def test_pinyin_and_initials_find_titles(county, query, first):
    assert titles(query)[0] == first


def test_english_words_go_through_the_lexicon(county):
    assert titles("loan")[0] in {"清新县促进中小微企业融资贷款贴息实施办法", "清远市中小微企业贷款风险补偿资金管理办法"}
    assert titles("housing fund")[0] == "清远市住房公积金缴存管理办法"


def test_each_validity_shows_its_own_label(client, county):
    html = client.get(reverse("search"), {"q": "暂行办法"}).content.decode()
    assert "已废止" in html and "已修订" in html and "已失效" not in html


def test_nothing_found_offers_lexicon_terms_guide_topics_and_a_request(client, county):
    response = client.get(reverse("search"), {"q": "消防演练"})
    results = response.context["results"]
    assert results.total == 0 and results.related
    assert all("消防" in term for term in results.related[:3])
    html = response.content.decode()
    assert reverse("liaison:submit") in html  # 反映诉求
    assert f"{reverse('guide:home')}?topic=start_up" in html
    assert "?q=" + results.related[0][:1] in html or results.related[0] in html


def test_zero_result_page_query_count_does_not_grow_with_the_index(client, county, django_assert_num_queries):
    client.get(reverse("search"), {"q": "消防演练"})  # warm caches
    # the index-scan settings, strict count, correction lookup, partial count
    with django_assert_num_queries(4):
        client.get(reverse("search"), {"q": "消防演练"})
    for i in range(30):
        search.index_object("policy", 100 + i, title=f"融资政策{i}", body="贷款", url=f"/p/{i}/")
    with django_assert_num_queries(4):
        client.get(reverse("search"), {"q": "消防演练"})


def test_remove_stale_takes_out_what_was_not_reindexed(db):
    for key in ("1-1", "1-2", "2-1"):
        search.index_object("faq", key, title=f"问题{key}", body="答", url="/g/")
    search.remove_stale("faq", ["1-1"], key_prefix="1-")
    assert set(SearchDocument.objects.filter(kind="faq").values_list("key", flat=True)) == {"1-1", "2-1"}


def test_the_lexicon_is_general_and_seeds_the_synonym_table(db):
    entries = lexicon_entries()
    assert len(entries) >= 500
    terms = dict(entries)
    # Every stage of an enterprise's life and every department has words.
    for word in [
        "开公司",
        "改名",
        "注销公司",
        "报税",
        "社保",
        "公积金",
        "拿地",
        "房产证",
        "施工证",
        "消防证",
        "环评",
        "安全生产",
        "电梯",
        "餐饮许可",
        "商标",
        "进出口权",
        "货运",
        "龙头企业",
        "招工",
        "人才补贴",
        "贷款",
        "通电",
        "政府采购",
        "投诉",
    ]:
        assert word in terms, word
    seeded = set(SearchSynonym.objects.values_list("term", flat=True))
    assert set(terms) <= seeded


def test_load_search_lexicon_keeps_the_county_offices_wording(db):
    SearchSynonym.objects.filter(term="公积金").update(official_terms="住房公积金、公积金中心")
    SearchSynonym.objects.filter(term="环评").delete()
    out = io.StringIO()
    call_command("load_search_lexicon", stdout=out)
    assert SearchSynonym.objects.get(term="公积金").official_terms == "住房公积金、公积金中心"
    assert SearchSynonym.objects.filter(term="环评").exists()
    call_command("load_search_lexicon", "--replace", stdout=out)
    assert SearchSynonym.objects.get(term="公积金").official_terms == dict(lexicon_entries())["公积金"]
