"""The project's own checks cannot silently pass: pinned and hashed requirements without test
tools in production, explicit test settings, HSTS preload opt-in, and CI failing (not skipping)
the browser tests when their tools are missing."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
TEST_TOOLS = {
    "pytest",
    "pytest-django",
    "playwright",
    "hypothesis",
    "faker",
    "factory-boy",
    "polib",
    "ruff",
    "import-linter",
}


def _name(requirement):
    return re.split(r"[<>=!~;\[ ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pins(path):
    """{name: the requirement's text with its --hash options} of a compiled requirements file."""
    pins, current = {}, None
    for line in (BASE_DIR / path).read_text().splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0].isspace():
            pins[current] += line
        else:
            current = _name(line)
            pins[current] = line
    return pins


def _direct(path):
    return {
        _name(line)
        for line in (BASE_DIR / path).read_text().splitlines()
        if line.strip() and not line.startswith(("#", "-"))
    }


@pytest.mark.parametrize("compiled", ["requirements.txt", "requirements-dev.txt"])
def test_every_pinned_package_has_an_exact_version_and_hashes(compiled):
    pins = _pins(compiled)
    unhashed = [name for name, text in pins.items() if "==" not in text or "--hash=sha256:" not in text]
    assert not unhashed, f"{compiled}: not pinned with hashes: {unhashed} — recompile (see requirements.in)"


@pytest.mark.parametrize(
    "source,compiled", [("requirements.in", "requirements.txt"), ("requirements-dev.in", "requirements-dev.txt")]
)
def test_compiled_requirements_hold_every_direct_dependency(source, compiled):
    missing = _direct(source) - set(_pins(compiled))
    assert not missing, f"{source} lists {missing}, not in {compiled}: recompile (see requirements.in)"


def test_production_installs_no_test_tools():
    assert not TEST_TOOLS & set(_pins("requirements.txt"))
    assert TEST_TOOLS <= set(_pins("requirements-dev.txt"))


def _production_settings(**extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "PORTAL_TESTING", "SECURE_HSTS_PRELOAD", "DJANGO_SETTINGS_MODULE")
    }
    env.update({"SECRET_KEY": "x" * 60, "DJANGO_SETTINGS_MODULE": "portal.settings", **extra})
    # pytest imported first: the settings must not switch to test mode because of it.
    code = (
        "import pytest, django; django.setup(); from django.conf import settings; "
        "print(settings.TESTING, settings.SECURE_HSTS_PRELOAD, settings.PASSWORD_HASHERS[0])"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_settings_for_tests_are_chosen_explicitly(settings):
    assert settings.TESTING
    testing, _preload, hasher = _production_settings()
    assert testing == "False"
    assert "MD5" not in hasher


def test_hsts_preload_is_opt_in():
    assert _production_settings()[1] == "False"
    assert _production_settings(SECURE_HSTS_PRELOAD="true")[1] == "True"


def _run_browser_test(**extra):
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update({"E2E_CHROMIUM": "/nonexistent/chromium", **extra})
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "tests/e2e/test_journey_policies.py::test_enterprise_finds_a_policy_by_chinese_search_opens_its_interpretation_and_gets_the_guide",
        ],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_browser_tests_skip_without_chromium_but_fail_under_ci():
    local = _run_browser_test()
    assert local.returncode == 0 and "1 skipped" in local.stdout, local.stdout + local.stderr
    ci = _run_browser_test(CI="true")
    assert ci.returncode != 0 and "CI lacks a test tool" in ci.stdout, ci.stdout + ci.stderr


def test_the_import_contracts_hold():
    """pyproject.toml's contracts: the base imports no app; apps use each other's services,
    selectors and api modules only. `./run test` runs the same check first."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"], cwd=BASE_DIR, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
