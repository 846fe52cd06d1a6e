"""The search evaluation set (portal/data/search_eval.tsv) on the demo county: the quality bar
of issue 15 (MRR ≥ 0.95, recall@5 ≥ 0.97, nothing found for the queries that should find
nothing), measured the way `manage.py evaluate_search` measures it."""

import io

import pytest
from django.core.management import call_command

from portal.core import search
from portal.core.search_eval import NOTHING, evaluate, read_cases


def _build_demo_county():
    from guide import demo as guide_demo
    from policies import demo as policies_demo
    from portal import demo as portal_demo

    out = io.StringIO()
    portal_demo.build_institutions()
    portal_demo.build_units()
    policies_demo.build(out)
    guide_demo.build(out)
    search.clear_synonym_cache()
    search.rebuild_all()  # what the demo's after-commit indexing does


def test_evaluation_set_is_large_and_varied():
    cases = read_cases()
    assert len(cases) >= 150
    kinds = {c.kind for c in cases}
    assert {"question", "colloquial", "typo", "traditional", "docnumber", "short", "none"} <= kinds
    assert sum(1 for c in cases if c.expected == [NOTHING]) >= 5
    # Expected results are named by stable keys, never database ids.
    assert all(e == NOTHING or e.startswith(("文号:", "标题:")) for c in cases for e in c.expected)


@pytest.mark.django_db
def test_search_quality_on_the_demo_county():
    _build_demo_county()
    report = evaluate()
    assert report.missing == []  # every expected document exists in the demo county
    failures = [
        (o.case.query, [t for _k, _key, t in o.found[:3]])
        for o in report.outcomes
        if not o.passed and not o.expects_nothing
    ]
    assert report.mrr() >= 0.95, failures
    assert report.recall_at_5() >= 0.97, failures
    assert [o.case.query for o in report.nothing_failures] == []
    out = io.StringIO()
    call_command("evaluate_search", stdout=out)
    printed = out.getvalue()
    assert "ALL" in printed and "question" in printed and "should find nothing but did: 0" in printed
