"""Public pages served to anonymous visitors from a shared cache.

The morning a support policy is announced, every enterprise in the county opens the same few
pages. Rendering each of them once, instead of once per visitor, is what keeps the portal
answering. The rules, each of which keeps one visitor's page from reaching another:

- a view opts in with `@public_page` (Cache-Control: public); nothing else is ever stored;
- only visitors without a session are served from or stored in the cache: their only cookies
  may be the language and larger-text preferences, and both are part of the key;
- a response that sets a cookie, is not a 200, or was marked private on the way out
  (PrivatePagesMiddleware does so for logged-in users) is not stored;
- any change to what public pages show (a save or delete in the apps listed in
  PUBLIC_CONTENT_APPS) starts a new generation of keys, so the next visitor sees it at once;
  PUBLIC_PAGE_CACHE_SECONDS bounds what no save announces (a policy scheduled to appear).

The cache alias "pages" must be shared by every server process (a file cache on one machine,
Redis across several); see docs/deployment.md. If it is unreachable, pages are rendered as if
there were no cache (and the error is logged), never a 500.
"""
import hashlib
import logging
import uuid
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import timezone
from django.utils.cache import patch_cache_control

# What public pages show lives in these apps, and in visits' 政银企 matchmaking models (the
# public 政银企对接 page); visits' own records (visits, meetings, appointments) never show.
PUBLIC_CONTENT_APPS = {"portal", "policies", "guide", "liaison", "surveys"}
PUBLIC_CONTENT_MODELS = {"visits.matchmakingevent", "visits.financingneed", "visits.financingmatch"}
# Saved often and never shown publicly: no reason to empty the cache for them. (A survey's
# answers reach the public only through results published after it closes.)
PRIVATE_MODELS = {"liaison.heldupload", "surveys.invitation", "surveys.surveyresponse", "surveys.unitanswer",
                  "surveys.rating", "surveys.choiceanswer", "surveys.textanswer"}
GENERATION_KEY = "page-cache:generation"
logger = logging.getLogger(__name__)
STATUS_HEADER = "X-Page-Cache"


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


def _generation(cache):
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = uuid.uuid4().hex
        # add(): of two processes starting a generation at once, both use the first one's.
        if not cache.add(GENERATION_KEY, generation, None):
            generation = cache.get(GENERATION_KEY) or generation
    return generation


def invalidate():
    """Start a new generation: every page stored so far is no longer found."""
    try:
        page_cache().set(GENERATION_KEY, uuid.uuid4().hex, None)
    except Exception:  # logged: a cache outage must not undo a save; TTL bounds staleness
        logger.exception("page cache: could not start a new generation")


def _preference_cookies():
    from .context_processors import PREFERENCE_COOKIES

    return {settings.LANGUAGE_COOKIE_NAME, *PREFERENCE_COOKIES}


def request_key(request, generation):
    """The key of this request's page, or None when it must not come from the cache."""
    if request.method != "GET" or "HTTP_AUTHORIZATION" in request.META:
        return None
    preferences = _preference_cookies()
    if not set(request.COOKIES) <= preferences:
        return None
    # The date too: pages count working days from today (a guide item's expected completion).
    parts = [request.get_host(), request.get_full_path(), timezone.localdate().isoformat()]
    parts += [f"{name}={request.COOKIES.get(name, '')}" for name in sorted(preferences)]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"page-cache:{generation}:{digest}"


def storable(response):
    cache_control = response.get("Cache-Control", "")
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and "public" in cache_control and "private" not in cache_control
            and "no-store" not in cache_control)


class PublicPageCacheMiddleware:
    """Serve and store @public_page pages for anonymous visitors (see the module docstring).

    Sits before the session middleware, so a page served from the cache costs no session,
    language or template work, and after ConditionalGetMiddleware, so a stored page still
    answers If-None-Match with 304.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        key = None
        if seconds > 0:
            cache = page_cache()
            try:
                key = request_key(request, _generation(cache))
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
                cache.set(key, response, seconds)
            except Exception:  # logged
                logger.exception("page cache: store failed")
        return response


# ------------------------------------------------------------------ invalidation

def _invalidate_after_commit():
    invalidate()


def content_changed(sender, **kwargs):
    """A save or delete in a public app: drop the stored pages now, and once more when the
    transaction commits (a page rendered meanwhile from the old rows must not survive)."""
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.label_lower in PRIVATE_MODELS or not (
            meta.app_label in PUBLIC_CONTENT_APPS or meta.label_lower in PUBLIC_CONTENT_MODELS):
        return
    if settings.PUBLIC_PAGE_CACHE_SECONDS <= 0:
        return
    invalidate()
    using = kwargs.get("using") or DEFAULT_DB_ALIAS
    connection = connections[using]
    if connection.in_atomic_block and not any(
            entry[1] is _invalidate_after_commit for entry in getattr(connection, "run_on_commit", [])):
        transaction.on_commit(_invalidate_after_commit, using=using)


def schema_changed(sender, **kwargs):
    """After migrate (every `./run start`): pages stored before may come from another database
    with the same name, or from code that rendered them differently."""
    if settings.PUBLIC_PAGE_CACHE_SECONDS > 0:
        invalidate()


def connect_signals():
    post_migrate.connect(schema_changed, dispatch_uid="page-cache-migrate")
    post_save.connect(content_changed, dispatch_uid="page-cache-save")
    post_delete.connect(content_changed, dispatch_uid="page-cache-delete")
    m2m_changed.connect(content_changed, dispatch_uid="page-cache-m2m")
