"""`manage.py check --deploy` is clean under the settings a deployment uses: DEBUG unset, a
long random SECRET_KEY, ALLOWED_HOSTS and the HTTPS defaults (secure cookies, redirect, HSTS)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def test_check_deploy_is_clean_under_production_settings():
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DEBUG",
            "PORTAL_TESTING",
            "SECURE_COOKIES",
            "SECURE_SSL_REDIRECT",
            "SECURE_HSTS_SECONDS",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        )
    }
    env.update(
        {
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "zqt.example.gov.cn",
            "CSRF_TRUSTED_ORIGINS": "https://zqt.example.gov.cn",
        }
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout, result.stdout


def test_production_settings_refuse_to_start_without_a_secret_key():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "PORTAL_TESTING", "SECRET_KEY", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
