"""Reads of the policies app. Every public read starts from `Policy.objects.published()` or
`visible_to(user)`; each function runs a fixed number of queries whatever the data size."""

import dataclasses
import datetime
import hashlib

from django.contrib.postgres.fields import ArrayField
from django.core.cache import cache
from django.db.models import BigIntegerField, CharField, Count, Exists, F, Func, Max, OuterRef, Prefetch, Q, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from django.db.models.functions import ExtractYear
from django.utils import timezone

from portal.core import page_cache
from portal.models import Industry, Unit
from portal.core.params import int_param, year_param
from portal.core.workdays import add_workdays

from .models import (
    DISCLOSURE_LIMIT_WORKDAYS,
    INTERPRETATION_DUE_WORKDAYS,
    Attachment,
    Interpretation,
    Level,
    Policy,
    Theme,
)

SORTS = {"date": ("-published_at", "-id"), "oldest": ("published_at", "id"), "title": ("title", "id")}
FACETS = ("level", "unit", "theme", "industry", "validity", "year")
RELEVANCE_LIMIT = 500
COUNTS_CACHE_SECONDS = 120
COUNTS_VERSION_KEY = "policies:counts-version"


def counts_version():
    """The version of the cached facet and browse counts: this process's counter, and with the
    page cache on, the shared version of the policies' pages (portal/core/page_cache.py), which any
    change to policies or themes through any server process moves."""
    local = cache.get_or_set(COUNTS_VERSION_KEY, 1, None)
    shared = page_cache.shared_version("policies")
    return f"{local}-{shared}" if shared else local


def bump_counts_version():
    """Publication, withdrawal and changes make the cached facet and browse counts stale."""
    try:
        cache.incr(COUNTS_VERSION_KEY)
    except ValueError:
        cache.set(COUNTS_VERSION_KEY, 2, None)


@dataclasses.dataclass
class PolicyFilters:
    level: str = ""
    unit: int | None = None
    theme: str = ""
    industry: str = ""
    validity: str = ""
    year: int | None = None
    q: str = ""
    sort: str = "date"

    @classmethod
    def from_query(cls, params):
        """Read filters from a query string; unknown or malformed values are ignored."""
        level = params.get("level", "")
        validity = params.get("validity", "")
        industry = params.get("industry", "")
        sort = params.get("sort", "date")
        return cls(
            level=level if level in Level.values else "",
            unit=int_param(params, "unit"),
            theme=params.get("theme", "")[:40],
            industry=industry if industry in Industry.values else "",
            validity=validity if validity in Policy.Validity.values else "",
            year=year_param(params, "year"),
            q=" ".join(params.get("q", "").split())[:100],
            sort=sort if sort in (*SORTS, "relevance") else "date",
        )

    def active(self):
        return {name: getattr(self, name) for name in FACETS if getattr(self, name)}


def _apply(qs, filters, skip=None):
    if filters.level and skip != "level":
        qs = qs.filter(level=filters.level)
    if filters.unit and skip != "unit":
        qs = qs.filter(unit_id=filters.unit)
    if filters.theme and skip != "theme":
        qs = qs.filter(
            Exists(Policy.themes.through.objects.filter(policy_id=OuterRef("pk"), theme__slug=filters.theme))
        )
    if filters.industry and skip != "industry":
        qs = qs.filter(Q(industries=[]) | Q(industries__contains=[filters.industry]))
    if filters.validity and skip != "validity":
        qs = qs.filter(validity=filters.validity)
    if filters.year and skip != "year":
        qs = qs.filter(published_on__year=filters.year)
    return qs


def _search_keys(q):
    """Policy ids matching `q` in the site index, with their rank (a subquery, no extra round trip)."""
    from portal.core import search
    from portal.models import SearchDocument

    normalized = " ".join(search.normalize(q).split())
    tsquery, _highlights = search.build_tsquery(normalized, search.load_synonyms())
    if not tsquery:
        return None, None
    docs = (
        SearchDocument.objects.filter(kind="policy")
        .alias(m=RawSQL("search_vector @@ %s::tsquery", [tsquery]))
        .filter(m=True)
    )
    rank = RawSQL("ts_rank(search_vector, %s::tsquery)", [tsquery])
    return docs, rank


def policy_list(filters, *, user=None):
    """The filtered, sorted list (a queryset to paginate) and the facet counts."""
    base = Policy.objects.published()
    search_docs = None
    if filters.q:
        search_docs, rank = _search_keys(filters.q)
        if search_docs is None:
            base = base.none()
        else:
            if filters.sort == "relevance":
                # The most relevant RELEVANCE_LIMIT documents, in rank order (one query).
                keys = [
                    int(k)
                    for k in search_docs.annotate(r=rank).order_by("-r").values_list("key", flat=True)[:RELEVANCE_LIMIT]
                    if k.isdigit()
                ]
                base = base.filter(pk__in=keys).annotate(
                    relevance=Func(
                        Value(keys or [0], output_field=ArrayField(BigIntegerField())),
                        F("pk"),
                        function="array_position",
                        output_field=BigIntegerField(),
                    )
                )
            else:
                # EXISTS on the index's (kind, key) key rather than IN over every matching key
                # cast to a number: no de-duplication of up to 100,000 keys in each query, and
                # PostgreSQL may look a policy's document up when other filters are narrow.
                base = base.filter(Exists(search_docs.filter(key=Cast(OuterRef("pk"), CharField()))))
    qs = _apply(base, filters)
    if filters.sort == "relevance" and filters.q and search_docs is not None:
        qs = qs.order_by("relevance", "-published_at", "-id")
    else:
        qs = qs.order_by(*SORTS.get(filters.sort, SORTS["date"]))
    digest = hashlib.md5(repr(sorted(vars(filters).items())).encode(), usedforsecurity=False).hexdigest()
    key = f"policies:facets:{counts_version()}:{digest}"
    facets = cache.get(key)
    if facets is None:
        facets = facet_counts(base, filters)
        cache.set(key, facets, COUNTS_CACHE_SECONDS)
    return qs.select_related("unit").prefetch_related("themes"), facets


def facet_counts(base, filters):
    """Counts per value of each facet, given every other active filter (3 queries): the themes,
    one grouping of the policies by the other five facets together (one pass, a few thousand
    groups at most) from which each facet's counts are added up here, and the units' names."""
    facets = {}
    rows = (
        Theme.objects.filter(policies__in=_apply(base, filters, skip="theme").values("pk"))
        .annotate(n=Count("policies"))
        .order_by("sort_order", "name")
        .values_list("slug", "name", "n")
    )
    facets["theme"] = list(rows)
    only_theme = PolicyFilters(theme=filters.theme)
    # Without the unit's name in the grouping, PostgreSQL hashes the groups instead of sorting
    # every row on disk; the few units' names come from their own small query.
    groups = list(
        _apply(base, only_theme)
        .order_by()
        .annotate(y=ExtractYear("published_on"))
        .values_list("level", "unit", "validity", "y", "industries")
        .annotate(n=Count("id"))
    )
    unit_names = dict(Unit.objects.values_list("pk", "name"))

    def matching(skip):
        """The groups that pass every active filter but `skip`'s, as _apply() filters them."""
        for level, unit, validity, year, industries, n in groups:
            if (
                filters.level
                and skip != "level"
                and level != filters.level
                or filters.unit
                and skip != "unit"
                and unit != filters.unit
                or filters.industry
                and skip != "industry"
                and industries
                and filters.industry not in industries
                or filters.validity
                and skip != "validity"
                and validity != filters.validity
                or filters.year
                and skip != "year"
                and year != filters.year
            ):
                continue
            yield level, unit, validity, year, industries, n

    counts = {}
    for level, *_rest, n in matching("level"):
        counts[level] = counts.get(level, 0) + n
    facets["level"] = [(v, label, counts[v]) for v, label in Level.choices if counts.get(v)]
    units = {}
    for _level, unit, *_rest, n in matching("unit"):
        units.setdefault(unit, [unit_names.get(unit), 0])[1] += n
    facets["unit"] = sorted(((k, v[0], v[1]) for k, v in units.items()), key=lambda t: (-t[2], t[1]))
    # A policy for every industry (empty list) counts under each industry, as the filter does.
    counts, everyone = {}, 0
    for *_rest, industries, n in matching("industry"):
        if not industries:
            everyone += n
        for code in set(industries):
            counts[code] = counts.get(code, 0) + n
    facets["industry"] = [
        (code, label, counts.get(code, 0) + everyone)
        for code, label in Industry.choices
        if counts.get(code, 0) + everyone
    ]
    counts = {}
    for _level, _unit, validity, *_rest, n in matching("validity"):
        counts[validity] = counts.get(validity, 0) + n
    facets["validity"] = [(v, label, counts[v]) for v, label in Policy.Validity.choices if counts.get(v)]
    counts = {}
    for _level, _unit, _validity, year, _industries, n in matching("year"):
        if year:
            counts[year] = counts.get(year, 0) + n
    facets["year"] = [(y, y, counts[y]) for y in sorted(counts, reverse=True)]
    return facets


def policy_detail(pk, user):
    """The policy with everything its page shows, or None (fixed number of queries)."""
    return (
        Policy.objects.visible_to(user)
        .select_related("unit", "replaced_by")
        .prefetch_related(
            "themes",
            "attachments",
            "interpretations",
            "changes",
            Prefetch("replaces", queryset=Policy.objects.published().only("id", "title", "replaced_by")),
            Prefetch("related", queryset=Policy.objects.published().only("id", "title", "published_on", "validity")),
        )
        .filter(pk=pk)
        .first()
    )


def interpretation_detail(pk, user):
    return (
        Interpretation.objects.select_related("policy", "policy__unit")
        .filter(policy__in=Policy.objects.visible_to(user), pk=pk)
        .first()
    )


def attachment_by_pk(pk):
    """The attachment to download; whether the user may is the rule's (policies/rules.py)."""
    return Attachment.objects.select_related("policy").filter(pk=pk).first()


def next_scheduled_publication():
    """When the next policy published ahead of time appears (None: none is waiting)."""
    return (
        Policy.objects.filter(status=Policy.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def latest_policies(limit=8):
    return list(Policy.objects.published().select_related("unit").order_by("-published_at", "-id")[:limit])


def open_windows(limit=8, today=None):
    today = today or timezone.localdate()
    return list(
        Policy.objects.published()
        .with_open_window(today)
        .select_related("unit")
        .order_by("application_closes", "id")[:limit]
    )


def browse_counts():
    """Themes, levels and issuing units with their number of published policies (cached for
    two minutes, and refreshed at once when something is published or withdrawn)."""
    key = f"policies:browse:{counts_version()}"
    counts = cache.get(key)
    if counts is None:
        counts = _browse_counts()
        cache.set(key, counts, COUNTS_CACHE_SECONDS)
    return counts


def _browse_counts():
    published = Policy.objects.published()
    themes = list(
        Theme.objects.annotate(n=Count("policies", filter=Q(policies__in=published.values("pk")))).order_by(
            "sort_order", "name"
        )
    )
    level_counts = dict(published.order_by().values_list("level").annotate(n=Count("id")).values_list("level", "n"))
    levels = [(v, label, level_counts.get(v, 0)) for v, label in Level.choices]
    units = list(
        Unit.objects.filter(policies__in=published.values("pk"))
        .annotate(n=Count("policies"))
        .order_by("sort_order", "name")
        .values_list("pk", "name", "n")
    )
    return themes, levels, units


def policies_for_enterprise(enterprise, limit=10):
    return list(
        Policy.objects.published()
        .for_enterprise(enterprise)
        .select_related("unit")
        .order_by("-published_at", "-id")[:limit]
    )


def interpretation_overdue(*, unit=None, today=None):
    """Published policies without an interpretation more than 3 working days after publication."""
    today = today or timezone.localdate()
    qs = (
        Policy.objects.published()
        .filter(interpretations__isnull=True, published_on__isnull=False)
        .select_related("unit")
        .order_by("published_on")
    )
    if unit is not None:
        qs = qs.filter(unit=unit)
    # Cheap pre-filter on calendar days, then the working-day rule in Python.
    qs = qs.filter(published_on__lt=today - datetime.timedelta(days=INTERPRETATION_DUE_WORKDAYS))
    return [p for p in qs[:500] if add_workdays(p.published_on, INTERPRETATION_DUE_WORKDAYS) < today]


def late_disclosures(*, unit=None):
    """Policies published more than 20 working days after their 成文日期."""
    qs = (
        Policy.objects.filter(status=Policy.Status.PUBLISHED, written_on__isnull=False, published_on__isnull=False)
        .select_related("unit")
        .order_by("-published_on")
    )
    if unit is not None:
        qs = qs.filter(unit=unit)
    qs = qs.filter(published_on__gt=F("written_on") + datetime.timedelta(days=DISCLOSURE_LIMIT_WORKDAYS))
    return [p for p in qs[:1000] if (p.disclosure_workdays or 0) > DISCLOSURE_LIMIT_WORKDAYS]


def withdrawn_policy(pk):
    """A policy taken back from the public (撤回): links already out (digests, feeds, other
    sites) get a notice with the reason and any replacement instead of a bare 404."""
    return Policy.objects.filter(pk=pk, status=Policy.Status.WITHDRAWN).select_related("replaced_by").first()


def days_since_last_publication(today=None):
    """Days since the newest published policy or interpretation appeared, or None if none has."""
    today = today or timezone.localdate()
    dates = [
        d
        for d in (
            Policy.objects.published().aggregate(last=Max("published_on"))["last"],
            Interpretation.objects.filter(policy__in=Policy.objects.published()).aggregate(last=Max("published_on"))[
                "last"
            ],
        )
        if d
    ]
    return (today - max(dates)).days if dates else None


# What a reviewer compares: the document's text and the metadata the public reads.
REVIEWED_FIELDS = [
    "title",
    "doc_number",
    "issuer_name",
    "level",
    "industries",
    "scales",
    "written_on",
    "published_on",
    "effective_on",
    "expires_on",
    "keywords",
    "summary",
    "body",
    "validity",
    "application_opens",
    "application_closes",
    "application_url",
    "application_contact",
]


def changes_since_published(policy):
    """What `policy` changes against its last published version (from its history), or None
    when it was never published or is published as it stands."""
    from portal.core.changes import field_changes

    if policy.status == Policy.Status.PUBLISHED:
        return None
    approved = policy.history.filter(status=Policy.Status.PUBLISHED).order_by("-history_date", "-history_id").first()
    if approved is None:
        return None
    return field_changes(approved, policy, REVIEWED_FIELDS)
