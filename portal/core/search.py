"""The site-wide search service (搜索即服务).

Write side — every app calls these when something public is published, changed or withdrawn:

    index_object(kind, key, *, title, body, url, summary="", date=None, in_force=True, unit=None,
                 extra_terms="", available_from=None, validity="")
    remove_object(kind, key) / remove_stale(kind, keep_keys)

and names, in its AppConfig's `search_indexer` ("module.function"), a function that indexes
everything it owns; `manage.py rebuild_search_index` runs them all after a dictionary change.

Read side — the search page (and any app) calls `search(query, kinds=..., page=...)`.

How Chinese is searched: text is converted to simplified characters (zhconv), NFKC-normalised,
its 文号 brackets made canonical, and segmented with jieba in search mode, with our own
administrative terms (portal/data/search_terms.txt and the synonym table) added to its
dictionary. The words are written straight into a `tsvector` literal with positions and
weights (title A; 文号, 主题词 and other key terms B; summary C; body D) so that PostgreSQL's
parser and locale do not re-split them; one GIN index serves the `@@` match. Titles also carry
their pinyin (full and initials) in a trigram-indexed column.

How a query is understood (`plan_query`): question words and fillers (怎么, 要, 多久, 吗 …) are
dropped; each remaining word may also match its official terms from the lexicon (the synonym
table, seeded from portal/data/search_lexicon.txt); words like 申请 or 流程 are optional. Every
required word must match; when that finds little, documents covering at least half of the
query (by word length) are ranked too. Ranking: how much of the query a document covers,
in its title and key terms above its summary and body, closeness of the words (ts_rank_cd), a
title holding the whole query, lowered for documents no longer in force. A query that finds
nothing is checked for a one-character slip against titles and known terms and, if a correction
exists, its results are shown with a "did you mean" note.

What it costs stays bounded as the index grows (`bench_search`: 100,000 policies): each reading
of the query (strict, corrected, partial) is first only counted, by type and up to COUNT_LIMIT
("1000+"), through the GIN index; the partial match is itself one tsquery (every smallest group
of words covering half the query), so no document is read to decide it; a broad query ranks only
its newest RANK_CANDIDATES matches, by a cheap score, and only the first FULL_RANK_DEPTH get the
full score; a long question keeps its MAX_TERMS most selective words (PostgreSQL's statistics);
the typo check reads only titles having all but one of the query's characters (each title
character is indexed on its own).
"""

import dataclasses
import datetime
import functools
import html
import json
import math
import re
import threading
import time
import unicodedata
from collections import Counter
from pathlib import Path

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import ExpressionWrapper, F, FloatField
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.safestring import mark_safe

from portal.core.search_models import SearchDocument, SearchSynonym

TERMS_FILE = Path(__file__).resolve().parent.parent / "data" / "search_terms.txt"
MAX_QUERY_LENGTH = 100
MAX_BODY_CHARS = 20000
PAGE_SIZE = 10
SYNONYM_CACHE_KEY = "portal:search-synonyms:v1"
LOCAL_SYNONYM_SECONDS = 10
NOT_IN_FORCE_FACTOR = 0.4
# A broad query ranks only its newest RANK_CANDIDATES matches, and only the first FULL_RANK_DEPTH
# of them (by a cheap score) get the full score.
RANK_CANDIDATES = 150
FULL_RANK_DEPTH = 60
# Counting every match of a broad query (贷款 matches most policies) means reading every
# document; each type's count stops here and shows as "1000+".
COUNT_LIMIT = 1000
# A long question keeps at most this many words (the most selective ones) once its fillers are gone.
MAX_TERMS = 5
# A query that finds nothing is checked for a one-character slip against this many titles sharing
# its characters.
SLIP_CANDIDATES = 2000
# The types of document the apps index; each is counted on its own so that a type with few
# matches is counted exactly even when another type has thousands.
KINDS = ("policy", "interpretation", "service_item", "faq", "loan_product", "leader", "contact", "page")
# ts_rank weights for D (body), C (summary), B (文号, 主题词, key terms), A (title).
RANK_WEIGHTS = "{0.1, 0.3, 0.7, 1.0}"
# Fewer strict matches than this: documents that cover part of the query are ranked too.
PARTIAL_BELOW = 3
MIN_COVERAGE = 0.5
PINYIN_MIN_LETTERS = 3
DERIVED_KINDS = ("interpretation", "faq")
DERIVED_FACTOR = 0.9


def _word_set(text):
    return frozenset(text.split())


# Question words and fillers people type around what they look for (怎么申请贷款贴息,
# 企业开办要多久): never required, never matched.
FILLERS = _word_set("""
怎么 怎样 怎么样 怎么办 如何 咋 咋办 咋样 要 需要 需 得 办 弄 搞 做 什么 啥 啥子 什么样 多久 多长时间 多长 几天 多少天 多少钱 多少
哪里 哪儿 在哪 在哪里 去哪 去哪里 哪个 哪些 哪家 吗 呢 吧 啊 呀 嘛 哦 的 地 了 过 着 和 与 及 或 我 我们 我的 咱 你 你们 他们
可以 能 能否 能不能 可不可以 是否 有没有 有 没有 是 不是 请问 请 想 想要 打算 准备 一下 应该 该 去 找 给 在 到 这个 那个 这 那
关于 为什么 为啥 谁 一个 一家 一些 几个 这种 那种 个 家 都 也 还 就 才 又 再 如果 但是 而且 现在 今年 时候 自己 帮 帮忙 告诉 知道 了解 问问 问 一般
""")
# Question phrases taken out of the text before it is cut into words, so that they cannot
# stick to a neighbour (我想开一家公司 would otherwise give 想开).
QUESTION_PHRASES = re.compile(
    "|".join(
        sorted(
            """
请问 我想 我们想 我要 我们要 想问 想知道 怎么样 怎么 怎样 如何 为什么 什么样 什么 多长时间 多久 哪里 哪儿 在哪 去哪 是否 能不能
可不可以 有没有 需不需要 要不要 需要 可以吗 去哪里 在哪里 到哪里 找哪个 哪个部门
""".split(),
            key=len,
            reverse=True,
        )
    )
)
# Words that describe the request rather than its subject: they help ranking but are optional.
SOFT_WORDS = _word_set("""
申请 申报 办理 流程 手续 材料 资料 条件 要求 步骤 程序 规定 办法 政策 相关 有关 问题 事项 情况 具体 最新 企业 公司 单位 服务 标准 时间 时限
费用 收费 地点 地址 电话 网上 在线 清新 清新县 县 本地 新 文件 通知 指南 需要什么 哪些材料
""")

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
    words_ = _synonym_words()
    if _local["in_tokenizer"] is not words_:  # once per version of the synonym table
        for term in words_:
            if term not in tok.FREQ or not tok.FREQ.get(term):
                tok.add_word(term, freq=30000)
        _local["in_tokenizer"] = words_
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


def title_words(title):
    """Words of a title, plus each of its characters (so one- and two-character queries work)."""
    normalized_title = normalize(title)
    return words(normalized_title, normalized=True) + list(dict.fromkeys(_CJK.findall(normalized_title)))


def build_vector(title, key_terms, summary, body):
    """A tsvector literal: every word with up to 8 positions; title A, key terms (文号, 主题词) B,
    summary C, body D."""
    return vector_from_words(title_words(title), words(key_terms), words(summary), words(body[: MAX_BODY_CHARS * 2]))


def title_pinyin(title):
    """Full pinyin and initials of a title's Chinese characters: 住房公积金 → "zhufanggongjijin zfgjj"."""
    from pypinyin import Style, lazy_pinyin

    chinese = "".join(_CJK.findall(normalize(title)))
    if not chinese:
        return ""
    return "".join(lazy_pinyin(chinese)) + " " + "".join(lazy_pinyin(chinese, style=Style.FIRST_LETTER))


def vector_from_words(title_words, key_words, summary_words, body_words=()):
    """The tsvector literal for already-segmented words (the benchmark's bulk loader uses it)."""
    positions = {}
    pos = 1
    for weight, section_words in (("A", title_words), ("B", key_words), ("C", summary_words), ("D", body_words)):
        for word in section_words:
            if pos >= 16383:
                break
            slots = positions.setdefault(word, [])
            if len(slots) < 8:
                slots.append(f"{pos}{weight}")
            pos += 1
    return " ".join(f"{_lexeme_literal(w)}:{','.join(p)}" for w, p in positions.items())


# --------------------------------------------------------------------------- write side


def index_object(
    kind,
    key,
    *,
    title,
    body,
    url,
    summary="",
    date=None,
    in_force=True,
    unit=None,
    extra_terms="",
    available_from=None,
    validity="",
):
    """Add or refresh one document (upsert on kind+key). Call when it is published or changed.

    `extra_terms`: 文号, 主题词 and other key terms (ranked just below the title).
    `available_from`: for something published on a schedule, the moment it may be found.
    `validity`: for a document no longer in force, its own state (e.g. a policy's "repealed").
    """
    body = body or ""
    vector = build_vector(title, extra_terms, summary or "", body)
    defaults = {
        "title": title[:300],
        "url": url,
        "summary": summary or "",
        "body": body[:MAX_BODY_CHARS],
        "date": date,
        "in_force": in_force,
        "unit": unit,
        "available_from": available_from,
        "validity": validity or "",
        "pinyin": title_pinyin(title),
    }
    document, _created = SearchDocument.objects.update_or_create(kind=kind, key=str(key), defaults=defaults)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE portal_searchdocument SET search_vector = %s::tsvector WHERE id = %s", [vector, document.pk]
        )
    return document


def remove_object(kind, key):
    """Take a document out of the index (withdrawn, deleted, made private)."""
    SearchDocument.objects.filter(kind=kind, key=str(key)).delete()


def remove_stale(kind, keep_keys, *, key_prefix=""):
    """Take every document of `kind` (whose key starts with `key_prefix`) that is not in
    `keep_keys` out of the index, after re-indexing all of them (e.g. the current guide edition's
    loan products, or one item's FAQ answers)."""
    SearchDocument.objects.filter(kind=kind, key__startswith=key_prefix).exclude(
        key__in=[str(k) for k in keep_keys]
    ).delete()


def rebuild_all():
    """Run every app's `search_indexer` (it re-indexes all the app puts in the search and returns
    how many documents): [(app label, count), ...]."""
    from django.apps import apps
    from django.utils.module_loading import import_string

    return [
        (config.label, import_string(config.search_indexer)())
        for config in apps.get_app_configs()
        if getattr(config, "search_indexer", None)
    ]


def index_on_commit(kind, key, **fields):
    transaction.on_commit(lambda: index_object(kind, key, **fields))


def remove_on_commit(kind, key):
    transaction.on_commit(lambda: remove_object(kind, key))


# --------------------------------------------------------------------------- synonyms


# This process's copy of the synonym table (re-read from the shared cache at most every few
# seconds: each search would otherwise fetch and unpickle it several times).
_local = {"at": -LOCAL_SYNONYM_SECONDS, "mapping": None, "words": (), "in_tokenizer": None}


def load_synonyms():
    """{term: [synonyms]} from the county office's synonym list (cached until it changes; this
    process keeps its copy for up to LOCAL_SYNONYM_SECONDS)."""
    now = time.monotonic()
    if _local["mapping"] is not None and now - _local["at"] < LOCAL_SYNONYM_SECONDS:
        return _local["mapping"]
    mapping = cache.get(SYNONYM_CACHE_KEY)
    if mapping is None:
        mapping = {}
        for synonym in SearchSynonym.objects.filter(is_active=True):
            mapping[normalize(synonym.term).strip()] = [normalize(t) for t in synonym.official_list]
        cache.set(SYNONYM_CACHE_KEY, mapping, 300)
    if mapping != _local["mapping"]:
        words_ = []
        for term, officials in mapping.items():
            words_.append(term)
            words_.extend(officials)
        _local.update(mapping=mapping, words=tuple(words_), word_set=frozenset(words_))
    _local["at"] = now
    return _local["mapping"]


def clear_synonym_cache():
    cache.delete(SYNONYM_CACHE_KEY)
    forget_local_synonyms()


def forget_local_synonyms():
    """Read the synonym table again at the next search (tests: after a rolled-back change)."""
    _local.update(at=-LOCAL_SYNONYM_SECONDS, mapping=None)


def _synonym_words():
    try:
        load_synonyms()
    except Exception:  # noqa: BLE001 - the table may not exist yet (during migrate)
        return ()
    return _local["words"]


# --------------------------------------------------------------------------- queries


def _group(word):
    """tsquery text for one word: the word itself, or all the pieces it is made of (施工证 →
    施工 & 证); a short word the dictionary does not know also matches titles holding all of its
    characters (every title character is indexed on its own), so one-, two- and three-character
    queries work."""
    subwords = _pieces(word)
    literal = _lexeme_literal(word)
    if not subwords and 2 <= len(word) <= 3 and all(_CJK.match(c) for c in word):
        subwords = list(dict.fromkeys(word))
    if subwords:
        return "(" + literal + " | (" + " & ".join(_lexeme_literal(w) for w in subwords) + "))"
    return literal


def _pieces(word):
    """The fewest shorter words (of its search-mode sub-words) that cover `word`, single
    characters only where no word fits: 建筑工程施工许可 → 建筑 工程 施工 许可, 信用贷款 → 信用 贷款."""
    subwords = {w for w in tokenizer().cut_for_search(word) if _keep(w) and w != word}
    if not subwords:
        return []
    # best[i]: (cost, pieces) covering word[:i]; a single character costs three words.
    best = [(0, [])] + [None] * len(word)
    for i in range(len(word)):
        if best[i] is None:
            continue
        options = [w for w in subwords if word.startswith(w, i)] or [word[i]]
        for piece in options:
            cost = best[i][0] + (3 if len(piece) == 1 else 1)
            end = i + len(piece)
            if best[end] is None or cost < best[end][0]:
                best[end] = (cost, best[i][1] + [piece])
    return [p for p in dict.fromkeys(best[-1][1]) if _keep(p)]


_LEXEME_IN_TSQUERY = re.compile(r"'(?:[^']|'')*'")


def _restricted(tsquery, weights):
    """The same tsquery matching only words of the given weights (e.g. "A": titles)."""
    return _LEXEME_IN_TSQUERY.sub(lambda m: f"{m.group(0)}:{weights}", tsquery)


@dataclasses.dataclass
class Term:
    """One thing the query asks for: a word (with its official terms) or a 文号."""

    text: str
    tsquery: str
    weight: float
    required: bool = True


@dataclasses.dataclass
class QueryPlan:
    terms: list
    highlights: list
    core: str = ""  # the query without fillers and optional words: for titles holding it, corrections
    text: str = ""  # the whole query without spaces: for an exact title
    pinyin: str = ""  # letters that may be pinyin of a title

    @property
    def required(self):
        return [t for t in self.terms if t.required] or self.terms

    @property
    def all_terms(self):
        return " & ".join(t.tsquery for t in self.required)

    @property
    def any_term(self):
        return " | ".join(t.tsquery for t in self.terms)


def _merge_single_characters(tokens):
    """Runs of single Chinese characters jieba could not join (养/猫) become one word again."""
    out, run = [], []
    for token in tokens + [None]:
        if token is not None and len(token) == 1 and _CJK.match(token):
            run.append(token)
            continue
        if len(run) > 1:
            out.append("".join(run))
        else:
            out.extend(run)
        run = []
        if token is not None:
            out.append(token)
    return out


def plan_query(normalized_query, synonyms):
    """What a normalised query asks for (see the module docstring)."""
    text = normalized_query
    terms, highlights = [], []
    for number in doc_numbers(text):
        terms.append(Term(number, _lexeme_literal(number), 4.0))
        highlights.append(number)
    text = DOC_NUMBER_RE.sub(" ", text)
    tokens = query_words(QUESTION_PHRASES.sub(" ", text)) or query_words(text)
    content = [w for w in tokens if w not in FILLERS]
    if not content and not terms:
        content = tokens  # a query made only of question words is searched as typed
    content = _merge_single_characters(content)
    core = "".join(w for w in content if w not in SOFT_WORDS) or "".join(content)
    whole = next((k for k in (" ".join(content), "".join(content)) if k in synonyms and len(content) > 1), None)
    word_terms = []
    for word in content:
        alternatives = [_group(word)]
        for official in synonyms.get(word, []):
            if official != word:
                alternatives.append(_group(official))
                highlights.append(official)
        highlights.append(word)
        single = len(word) == 1 and len(content) > 1  # 纯 in 纯信用贷款: helps ranking, not required
        soft = word in SOFT_WORDS or single
        weight = 1.0 if single else 0.5 if word in SOFT_WORDS else float(min(len(word), 4) if _CJK.search(word) else 2)
        word_terms.append(
            Term(
                word,
                "(" + " | ".join(alternatives) + ")" if len(alternatives) > 1 else alternatives[0],
                weight,
                required=not soft,
            )
        )
    if whole:  # a whole-query lexicon entry (e.g. 施工证 cut into 施工/证)
        together = " & ".join(t.tsquery for t in word_terms)
        alternatives = " | ".join(_group(o) for o in synonyms[whole])
        word_terms = [Term(whole, f"(({together}) | {alternatives})", float(min(len(core), 4)))]
        highlights.extend(synonyms[whole])
    terms.extend(word_terms)
    letters = normalized_query.replace(" ", "")
    pinyin = letters if len(letters) >= PINYIN_MIN_LETTERS and letters.isascii() and letters.isalpha() else ""
    return QueryPlan(
        terms=terms,
        highlights=[h for h in dict.fromkeys(highlights) if h.strip()],
        core=core,
        text=normalized_query.replace(" ", ""),
        pinyin=pinyin,
    )


def _estimated_matches(tsquery):
    """How many documents PostgreSQL's statistics expect `tsquery` to match (planning only)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "EXPLAIN (FORMAT JSON) SELECT 1 FROM portal_searchdocument WHERE search_vector @@ %s::tsquery", [tsquery]
        )
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return plan[0]["Plan"]["Plan Rows"]


def capped_plan(plan, limit=None):
    """A long question keeps its `limit` (MAX_TERMS) most selective required words, by the
    statistics' estimate of how many documents each matches (longer words first among equals),
    and none of its optional ones: the rest add little but cost every match and count."""
    limit = limit or MAX_TERMS
    words_ = [t for t in plan.terms if t.required and not DOC_NUMBER_RE.fullmatch(t.text)]
    if len(words_) <= limit:
        return plan
    ranked = sorted(words_, key=lambda t: (_estimated_matches(t.tsquery), -t.weight))
    kept = {id(t) for t in ranked[:limit]}
    terms = [t for t in plan.terms if id(t) in kept or (t.required and DOC_NUMBER_RE.fullmatch(t.text))]
    return dataclasses.replace(plan, terms=terms)


def build_tsquery(normalized_query, synonyms):
    """A tsquery literal requiring every word of the query (fillers dropped; official terms and
    文号s as alternatives) and the list of terms to highlight."""
    plan = plan_query(normalized_query, synonyms)
    return (plan.all_terms if plan.terms else ""), plan.highlights


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
    validity: str = ""


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
    partial: bool = False  # some results match only part of the query
    related: list = dataclasses.field(default_factory=list)  # lexicon terms to try when nothing is found

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


def _like(text):
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _coverage_sql(terms, weights=None):
    """SQL for the share (0–1, by word weight) of `terms` a document matches, and its params."""
    total = sum(t.weight for t in terms) or 1.0
    parts, params = [], []
    for term in terms:
        parts.append(f"{term.weight / total:.4f} * (search_vector @@ %s::tsquery)::int")
        params.append(_restricted(term.tsquery, weights) if weights else term.tsquery)
    return "(" + " + ".join(parts) + ")", params


def _covering_tsquery(terms, share=MIN_COVERAGE):
    """One tsquery true exactly when a document matches words making up at least `share` of
    `terms` (by weight): the OR of every smallest such group of words, each group's words ANDed.
    The GIN index answers it alone, without reading any document."""
    total = sum(t.weight for t in terms) or 1.0
    members = [[i for i in range(len(terms)) if mask >> i & 1] for mask in range(1, 1 << len(terms))]
    groups = []
    for group in members:
        weight = sum(terms[i].weight for i in group) / total
        if weight + 1e-9 >= share and all(weight - terms[i].weight / total + 1e-9 < share for i in group):
            groups.append("(" + " & ".join(terms[i].tsquery for i in group) + ")")
    return " | ".join(groups)


def _filter_sql(plan, partial):
    """The WHERE condition: every required word (strict), or at least MIN_COVERAGE of the query."""
    sql, params = "search_vector @@ %s::tsquery", [_covering_tsquery(plan.required) if partial else plan.all_terms]
    if plan.pinyin:
        sql, params = f"({sql} OR pinyin LIKE %s)", [*params, _like(plan.pinyin)]
    return sql, params


def _score_sql(plan):
    """Relevance: coverage of the query (anywhere, in titles, in key terms), ts_rank over every
    word, closeness of the words (ts_rank_cd), lowered when not in force; then a title that holds
    the whole query, or is the query, and a pinyin match."""
    coverage, p1 = _coverage_sql(plan.terms)
    complete, p0 = _coverage_sql(plan.required)
    in_title, p2 = _coverage_sql(plan.required, "A")
    in_keys, p3 = _coverage_sql(plan.required, "AB")
    # A title that is mostly the query is more specific than one that also says much else
    # (the policy above its "一图读懂《…》" interpretation).
    share = f"least(1.0, {max(len(plan.core), 1)}.0 / greatest(char_length(portal_searchdocument.title), 1))"
    # Documents covering the whole query come before partial ones; what derives from another
    # document (an interpretation of a policy, an FAQ answer of a guide item) just below it.
    sql = (
        f"(3 * {coverage} + 2 * ({complete} >= 0.999)::int + 2 * {in_title} * (1 + {share}) + {in_keys}"
        f" + ts_rank('{RANK_WEIGHTS}', search_vector, %s::tsquery)"
        f" + ts_rank_cd('{RANK_WEIGHTS}', search_vector, %s::tsquery, 1)"
        f" + {'3 * (pinyin LIKE %s)::int' if plan.pinyin else '0'})"
        f" * CASE WHEN in_force THEN 1.0 ELSE {NOT_IN_FORCE_FACTOR} END"
        f" * CASE WHEN portal_searchdocument.kind IN ({', '.join(repr(k) for k in DERIVED_KINDS)}) THEN {DERIVED_FACTOR} ELSE 1.0 END"
    )
    params = [*p1, *p0, *p2, *p3, plan.any_term, plan.all_terms] + ([_like(plan.pinyin)] if plan.pinyin else [])
    if len(plan.core) >= 2:
        sql += " + 3 * (strpos(lower(portal_searchdocument.title), %s) > 0)::int"
        params.append(plan.core)
    sql += " + 10 * (replace(lower(portal_searchdocument.title), ' ', '') = %s)::int"
    params.append(plan.text)
    return sql, params


def _quick_score_sql(plan):
    """The first-stage score: ts_rank over every word and the title tests (no per-word matching)."""
    sql = (
        f"ts_rank('{RANK_WEIGHTS}', search_vector, %s::tsquery)"
        f" * CASE WHEN in_force THEN 1.0 ELSE {NOT_IN_FORCE_FACTOR} END"
        " + 10 * (replace(lower(portal_searchdocument.title), ' ', '') = %s)::int"
    )
    params = [plan.any_term, plan.text]
    if len(plan.core) >= 2:
        sql += " + 3 * (strpos(lower(portal_searchdocument.title), %s) > 0)::int"
        params.append(plan.core)
    if plan.pinyin:
        sql += " + 3 * (pinyin LIKE %s)::int"
        params.append(_like(plan.pinyin))
    return sql, params


def _apply(result, ran):
    result.total, result.counts, result.capped, result.page, result.num_pages, result.hits = ran


def _count(plan, partial=False):
    """Matches of each type, each counted up to COUNT_LIMIT + 1 in one query (a GIN bitmap scan
    that stops early). Returns a Counted: the counts, the types whose count reached the limit,
    and the matches counted (id, type, title holds the query, in force, date): every match
    unless a count was capped; the candidates a query is ranked from either way."""
    where, where_params = _filter_sql(plan, partial)
    title_holds, title_params = "false", []
    if len(plan.core) >= 2:
        title_holds, title_params = "strpos(lower(title), %s) > 0", [plan.core]
    arm = (
        f"(SELECT id, kind, {title_holds}, in_force, date FROM portal_searchdocument WHERE kind = %s"
        f" AND (available_from IS NULL OR available_from <= %s) AND {where} LIMIT {int(COUNT_LIMIT) + 1})"
    )
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join([arm] * len(KINDS)),
            [p for kind in KINDS for p in (*title_params, kind, now, *where_params)],
        )
        rows = cursor.fetchall()
    found = Counter(row[1] for row in rows)
    capped = frozenset(kind for kind, n in found.items() if n > COUNT_LIMIT)
    return Counted({kind: min(n, COUNT_LIMIT) for kind, n in found.items()}, capped, rows)


@dataclasses.dataclass
class Counted:
    counts: dict
    capped: frozenset
    rows: list


def _candidates(counted, kinds):
    """The RANK_CANDIDATES matches (of the counted ones, of the asked-for types) that are ranked:
    those whose title holds the query, then those in force, newest first. A broad query
    (thousands of matches) ranks no more: ranking means reading each one's tsvector."""
    rows = [row for row in counted.rows if not kinds or row[1] in kinds]
    rows.sort(key=lambda row: (row[2], row[3], row[4] or datetime.date.min, row[0]), reverse=True)
    return [row[0] for row in rows[:RANK_CANDIDATES]]


def _run(plan, kinds, page, page_size, counted):
    """The requested page of ranked results, given the counts (`_count`)."""
    counts, capped = counted.counts, counted.capped
    if kinds:
        total = sum(n for kind, n in counts.items() if kind in kinds)
        broad = bool(capped & set(kinds))
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
        pool = _candidates(counted, kinds)
        # Two stages: a cheap score (ts_rank and the title tests) orders the pool; the full score
        # (coverage, proximity …) reorders only its first FULL_RANK_DEPTH rows, which are the
        # same set whichever page is asked for, so pages further on follow the cheap order.
        quick, quick_params = _quick_score_sql(plan)
        by_quick = (
            SearchDocument.objects.filter(id__in=pool)
            .annotate(rank=ExpressionWrapper(RawSQL(quick, quick_params), output_field=FloatField()))
            .order_by("-rank", F("date").desc(nulls_last=True), "id")
        )
        start = (page - 1) * page_size
        if start + page_size <= FULL_RANK_DEPTH:
            # The first stage's ids are fetched (≤ FULL_RANK_DEPTH numbers): nested IN-subqueries
            # with LIMITs can make PostgreSQL re-run the inner one for every row at scale.
            first = list(by_quick.values_list("id", flat=True)[:FULL_RANK_DEPTH])
            score, score_params = _score_sql(plan)
            ranked = (
                SearchDocument.objects.filter(id__in=first)
                .annotate(rank=ExpressionWrapper(RawSQL(score, score_params), output_field=FloatField()))
                .order_by("-rank", F("date").desc(nulls_last=True), "id")
            )
        else:
            ranked = by_quick
        rows = ranked.select_related("unit").only(
            "kind", "key", "title", "url", "summary", "body", "date", "in_force", "validity", "unit__name"
        )[start : start + page_size]
        for row in rows:
            source = row.body or row.summary
            hits.append(
                Hit(
                    kind=row.kind,
                    key=row.key,
                    title=row.title,
                    url=row.url,
                    date=row.date,
                    in_force=row.in_force,
                    unit_name=row.unit.name if row.unit else "",
                    rank=row.rank,
                    title_html=_highlight(row.title, plan.highlights),
                    snippet_html=_highlight(source, plan.highlights, width=120),
                    validity=row.validity,
                )
            )
    return total, counts, capped, page, num_pages, hits


def _total(counted, kinds):
    return sum(n for kind, n in counted.counts.items() if not kinds or kind in kinds)


def search(query, *, kinds=None, page=1, page_size=PAGE_SIZE):
    """Ranked results for `query`, with per-type counts, a correction when nothing matches, a
    ranked partial match when the strict one finds little, and terms to try instead.

    Each way of reading the query is counted first (one cheap query); only the one shown is
    ranked."""
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
    synonyms = load_synonyms()
    plan = plan_query(normalized, synonyms)
    if not plan.terms:
        result.notice = "no_words"
        return result
    with transaction.atomic(savepoint=False):
        _prefer_index_scans()
        plan = capped_plan(plan)
        _search(result, plan, synonyms, raw, page, page_size)
    return result


def _prefer_index_scans():
    """For this transaction: reach matches through the GIN index, never by reading the table in
    order. PostgreSQL prices `@@` on a stored tsvector as cheap, but each row it tests that way
    means fetching and decompressing its tsvector: a query matching a third of the index, with a
    LIMIT, looks cheaper read in order and is then tens of times slower. (No JIT either: these
    queries are short, compiling them is not.)"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)")


def _search(result, plan, synonyms, raw, page, page_size):
    chosen, counted, partial = plan, _count(plan), False
    if _total(counted, result.kinds) == 0:
        suggestion = suggest(plan.core)
        if suggestion:
            corrected = plan_query(suggestion, synonyms)
            corrected_counts = _count(corrected) if corrected.terms else None
            if corrected_counts and _total(corrected_counts, result.kinds):
                chosen, counted = corrected, corrected_counts
                result.corrected_from = raw
            result.suggestion = suggestion
    if _total(counted, result.kinds) < PARTIAL_BELOW and not result.corrected_from and len(plan.terms) > 1:
        partial_counts = _count(plan, partial=True)
        if _total(partial_counts, result.kinds) > _total(counted, result.kinds):
            counted, partial = partial_counts, True
    result.partial = partial
    _apply(result, _run(chosen, result.kinds, page, page_size, counted))
    if result.total == 0:
        result.related = related_terms(plan.core, synonyms)


def related_terms(core, synonyms, *, limit=8):
    """Lexicon terms sharing two adjacent characters with the query: things to try instead."""
    core = "".join(_CJK.findall(core))
    pairs = {core[i : i + 2] for i in range(len(core) - 1)} or set(core)
    scored = Counter()
    for term, officials in synonyms.items():
        for candidate in (term, *officials):
            if candidate != core and _CJK.search(candidate):
                shared = sum(1 for p in pairs if p in candidate)
                if shared:
                    scored[candidate] = max(scored[candidate], shared)
    return [term for term, _n in sorted(scored.items(), key=lambda kv: (-kv[1], len(kv[0]), kv[0]))[:limit]]


# --------------------------------------------------------------------------- did you mean


def _in_dictionary(word):
    tok = tokenizer()
    return bool(tok.FREQ.get(word)) or word in _synonym_word_set()


def _synonym_word_set():
    return _local.get("word_set", frozenset()) if _synonym_words() else frozenset()


def suggest(normalized):
    """A correction of a one-character slip (one substituted, missing, extra or swapped
    character), found in document titles or our known terms; "" when none."""
    compact = normalized.replace(" ", "")
    if not (2 <= len(compact) <= 12) or not _CJK.search(compact):
        return ""
    variants = set()
    for i in range(len(compact)):
        variants.add(compact[:i] + "_" + compact[i + 1 :])  # substituted
        if len(compact) > 2:
            variants.add(compact[:i] + compact[i + 1 :])  # one extra character typed
    for i in range(1, len(compact)):
        variants.add(compact[:i] + "_" + compact[i:])  # one character missing
        variants.add(compact[: i - 1] + compact[i] + compact[i - 1] + compact[i + 1 :])  # swapped
    variants.discard(compact)
    patterns = sorted(variants)
    regexes = [re.compile(re.escape(p).replace("_", ".")) for p in patterns]
    candidates = Counter()
    for title in _titles_like(compact, patterns):
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


def _titles_like(compact, patterns):
    """Up to 50 titles the public can see holding one of the LIKE `patterns`. Every title
    character is in the index on its own, so the GIN index first finds the documents having all
    but at most one of the query's characters (a one-character slip keeps the others); only the
    first SLIP_CANDIDATES of them are read."""
    chars = list(dict.fromkeys(_CJK.findall(compact)))
    if len(chars) < 2:
        return []
    having = " | ".join(
        "(" + " & ".join(_lexeme_literal(c) for c in chars if c != left_out) + ")" for left_out in chars
    )
    likes = " OR ".join(["title LIKE %s"] * len(patterns))
    escaped = ["%" + p.replace("\\", "\\\\").replace("%", "\\%") + "%" for p in patterns]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT title FROM (SELECT title FROM portal_searchdocument WHERE search_vector @@ %s::tsquery"
            " AND (available_from IS NULL OR available_from <= %s) LIMIT %s) AS candidate"
            f" WHERE {likes} LIMIT 50",
            [having, timezone.now(), SLIP_CANDIDATES, *escaped],
        )
        return [row[0] for row in cursor.fetchall()]


@functools.lru_cache(maxsize=1)
def _term_file_words():
    if not TERMS_FILE.exists():
        return []
    return [line.split()[0] for line in TERMS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def popular_terms():
    """Suggestions shown on an empty or fruitless search page."""
    return ["政企沟通", "贷款", "税收优惠", "高新技术企业", "营业执照", "公积金", "施工许可", "稳岗补贴"]
