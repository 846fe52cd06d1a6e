"""The site-wide search service (搜索即服务).

Write side — every app calls these when something public is published, changed or withdrawn:

    index_object(kind, key, *, title, body, url, summary="", date=None, in_force=True, unit=None,
                 extra_terms="", available_from=None)
    remove_object(kind, key)

Read side — the search page (and any app) calls `search(query, kinds=..., page=...)`.

How Chinese is searched: text is converted to simplified characters (zhconv), NFKC-normalised,
its 文号 brackets made canonical, and segmented with jieba in search mode, with our own
administrative terms (portal/data/search_terms.txt and the synonym table) added to its
dictionary. The words are written straight into a `tsvector` literal with positions and
weights (title A, summary and extra terms B, body C) so that PostgreSQL's parser and locale do
not re-split them; one GIN index serves the `@@` match. Ranking is ts_rank, halved for documents
no longer in force. Short queries also look at titles with ILIKE (pg_trgm GIN); a query that
finds nothing is checked for a one-character slip against titles and known terms and, if a
correction exists, its results are shown with a "did you mean" note.
"""
import dataclasses
import datetime
import functools
import html
import math
import re
import threading
import unicodedata
from collections import Counter
from pathlib import Path

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import BooleanField, ExpressionWrapper, F, FloatField
from django.db.models.expressions import RawSQL
from django.utils.safestring import mark_safe

from .search_models import SearchDocument, SearchSynonym

TERMS_FILE = Path(__file__).resolve().parent / "data" / "search_terms.txt"
MAX_QUERY_LENGTH = 100
MAX_BODY_CHARS = 20000
PAGE_SIZE = 10
SYNONYM_CACHE_KEY = "portal:search-synonyms:v1"
NOT_IN_FORCE_FACTOR = 0.4
RANK_CANDIDATES = 2000
# Counting every match of a broad query (贷款 matches most policies) means reading every
# document; each type's count stops here and shows as "2000+".
COUNT_LIMIT = RANK_CANDIDATES
# The types of document the apps index; each is counted on its own so that a type with few
# matches is counted exactly even when another type has thousands.
KINDS = ("policy", "interpretation", "service_item")

# Every bracket style people type around the year of a 文号 becomes 〔〕.
_OPEN_BRACKETS = "〔[(【［（〖{｛"
_CLOSE_BRACKETS = "〕])】］）〗}｝"
_BRACKET_TABLE = str.maketrans({**{c: "〔" for c in _OPEN_BRACKETS}, **{c: "〕" for c in _CLOSE_BRACKETS}})
DOC_NUMBER_RE = re.compile(r"([\u4e00-\u9fff]{1,15})\s*〔\s*((?:19|20)\d\d)\s*〕\s*(\d{1,5})\s*号")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORDISH = re.compile(r"[\w\u4e00-\u9fff]", re.UNICODE)
_LEXEME_MAX = 60


# --------------------------------------------------------------------------- text


def normalize(text):
    """Simplified characters, half-width forms, lower case, canonical 文号 brackets."""
    import zhconv

    text = unicodedata.normalize("NFKC", text or "")
    text = zhconv.convert(text, "zh-cn")
    return text.translate(_BRACKET_TABLE).lower()


def canonical_doc_number(text):
    """清新府[2012]35号 → 清新府〔2012〕35号 (None when the text holds no 文号)."""
    match = DOC_NUMBER_RE.search(normalize(text))
    if not match:
        return None
    prefix, year, number = match.groups()
    return f"{prefix}〔{year}〕{int(number)}号"


def doc_numbers(normalized_text):
    return [f"{p}〔{y}〕{int(n)}号" for p, y, n in DOC_NUMBER_RE.findall(normalized_text)]


_tokenizer_lock = threading.Lock()


@functools.lru_cache(maxsize=1)
def _base_tokenizer():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _tokenizer_lock:
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        if TERMS_FILE.exists():
            tokenizer.load_userdict(str(TERMS_FILE))
    return tokenizer


def warm_up():
    """Load the segmentation dictionary now (seconds of work) rather than on a first search."""
    _base_tokenizer()


def tokenizer():
    """The jieba tokenizer with our terms (and the synonym table's terms) in its dictionary."""
    tok = _base_tokenizer()
    for term in _synonym_words():
        if term not in tok.FREQ or not tok.FREQ.get(term):
            tok.add_word(term, freq=30000)
    return tok


def _keep(word):
    return bool(word) and len(word) <= _LEXEME_MAX and _WORDISH.search(word) is not None


def words(text, *, normalized=False):
    """Search-mode words of `text` (long words and their sub-words), in order, with 文号s."""
    text = text if normalized else normalize(text)
    out = doc_numbers(text)
    out.extend(w.strip() for w in tokenizer().cut_for_search(text) if _keep(w.strip()))
    return out


def query_words(text):
    """Accurate-mode words of a normalised query (the units the user meant)."""
    return [w.strip() for w in tokenizer().cut(text) if _keep(w.strip())]


def _lexeme_literal(word):
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def build_vector(title, extra, body):
    """A tsvector literal: every word with up to 8 positions, title A, extra B, body C."""
    normalized_title = normalize(title)
    title_words = words(normalized_title, normalized=True) + list(dict.fromkeys(_CJK.findall(normalized_title)))
    return vector_from_words(title_words, words(extra), words(body[:MAX_BODY_CHARS * 2]))


def vector_from_words(title_words, extra_words, body_words):
    """The tsvector literal for already-segmented words (the benchmark's bulk loader uses it)."""
    positions = {}
    pos = 1
    for weight, section_words in (("A", title_words), ("B", extra_words), ("C", body_words)):
        for word in section_words:
            if pos >= 16383:
                break
            slots = positions.setdefault(word, [])
            if len(slots) < 8:
                slots.append(f"{pos}{weight}")
            pos += 1
    return " ".join(f"{_lexeme_literal(w)}:{','.join(p)}" for w, p in positions.items())


# --------------------------------------------------------------------------- write side


def index_object(kind, key, *, title, body, url, summary="", date=None, in_force=True, unit=None,
                 extra_terms="", available_from=None):
    """Add or refresh one document (upsert on kind+key). Call when it is published or changed.

    `available_from`: for something published on a schedule, the moment it may be found.
    """
    body = body or ""
    vector = build_vector(title, f"{summary}\n{extra_terms}", body)
    defaults = dict(title=title[:300], url=url, summary=summary or "", body=body[:MAX_BODY_CHARS], date=date,
                    in_force=in_force, unit=unit, available_from=available_from)
    document, _created = SearchDocument.objects.update_or_create(kind=kind, key=str(key), defaults=defaults)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE portal_searchdocument SET search_vector = %s::tsvector WHERE id = %s",
                       [vector, document.pk])
    return document


def remove_object(kind, key):
    """Take a document out of the index (withdrawn, deleted, made private)."""
    SearchDocument.objects.filter(kind=kind, key=str(key)).delete()


def index_on_commit(kind, key, **fields):
    transaction.on_commit(lambda: index_object(kind, key, **fields))


def remove_on_commit(kind, key):
    transaction.on_commit(lambda: remove_object(kind, key))


# --------------------------------------------------------------------------- synonyms


def _load_synonyms():
    mapping = cache.get(SYNONYM_CACHE_KEY)
    if mapping is None:
        mapping = {}
        for synonym in SearchSynonym.objects.filter(is_active=True):
            mapping[normalize(synonym.term).strip()] = [normalize(t) for t in synonym.official_list]
        cache.set(SYNONYM_CACHE_KEY, mapping, 300)
    return mapping


def clear_synonym_cache():
    cache.delete(SYNONYM_CACHE_KEY)


def _synonym_words():
    try:
        mapping = _load_synonyms()
    except Exception:  # noqa: BLE001 - the table may not exist yet (during migrate)
        return []
    out = []
    for term, officials in mapping.items():
        out.append(term)
        out.extend(officials)
    return out


# --------------------------------------------------------------------------- queries


def _group(word):
    """tsquery text for one word: the word itself, or all of its search-mode sub-words; a short
    word the dictionary does not know also matches titles holding all of its characters (every
    title character is indexed on its own), so one-, two- and three-character queries work."""
    subwords = [w for w in dict.fromkeys(tokenizer().cut_for_search(word)) if _keep(w) and w != word]
    literal = _lexeme_literal(word)
    if not subwords and 2 <= len(word) <= 3 and all(_CJK.match(c) for c in word):
        subwords = list(dict.fromkeys(word))
    if subwords:
        return "(" + literal + " | (" + " & ".join(_lexeme_literal(w) for w in subwords) + "))"
    return literal


def build_tsquery(normalized_query, synonyms):
    """A tsquery literal (every term required; synonyms and 文号s as alternatives) and the
    list of terms to highlight."""
    text = normalized_query
    terms, highlights = [], []
    for number in doc_numbers(text):
        terms.append(_lexeme_literal(number))
        highlights.append(number)
    text = DOC_NUMBER_RE.sub(" ", text)
    for word in query_words(text):
        alternatives = [_group(word)]
        for official in synonyms.get(word, []):
            alternatives.append(_group(official))
            highlights.append(official)
        highlights.append(word)
        terms.append("(" + " | ".join(alternatives) + ")" if len(alternatives) > 1 else alternatives[0])
    # Whole query as a synonym key (e.g. 施工证 cut into 施工/证).
    whole = normalized_query.replace(" ", "")
    if whole in synonyms and not any(w == whole for w in query_words(text)):
        alternatives = " | ".join(_group(o) for o in synonyms[whole])
        terms = ["(" + "(" + " & ".join(terms) + ") | " + alternatives + ")"] if terms else [alternatives]
        highlights.extend(synonyms[whole])
    return " & ".join(terms), [h for h in dict.fromkeys(highlights) if h.strip()]


@dataclasses.dataclass
class Hit:
    kind: str
    key: str
    title: str
    url: str
    date: datetime.date | None
    in_force: bool
    unit_name: str
    rank: float
    title_html: str
    snippet_html: str


@dataclasses.dataclass
class SearchResults:
    query: str = ""
    normalized: str = ""
    hits: list = dataclasses.field(default_factory=list)
    total: int = 0
    counts: dict = dataclasses.field(default_factory=dict)
    capped: frozenset = frozenset()  # types whose count reached COUNT_LIMIT: "at least"
    page: int = 1
    num_pages: int = 0
    kinds: tuple = ()
    suggestion: str = ""
    corrected_from: str = ""
    notice: str = ""  # "empty", "too_long", "no_words"
    truncated: bool = False

    @property
    def total_is_capped(self):
        """The total is a lower bound: some type of the search has more than COUNT_LIMIT."""
        return bool(self.capped & set(self.kinds or KINDS))

    def count_label(self, kind):
        return f"{self.counts.get(kind, 0)}+" if kind in self.capped else str(self.counts.get(kind, 0))

    @property
    def has_previous(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page < self.num_pages


def _highlight(text, terms, *, width=None):
    """HTML-escaped `text` (or a window of `width` characters around the first match) with the
    terms wrapped in <mark>."""
    text = text or ""
    lowered = text.lower()  # documents are simplified already; only the query is converted
    if width is not None and len(text) > width:
        first = min((i for i in (lowered.find(t) for t in terms if t) if i >= 0), default=0)
        start = max(0, first - width // 4)
        end = min(len(text), start + width)
        prefix, suffix = ("…" if start > 0 else ""), ("…" if end < len(text) else "")
        text, lowered = text[start:end], lowered[start:end]
    else:
        prefix = suffix = ""
    spans = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        start = 0
        while (i := lowered.find(term, start)) >= 0:
            end = i + len(term)
            if not any(s < end and i < e for s, e in spans):
                spans.append((i, end))
            start = end
    spans.sort()
    out, last = [], 0
    for s, e in spans:
        out.append(html.escape(text[last:s]))
        out.append("<mark>" + html.escape(text[s:e]) + "</mark>")
        last = e
    out.append(html.escape(text[last:]))
    return mark_safe(html.escape(prefix) + "".join(out) + html.escape(suffix))


def _matching(qs, tsquery):
    return qs.alias(matched=ExpressionWrapper(RawSQL("search_vector @@ %s::tsquery", [tsquery]),
                                              output_field=BooleanField())).filter(matched=True)


def _run(normalized, kinds, page, page_size, synonyms):
    tsquery, highlights = build_tsquery(normalized, synonyms)
    if not tsquery:
        return None
    matched = _matching(SearchDocument.objects.available(), tsquery)
    # One query: up to COUNT_LIMIT + 1 matches of each type (a scan that stops early).
    per_kind = [matched.filter(kind=kind).order_by().values_list("kind", flat=True)[:COUNT_LIMIT + 1]
                for kind in KINDS]
    found = Counter(per_kind[0].union(*per_kind[1:], all=True))
    capped = frozenset(kind for kind, n in found.items() if n > COUNT_LIMIT)
    counts = {kind: min(n, COUNT_LIMIT) for kind, n in found.items()}
    if kinds:
        total = sum(n for kind, n in counts.items() if kind in kinds)
        broad = bool(capped & set(kinds))
        matched = matched.filter(kind__in=list(kinds))
    else:
        total = sum(counts.values())
        broad = bool(capped)
    num_pages = max(1, math.ceil(total / page_size)) if total else 0
    broad = broad or total > RANK_CANDIDATES
    if broad:  # only the candidates are ranked, so only they are paged through
        num_pages = min(num_pages, math.ceil(RANK_CANDIDATES / page_size))
    page = min(max(1, page), num_pages or 1)
    hits = []
    if total:
        rank_sql = (f"ts_rank(search_vector, %s::tsquery) * CASE WHEN in_force THEN 1.0 "
                    f"ELSE {NOT_IN_FORCE_FACTOR} END")
        ranked = matched
        if broad:
            # A broad query (thousands of matches): ranking every match means reading every
            # tsvector. Rank only the newest RANK_CANDIDATES matches (in force first), found
            # by walking the searchdoc_newest index, which bounds the cost.
            newest = matched.order_by("-in_force", F("date").desc(nulls_last=True), "-id").values("id")
            ranked = SearchDocument.objects.filter(id__in=newest[:RANK_CANDIDATES])
        rows = (ranked.select_related("unit")
                .annotate(rank=ExpressionWrapper(RawSQL(rank_sql, [tsquery]), output_field=FloatField()))
                .order_by("-rank", F("date").desc(nulls_last=True), "id")
                .only("kind", "key", "title", "url", "summary", "body", "date", "in_force", "unit__name")
                [(page - 1) * page_size:page * page_size])
        for row in rows:
            source = row.body or row.summary
            hits.append(Hit(kind=row.kind, key=row.key, title=row.title, url=row.url, date=row.date,
                            in_force=row.in_force, unit_name=row.unit.name if row.unit else "", rank=row.rank,
                            title_html=_highlight(row.title, highlights),
                            snippet_html=_highlight(source, highlights, width=120)))
    return total, counts, capped, page, num_pages, hits


def search(query, *, kinds=None, page=1, page_size=PAGE_SIZE):
    """Ranked results for `query`, with per-type counts and a correction when nothing matches."""
    raw = (query or "").strip()
    result = SearchResults(query=raw, kinds=tuple(kinds or ()))
    if not raw:
        result.notice = "empty"
        return result
    if len(raw) > MAX_QUERY_LENGTH:
        raw = raw[:MAX_QUERY_LENGTH]
        result.truncated = True
    normalized = " ".join(normalize(raw).split())
    result.normalized = normalized
    synonyms = _load_synonyms()
    ran = _run(normalized, result.kinds, page, page_size, synonyms)
    if ran is None:
        result.notice = "no_words"
        return result
    result.total, result.counts, result.capped, result.page, result.num_pages, result.hits = ran
    if result.total == 0:
        suggestion = suggest(normalized)
        if suggestion:
            ran = _run(suggestion, result.kinds, page, page_size, synonyms)
            if ran and ran[0]:
                result.total, result.counts, result.capped, result.page, result.num_pages, result.hits = ran
                result.corrected_from = raw
            result.suggestion = suggestion
    return result


# --------------------------------------------------------------------------- did you mean


def _in_dictionary(word):
    tok = tokenizer()
    return bool(tok.FREQ.get(word)) or word in _synonym_words()


def suggest(normalized):
    """A correction of a one-character slip (one substituted, missing, extra or swapped
    character), found in document titles or our known terms; "" when none."""
    compact = normalized.replace(" ", "")
    if not (2 <= len(compact) <= 12) or not _CJK.search(compact):
        return ""
    variants = set()
    for i in range(len(compact)):
        variants.add(compact[:i] + "_" + compact[i + 1:])  # substituted
        if len(compact) > 2:
            variants.add(compact[:i] + compact[i + 1:])  # one extra character typed
    for i in range(1, len(compact)):
        variants.add(compact[:i] + "_" + compact[i:])  # one character missing
        variants.add(compact[:i - 1] + compact[i] + compact[i - 1] + compact[i + 1:])  # swapped
    variants.discard(compact)
    patterns = sorted(variants)
    regexes = [re.compile(re.escape(p).replace("_", ".")) for p in patterns]
    candidates = Counter()
    # Titles the public can see.
    likes = " OR ".join(["title LIKE %s"] * len(patterns))
    escaped = ["%" + p.replace("\\", "\\\\").replace("%", "\\%") + "%" for p in patterns]
    titles = SearchDocument.objects.available().extra(where=[f"({likes})"], params=escaped).values_list(
        "title", flat=True)[:50]
    for title in titles:
        normalized_title = normalize(title)
        for regex in regexes:
            for match in regex.finditer(normalized_title):
                candidates[match.group(0)] += 1
    # Known terms: our dictionary file and the synonym table.
    for term in list(_synonym_words()) + _term_file_words():
        if abs(len(term) - len(compact)) <= 1 and any(r.fullmatch(term) for r in regexes):
            candidates[term] += 3
    candidates.pop(compact, None)
    ranked = [c for c, _n in candidates.most_common() if len(c) >= 2]
    if len(compact) <= 3:  # short words: only corrections that are real words
        ranked = [c for c in ranked if _in_dictionary(c)]
    return ranked[0] if ranked else ""


@functools.lru_cache(maxsize=1)
def _term_file_words():
    if not TERMS_FILE.exists():
        return []
    return [line.split()[0] for line in TERMS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def popular_terms():
    """Suggestions shown on an empty or fruitless search page."""
    return ["政企沟通", "贷款", "税收优惠", "高新技术企业", "营业执照", "公积金", "施工许可", "稳岗补贴"]
