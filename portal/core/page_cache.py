"""Public pages served to anonymous visitors from a shared cache.

The morning a support policy is announced, every enterprise in the county opens the same few
pages. Rendering each of them once, instead of once per visitor, is what keeps the portal
answering. The rules, each of which keeps one visitor's page from reaching another:

- a view opts in with `@public_page` (Cache-Control: public); nothing else is ever stored;
- only visitors without a session are served from or stored in the cache: their only cookies
  may be the language and larger-text preferences, and both are part of the key;
- a response that sets a cookie, is not a 200, or was marked private on the way out
  (PrivatePagesMiddleware does so for logged-in users) is not stored;
- a change clears the pages that show it, and only those: each page carries tags (its
  section, one policy's page its own policy), each save moves the tags of what it changes
  to new versions (MODEL_TAGS), and a page is found only under the versions it was stored
  with, kept in the same shared cache. A policy's save clears its page, the pages of the
  policies linked to it, and the lists, feeds, search and home; a guide item's, the guide's
  pages, search and home; matters, visits and survey answers nothing (PRIVATE_MODELS). A
  model not named moves the tag every page carries: when in doubt, all pages go;
- so pages live for hours (PUBLIC_PAGE_LIFETIME), never past the next change that no save
  announces (a policy scheduled to appear: register_next_change); pages counted from
  matters (SHORT_LIVED_PATHS) live PUBLIC_PAGE_CACHE_SECONDS.

The cache alias "pages" must be shared by every server process (a file cache on one machine,
Redis across several); see docs/deployment.md. If it is unreachable, pages are rendered as if
there were no cache (and the error is logged), never a 500.
"""

import hashlib
import logging
import time
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_cache_control
from django.utils.regex_helper import _lazy_re_compile

# What public pages show lives in these apps, and in visits' 政银企 matchmaking models (the
# public 政银企对接 page); visits' own records (visits, meetings, appointments) never show.
PUBLIC_CONTENT_APPS = {"portal", "policies", "guide", "liaison", "surveys"}
PUBLIC_CONTENT_MODELS = {"visits.matchmakingevent", "visits.financingneed", "visits.financingmatch"}
# Saved often and never shown on a public page, or shown only through a page whose lifetime
# is short (the county's matter figures: SHORT_LIVED_PATHS): no save here touches the cache.
# Matters and their events are recorded all day; a survey's answers reach the public only
# through results published after it closes; audit entries, jobs and logins are internal.
PRIVATE_MODELS = {
    "liaison.heldupload",
    "liaison.matter",
    "liaison.matterevent",
    "liaison.matterrating",
    "liaison.mattercooperation",
    "liaison.matterattachment",
    "liaison.replytemplate",
    "surveys.invitation",
    "surveys.surveyresponse",
    "surveys.unitanswer",
    "surveys.rating",
    "surveys.choiceanswer",
    "surveys.textanswer",
    "portal.auditentry",
    "portal.transitionlog",
    "portal.backgroundjob",
    "portal.official",
    "portal.enterpriseaccount",
    "policies.subscription",
}
# The tags of the pages a save changes. A page carries tags (page_tags); a save moves each
# of its tags to a new version, and a page is found only under the versions it was stored
# with. A model of a public app not named here (a unit, a calendar year, an enterprise)
# moves ALL_TAG, which every page carries: when in doubt, every page is rendered again.
MODEL_TAGS = {
    "policies.policy": ("policies",),
    "policies.interpretation": ("policies",),
    "policies.attachment": ("policies",),
    "policies.policychange": (),
    "policies.theme": ("policies", "policy-pages"),
    "portal.searchdocument": ("search",),
    "portal.searchsynonym": ("search",),
    "guide.*": ("guide",),
    "liaison.deadlinerule": ("matters",),
    "surveys.*": ("surveys",),
    "visits.*": ("matchmaking",),
}
ALL_TAG = "all"
SECTION_TAGS = ("policies", "policy-pages", "search", "guide", "matters", "surveys", "matchmaking")
# The pages of each section, by path. A page not listed carries every tag.
PATH_TAGS = [
    ("/policies/", ("policies",)),
    ("/search/", ("search", "policies", "guide")),
    ("/guide/", ("guide",)),
    ("/matters/", ("matters",)),
    ("/surveys/", ("surveys",)),
    ("/visits/", ("matchmaking",)),
]
HOME_TAGS = ("policies", "guide", "matters")
# Pages showing what no save announces (figures counted from matters, which never touch the
# cache): they live PUBLIC_PAGE_CACHE_SECONDS, not PUBLIC_PAGE_LIFETIME.
SHORT_LIVED_PATHS = ("/matters/figures/", "/interaction/")
POLICY_TAG_SHARES = 256

TAG_KEY = "page-cache:tag:"
NEXT_CHANGE_KEY = "page-cache:next-change:"
logger = logging.getLogger(__name__)
STATUS_HEADER = "X-Page-Cache"
ACCEPTS_GZIP = _lazy_re_compile(r"\bgzip\b")


def page_cache():
    return caches["pages"]


def public_page(view):
    """Mark a view's GET page as the same for every anonymous visitor: browsers may keep it
    for PUBLIC_PAGE_MAX_AGE seconds and the portal serves it from the shared cache."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            patch_cache_control(response, public=True, max_age=settings.PUBLIC_PAGE_MAX_AGE)
        return response

    return wrapped


def page_tags(path):
    """The tags of the page at `path`: the parts of the content it shows."""
    tags = {ALL_TAG}
    if path == "/":
        return tags | set(HOME_TAGS)
    parts = path.strip("/").split("/")
    if len(parts) == 2 and parts[0] == "policies" and parts[1].isdigit():
        return tags | {policy_tag(int(parts[1])), "policy-pages"}  # one policy's page
    for prefix, section in PATH_TAGS:
        if path.startswith(prefix):
            return tags | set(section)
    return tags | set(SECTION_TAGS)


def policy_tag(pk):
    """A policy's page carries the tag of its share of all policy pages (1/POLICY_TAG_SHARES):
    a change clears the few hundred pages of that share, and the tags stay a few hundred keys
    however many policies there are (no key per policy to create, keep or lose)."""
    return f"policy:{int(pk) % POLICY_TAG_SHARES}"


def tag_cache():
    """Where tag versions live: their own small shared cache ("page-tags"), which never drops
    one to make room for pages (a lost version only costs misses, but of every page)."""
    return caches["page-tags"] if "page-tags" in settings.CACHES else page_cache()


def _new_version():
    # Random, never a counter: a version key evicted from the cache comes back as a new
    # version (pages missed), never as an old one (stale pages served).
    return uuid.uuid4().hex[:12]


def tag_versions(cache, tags):
    """The current version of each tag (one round trip to the cache when all are known)."""
    keys = {TAG_KEY + tag: tag for tag in tags}
    found = cache.get_many(list(keys))
    versions = {}
    for key, tag in keys.items():
        version = found.get(key)
        if version is None:
            # add(): of two processes starting a tag at once, both use the first one's.
            version = _new_version()
            if not cache.add(key, version, None):
                version = cache.get(key) or version
        versions[tag] = version
    return versions


def shared_version(tag):
    """The current version of `tag` for caches of parts of pages (the policy list's facet
    counts), or None when the page cache is off or away."""
    if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
        return None
    try:
        return tag_versions(tag_cache(), {tag})[tag]
    except Exception:  # logged: without the shared version, the local one alone
        logger.exception("page cache: version lookup failed")
        return None


def invalidate(tags=None):
    """New versions of these tags (by default ALL_TAG: every page): each page carrying one is
    no longer found, every other page stays."""
    tags = {ALL_TAG} if tags is None else set(tags)
    try:
        tag_cache().set_many({TAG_KEY + tag: _new_version() for tag in tags}, None)
    except Exception:  # logged: a cache outage must not undo a save; the lifetime bounds staleness
        logger.exception("page cache: could not invalidate %s", sorted(tags))


# When the next public change is due that no save announces (a policy scheduled to appear at
# a given time): a function per tag, registered by the app that knows (policies), returning
# an aware datetime or None. Pages carrying the tag live no longer than that.
_NEXT_CHANGE = {}


def register_next_change(tag, function):
    _NEXT_CHANGE[tag] = function


def _lifetime(cache, path, tags, versions):
    if path in SHORT_LIVED_PATHS:
        return settings.PUBLIC_PAGE_CACHE_SECONDS
    seconds = max(settings.PUBLIC_PAGE_CACHE_SECONDS, settings.PUBLIC_PAGE_LIFETIME)
    now = time.time()
    for tag in tags & set(_NEXT_CHANGE):
        key = f"{NEXT_CHANGE_KEY}{tag}:{versions[tag]}"
        due = cache.get(key)
        if due is None or (due and due <= now):
            moment = _NEXT_CHANGE[tag]()
            due = moment.timestamp() if moment is not None else 0
            cache.set(key, due, seconds)
        if due:
            seconds = max(1, min(seconds, int(due - now)))
    return seconds


def _preference_cookies():
    from portal.core.context_processors import PREFERENCE_COOKIES

    return {settings.LANGUAGE_COOKIE_NAME, *PREFERENCE_COOKIES}


def request_key(request, versions):
    """The key of this request's page, or None when it must not come from the cache."""
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return None
    preferences = _preference_cookies()
    if not set(request.COOKIES) <= preferences:
        return None
    # The date too: pages count working days from today (a guide item's expected completion).
    parts = [request.get_host(), request.get_full_path(), timezone.localdate().isoformat()]
    parts += [f"{name}={request.COOKIES.get(name, '')}" for name in sorted(preferences)]
    parts += [f"{tag}={version}" for tag, version in sorted(versions.items())]
    # Compressed and plain are two variants of the page (Vary: Accept-Encoding).
    parts.append("gzip" if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else "plain")
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page-cache:{digest}"


def storable(response):
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "public" in cache_control
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


class PublicPageCacheMiddleware:
    """Serve and store @public_page pages for anonymous visitors (see the module docstring).

    Sits before the session middleware, so a page served from the cache costs no session,
    language or template work, and after ConditionalGetMiddleware, so a stored page still
    answers If-None-Match with 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = None
        if settings.PUBLIC_PAGE_CACHE_SECONDS > 0 and request.method == "GET":
            cache = page_cache()
            try:
                tags = page_tags(request.path)
                versions = tag_versions(tag_cache(), tags)
                key = request_key(request, versions)
                response = cache.get(key) if key is not None else None
            except DisallowedHost:
                raise
            except Exception:  # logged: the cache is away (Redis down): render as without it
                logger.exception("page cache: lookup failed")
                key = response = None
            if response is not None:
                response[STATUS_HEADER] = "hit"
                return response
        response = self.get_response(request)
        if key is not None and storable(response):
            response[STATUS_HEADER] = "miss"
            try:
                cache.set(key, response, _lifetime(cache, request.path, tags, versions))
            except Exception:  # logged
                logger.exception("page cache: store failed")
        return response


class CompressPublicPagesMiddleware(GZipMiddleware):
    """Gzip for the pages the page cache may store, and only those: public, no cookie set, not
    marked private (any logged-in user's page is). Such a page is the same for every visitor
    and carries no secret (no CSRF token, no session), so compression cannot leak one by its
    length (BREACH); every other response goes out as it came. Placed just inside
    PublicPageCacheMiddleware, so a page is compressed once and stored compressed (the key
    tells the variants apart)."""

    def process_response(self, request, response):
        if not storable(response) or not response.get("Content-Type", "").startswith(
            ("text/html", "text/plain", "application/xml", "application/rss+xml", "application/atom+xml", "text/xml")
        ):
            return response
        return super().process_response(request, response)


# ------------------------------------------------------------------ invalidation


def changed_tags(meta, instance=None):
    """The tags of the pages that show this model's rows (empty: no public page shows it)."""
    label = meta.label_lower
    if label in PRIVATE_MODELS or meta.model_name.startswith("historical"):
        return set()
    if not (meta.app_label in PUBLIC_CONTENT_APPS or label in PUBLIC_CONTENT_MODELS):
        return set()
    tags = MODEL_TAGS.get(label, MODEL_TAGS.get(f"{meta.app_label}.*"))
    if tags is None:
        return {ALL_TAG}
    tags = set(tags)
    if instance is not None:
        tags |= {policy_tag(pk) for pk in _policies_shown_with(label, instance)}
    return tags


def _policies_shown_with(label, instance):
    """A policy's page shows its attachments, interpretations and change notes, and the
    policies it replaces, is replaced by and is related to: their pages change with it."""
    if label in ("policies.interpretation", "policies.attachment", "policies.policychange"):
        return {instance.policy_id}
    if label != "policies.policy" or instance.pk is None:
        return set()
    ids = {instance.pk, instance.replaced_by_id, getattr(instance, "_page_cache_replaced_by", None)}
    try:
        ids |= set(instance.replaces.values_list("pk", flat=True))
        ids |= set(instance.related.values_list("pk", flat=True))
    except ValueError:  # an unsaved instance (a delete's leftovers)
        pass
    return ids - {None}


def _remember_links(sender, instance, raw=False, **kwargs):
    """Before a policy is saved: the policy it replaced until now, whose page lists it."""
    if (
        raw
        or settings.PUBLIC_PAGE_CACHE_SECONDS <= 0
        or sender._meta.label_lower != "policies.policy"
        or instance.pk is None
    ):
        return
    instance._page_cache_replaced_by = (
        sender._base_manager.filter(pk=instance.pk).values_list("replaced_by_id", flat=True).first()
    )


def _invalidate_after_commit():
    for connection in connections.all(initialized_only=True):
        pending = getattr(connection, "_page_cache_pending", None)
        if pending:
            connection._page_cache_pending = set()
            invalidate(pending)


def content_changed(sender, **kwargs):
    """A save or delete of what public pages show: new versions of the tags of those pages,
    now and once more when the transaction commits (a page rendered meanwhile from the old
    rows must not survive)."""
    meta = getattr(sender, "_meta", None)
    if meta is None or settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
        return
    instance = kwargs.get("instance")
    if kwargs.get("signal") is m2m_changed:
        if kwargs.get("action", "").startswith("pre_"):
            return
        meta = instance._meta  # the m2m's through model is the owner's business
        tags = changed_tags(meta, instance)
        if meta.label_lower == "policies.policy" and kwargs.get("model") is type(instance):
            tags |= {policy_tag(pk) for pk in kwargs.get("pk_set") or ()}
    else:
        tags = changed_tags(meta, instance)
    if not tags:
        return
    invalidate(tags)
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    connection = connections[using]
    if connection.in_atomic_block:
        # One callback per transaction, whatever the number of saves (a bulk import).
        if not hasattr(connection, "_page_cache_pending"):
            connection._page_cache_pending = set()
        connection._page_cache_pending |= tags
        if not any(entry[1] is _invalidate_after_commit for entry in getattr(connection, "run_on_commit", [])):
            transaction.on_commit(_invalidate_after_commit, using=using)


def schema_changed(sender, **kwargs):
    """After migrate (every `./run start`): pages stored before may come from another database
    with the same name, or from code that rendered them differently."""
    if settings.PUBLIC_PAGE_CACHE_SECONDS > 0:
        invalidate()


def connect_signals():
    from django.db.models.signals import pre_save

    post_migrate.connect(schema_changed, dispatch_uid="page-cache-migrate")
    pre_save.connect(_remember_links, dispatch_uid="page-cache-links")
    post_save.connect(content_changed, dispatch_uid="page-cache-save")
    post_delete.connect(content_changed, dispatch_uid="page-cache-delete")
    m2m_changed.connect(content_changed, dispatch_uid="page-cache-m2m")
