"""Simplified Chinese is the default language and must be complete: every catalogue in the
project has a translation for every message, none fuzzy, and a compiled .mo beside it."""

from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(p for p in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po") if ".venv" not in p.parts)


def test_there_are_catalogues():
    assert (ROOT / "locale/zh_Hans/LC_MESSAGES/django.po") in CATALOGUES


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_complete(path):
    po = polib.pofile(str(path))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated in {path}: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy in {path}: {fuzzy[:10]}"


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(ROOT)))
def test_catalogue_is_compiled(path):
    mo = path.with_suffix(".mo")
    assert mo.exists(), f"{mo} missing: run compilemessages"
    assert len(polib.mofile(str(mo))) >= len(polib.pofile(str(path)).translated_entries())
