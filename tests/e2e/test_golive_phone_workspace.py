"""The matter's step buttons and the review queue on a 360 px phone (issue 17): every step
button and queue tab at least 44 px high with text of at least 16 px, the page no wider than the
screen outside its scroll boxes, axe clean. Screenshots go to the test's tmp folder (and to
$E2E_SCREENSHOTS when set) for a person to look at."""

import os
from pathlib import Path

import pytest

from .pages import PageType
from .test_accessibility import axe_violations, open_page
from .test_phones import PHONE, UNREACHABLE_OVERFLOW

pytestmark = [pytest.mark.e2e]

SIZES = """selector => [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length).map(e => {
  const r = e.getBoundingClientRect();
  return {text: e.textContent.trim().slice(0, 20), height: r.height, font: parseFloat(getComputedStyle(e).fontSize)};
})"""

MATTER_RECEIVED = PageType(
    "matter-steps-town",
    "/admin/liaison/matter/?state__exact=received",
    follow=r"/admin/liaison/matter/\d+/change/",
    login="taihe_staff",
    admin=True,
)
QUEUE = PageType("matter-queue", "/admin/liaison/matter/queue/", login="countyoffice", admin=True)


def _shoot(page, tmp_path, name):
    page.screenshot(path=str(tmp_path / f"{name}.png"), full_page=True)
    folder = os.environ.get("E2E_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def _too_small(page, selector):
    sizes = page.evaluate(SIZES, selector)
    assert sizes, f"nothing matches {selector}"
    return [s for s in sizes if s["height"] < 44 - 0.5 or s["font"] < 16 - 0.01]


def test_the_step_buttons_fit_a_phone(new_context, login_states, axe_source, tmp_path):
    page, _ = open_page(new_context, login_states, MATTER_RECEIVED, viewport=PHONE)
    _shoot(page, tmp_path, "matter-steps-360")
    assert page.locator("#matter-steps a.step-button[href$='/act/accept/']").count() == 1
    assert "仅县政府办可操作" in page.locator("#matter-steps").inner_text()
    assert not _too_small(page, "#matter-steps a.step-button")
    assert not page.evaluate(UNREACHABLE_OVERFLOW)
    assert not axe_violations(page, axe_source)


def test_the_review_queue_fits_a_phone(new_context, login_states, axe_source, tmp_path):
    page, _ = open_page(new_context, login_states, QUEUE, viewport=PHONE)
    _shoot(page, tmp_path, "matter-queue-360")
    assert not _too_small(page, ".queue-tabs a")
    if page.locator(".queue-action a.button").count():
        assert not _too_small(page, ".queue-action a.button")
    assert "等待时长" in page.locator(".queue-section").inner_text() or "无" in page.inner_text("#content-main")
    assert not page.evaluate(UNREACHABLE_OVERFLOW)
    assert not axe_violations(page, axe_source)
    # another section, by its tab: a plain link
    page.locator(".queue-tabs a:not(.current)").first.click()
    page.wait_for_load_state()
    assert "section=" in page.url
    _shoot(page, tmp_path, "matter-queue-other-360")
