"""The search's costs stay bounded as the index grows (bench_search at 100,000 policies):
the partial match is answered by the GIN index alone, long questions keep their most selective
words, and the typo check reads only titles sharing the query's characters."""

from django.db import connection

from portal.core import search
from portal.core.search import Term


def _terms(*weights):
    return [Term(f"w{i}", f"'w{i}'", w) for i, w in enumerate(weights)]


def test_the_covering_tsquery_is_every_smallest_group_holding_half_the_weight():
    assert search._covering_tsquery(_terms(2, 2)) == "('w0') | ('w1')"
    # 4 of 8: any two of the three words of weight 2, or the one of weight 4 …
    groups = set(search._covering_tsquery(_terms(4, 2, 2)).split(" | "))
    assert groups == {"('w0')", "('w1' & 'w2')"}
    # … and groups are smallest: (w0 & w1) is not listed once (w0) alone holds half.
    assert len(search._covering_tsquery(_terms(1, 1, 1, 1, 1, 1)).split(" | ")) == 20  # 3 of 6


def test_partial_match_finds_documents_covering_half_of_the_query_and_no_others(db):
    search.index_object("policy", 1, title="园区企业用水用电保障", body="", url="/p/1/")
    search.index_object("policy", 2, title="园区道路维护", body="", url="/p/2/")
    results = search.search("园区 用水 用电 挂点联系")
    assert results.partial
    assert [h.title for h in results.hits] == ["园区企业用水用电保障"]


def test_a_long_question_keeps_its_most_selective_words(db):
    for i in range(6):
        search.index_object("policy", 10 + i, title=f"融资规模{i}", body="融资 规模 降低 成本", url=f"/p/{i}/")
    search.index_object("policy", 20, title="首贷户培育", body="首贷 扩大", url="/p/20/")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE portal_searchdocument")  # the statistics the estimates come from
    plan = search.plan_query("融资 规模 降低 成本 综合 扩大 首贷", search.load_synonyms())
    capped = search.capped_plan(plan, limit=3)
    assert len(capped.required) == 3
    assert {"首贷", "扩大"} <= {t.text for t in capped.required}  # the rarer words stay
    assert search.capped_plan(plan, limit=10) is plan


def test_a_typo_is_corrected_from_titles_sharing_its_characters(db, monkeypatch):
    search.index_object("policy", 30, title="政企沟通制度", body="", url="/p/30/")
    for i in range(5):
        search.index_object("policy", 40 + i, title=f"企业培训{i}", body="", url=f"/p/{40 + i}/")
    assert search.suggest("政企沟遇") == "政企沟通"
    assert search._titles_like("政企沟遇", ["政企沟_"]) == ["政企沟通制度"]
    assert search._titles_like("x", ["x"]) == []
