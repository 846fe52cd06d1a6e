"""Measuring the site search against an evaluation set (portal/data/search_eval.tsv).

Each line: kind of query <TAB> query as a user types it <TAB> what it should find, several
separated by |, each as `文号:清新府〔2023〕26号` (a policy by its document number) or
`标题:…` (any document by its exact title); `-` means the query should find nothing.
Expected documents are named by such stable keys, never by database ids.

Scores: MRR (1/rank of the first expected document among the first 10 results, 0 if none) and
recall@5 (the share of the expected documents among the first 5, out of at most 5); the
should-find-nothing queries instead count how many showed any result.
"""

import dataclasses
from collections import defaultdict
from pathlib import Path

from portal.core import search
from portal.core.search_models import SearchDocument

EVAL_FILE = Path(__file__).resolve().parent.parent / "data" / "search_eval.tsv"
NOTHING = "-"


@dataclasses.dataclass
class Case:
    kind: str
    query: str
    expected: list  # the identifiers as written
    line: int


@dataclasses.dataclass
class Outcome:
    case: Case
    found: list  # [(kind, key, title)] of the first results
    wanted: set  # {(kind, key)}
    reciprocal_rank: float = 0.0
    recall: float = 0.0
    total: int = 0

    @property
    def expects_nothing(self):
        return self.case.expected == [NOTHING]

    @property
    def passed(self):
        return self.total == 0 if self.expects_nothing else self.reciprocal_rank == 1.0


@dataclasses.dataclass
class Report:
    outcomes: list
    missing: list  # identifiers of the evaluation set that name no indexed document

    def _scored(self, kind=None):
        return [o for o in self.outcomes if not o.expects_nothing and (kind is None or o.case.kind == kind)]

    def mrr(self, kind=None):
        scored = self._scored(kind)
        return sum(o.reciprocal_rank for o in scored) / len(scored) if scored else 1.0

    def recall_at_5(self, kind=None):
        scored = self._scored(kind)
        return sum(o.recall for o in scored) / len(scored) if scored else 1.0

    @property
    def nothing_failures(self):
        return [o for o in self.outcomes if o.expects_nothing and o.total]

    @property
    def kinds(self):
        return list(dict.fromkeys(o.case.kind for o in self.outcomes))


def read_cases(path=EVAL_FILE):
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise ValueError(f"{path}:{number}: expected 3 tab-separated columns")
        kind, query, expected = (p.strip() for p in parts)
        cases.append(Case(kind, query, [e.strip() for e in expected.split("|") if e.strip()], number))
    return cases


def _resolve(identifier, titles, numbers):
    prefix, _sep, value = identifier.partition(":")
    if prefix == "文号":
        return numbers.get(search.canonical_doc_number(value) or value, set())
    if prefix == "标题":
        return titles.get(value, set())
    raise ValueError(f"unknown identifier {identifier!r}: use 文号:… or 标题:…")


def _document_numbers():
    """Canonical 文号 → {("policy", key)} (the policies app owns document numbers)."""
    from django.apps import apps

    numbers = defaultdict(set)
    if apps.is_installed("policies"):
        Policy = apps.get_model("policies", "Policy")
        for pk, number in Policy.objects.exclude(doc_number="").values_list("pk", "doc_number"):
            numbers[search.canonical_doc_number(number) or number].add(("policy", str(pk)))
    return numbers


def evaluate(cases=None, *, depth=10):
    cases = read_cases() if cases is None else cases
    titles = defaultdict(set)
    for kind, key, title in SearchDocument.objects.values_list("kind", "key", "title"):
        titles[title].add((kind, key))
    numbers = _document_numbers()
    outcomes, missing = [], []
    for case in cases:
        wanted = set()
        if case.expected != [NOTHING]:
            for identifier in case.expected:
                resolved = _resolve(identifier, titles, numbers)
                if not resolved:
                    missing.append(f"line {case.line}: {identifier}")
                wanted |= resolved
        result = search.search(case.query, page_size=depth)
        found = [(h.kind, h.key, h.title) for h in result.hits]
        outcome = Outcome(case, found, wanted, total=result.total)
        ranks = [i for i, (kind, key, _t) in enumerate(found, start=1) if (kind, key) in wanted]
        if ranks:
            outcome.reciprocal_rank = 1 / ranks[0]
        if wanted:
            outcome.recall = sum(1 for r in ranks if r <= 5) / min(len(wanted), 5)
        outcomes.append(outcome)
    return Report(outcomes, missing)
