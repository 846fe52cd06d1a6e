"""Operations details a county's IT staff meets first: the page cache setting as the README
describes it, and commands that print no warning on a server without XDG_RUNTIME_DIR."""

import os
import subprocess
import sys

from django.conf import settings

from portal.settings import cache_config


def test_page_cache_url_may_be_a_folder_as_the_readme_says(tmp_path):
    config = cache_config(str(tmp_path / "pages"))
    assert config["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert config["LOCATION"] == str(tmp_path / "pages")
    relative = cache_config("var/cache/pages")
    assert relative["LOCATION"] == str(settings.BASE_DIR / "var" / "cache" / "pages")
    assert cache_config("redis://127.0.0.1:6379/2")["BACKEND"].endswith("RedisCache")
    assert cache_config(f"filecache://{tmp_path}")["LOCATION"] == str(tmp_path)


def test_loading_the_embedded_server_package_prints_no_runtime_dir_warning():
    env = {k: v for k, v in os.environ.items() if k != "XDG_RUNTIME_DIR"}
    result = subprocess.run(
        [
            sys.executable,
            "-W",
            "error",
            "-c",
            "from portal.ops import embedded_db; embedded_db.package(); print(embedded_db.bin_dir())",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and (result.stdout.strip() + "/pg_dump")


def _settings_of(env, expression):
    env = {
        k: v
        for k, v in (
            {k: v for k, v in os.environ.items() if k not in ("PORTAL_TESTING", "DJANGO_SETTINGS_MODULE")} | env
        ).items()
        if v is not None
    }
    return subprocess.run(
        [sys.executable, "-c", f"import portal.settings as s; print({expression})"],
        cwd=settings.BASE_DIR,
        env=dict(env, SECRET_KEY="x" * 50),
        capture_output=True,
        text=True,
    )


def test_a_bucket_in_the_environment_puts_uploads_and_downloads_in_s3_compatible_storage():
    result = _settings_of(
        {
            "AWS_STORAGE_BUCKET_NAME": "portal-files",
            "AWS_S3_ENDPOINT_URL": "http://minio:9000",
            "AWS_S3_ADDRESSING_STYLE": "path",
        },
        "s.STORAGES['default']",
    )
    assert result.returncode == 0, result.stderr
    assert "storages.backends.s3.S3Storage" in result.stdout
    assert "'bucket_name': 'portal-files'" in result.stdout and "'endpoint_url': 'http://minio:9000'" in result.stdout
    assert "'default_acl': None" in result.stdout and "'querystring_auth': True" in result.stdout
    local = _settings_of({"AWS_STORAGE_BUCKET_NAME": ""}, "s.STORAGES['default']['BACKEND']")
    assert local.stdout.strip() == "django.core.files.storage.FileSystemStorage"


def test_sessions_kept_in_a_cache_need_a_cache_every_server_shares():
    refused = _settings_of(
        {"SESSION_ENGINE": "django.contrib.sessions.backends.cached_db", "CACHE_URL": None}, "s.SESSION_ENGINE"
    )
    assert refused.returncode != 0 and "CACHE_URL=redis://" in refused.stderr
    shared = _settings_of(
        {"SESSION_ENGINE": "django.contrib.sessions.backends.cached_db", "CACHE_URL": "redis://127.0.0.1:6379/7"},
        "s.SESSION_ENGINE",
    )
    assert shared.returncode == 0 and shared.stdout.strip().endswith("cached_db"), shared.stderr


def test_the_page_cache_in_redis_stores_and_reads_pages():
    """PAGE_CACHE_URL=redis://… (several servers): the cache options must be ones Redis takes
    (MAX_ENTRIES is for the folder and memory caches; passed to Redis it broke every page)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PORTAL_TESTING",)}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", SECRET_KEY="x" * 50, PAGE_CACHE_URL="redis://127.0.0.1:6379/7")
    code = (
        "import django; django.setup(); from django.core.cache import caches; "
        "c = caches['pages']; c.set('ops-settings-check', 'ok', 5); print(c.get('ops-settings-check'))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=settings.BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0 and result.stdout.strip() == "ok", result.stderr[-2000:]
