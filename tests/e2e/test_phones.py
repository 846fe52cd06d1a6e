"""Phones and older eyes (issue 16), in Chromium against the production-style server:

- at 360 px every public page type passes axe, nothing is wider than the screen unless it is a
  scroll box the keyboard can reach, and every target in <main> is at least 44 px high
  (60 px in 大字版), links inside running text excepted (WCAG 2.5.8);
- axe at 1280 px too; the policy list shows its first result within two phone screens;
- English pages mark Chinese content lang="zh-CN";
- a form with errors has a summary that takes the focus and links to each field.
"""

import pytest

from .pages import ADMIN, ADMIN_CUSTOM, PUBLIC
from .test_accessibility import axe_violations, open_page

pytestmark = [pytest.mark.e2e]

PHONE = {"width": 360, "height": 800}

# Elements wider than the screen that are not inside a keyboard-reachable scroll box.
UNREACHABLE_OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrollBox = e => { for (let a = e.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (/(auto|scroll)/.test(s.overflowX) && a.scrollWidth > a.clientWidth) return a; } return null; };
  return [...document.querySelectorAll('body *')].filter(e => {
      const r = e.getBoundingClientRect();
      if (r.width === 0 || r.right <= width + 1) return false;
      const box = scrollBox(e);
      return !(box && box.tabIndex >= 0);
    }).slice(0, 5).map(e => e.tagName.toLowerCase() + '.' + (typeof e.className === 'string' ? e.className : ''));
}"""

# Targets in <main> lower than `min` px. A link inside a sentence (its parent has more text than
# the link) is exempt, as WCAG 2.5.8 allows; so are hidden inputs and radio/checkbox boxes whose
# label row is the target.
SMALL_TARGETS = """min => {
  const out = [];
  for (const e of document.querySelectorAll('main a[href], main button, main input, main select, main textarea, main summary')) {
    if (e.type === 'hidden' || !e.getClientRects().length) continue;
    const r = e.getBoundingClientRect();
    if (r.height >= min - 0.5) continue;
    if (e.tagName === 'A' && getComputedStyle(e).display === 'inline'
        && e.parentElement.textContent.trim().length > e.textContent.trim().length + 1) continue;
    if ((e.type === 'checkbox' || e.type === 'radio')) {
      const row = e.closest('.form-check, label, li');
      if (row && row.getBoundingClientRect().height >= min - 0.5) continue;
    }
    out.push(`${e.tagName.toLowerCase()} ${Math.round(r.height)}px "${(e.textContent || e.value || e.name || '').trim().slice(0, 20)}"`);
  }
  return out.slice(0, 8);
}"""


@pytest.mark.parametrize("spec", [s for s in PUBLIC if s.status == 200], ids=lambda s: s.id)
def test_public_page_on_a_phone_in_large_text_and_on_a_desktop(
    spec, new_context, login_states, axe_source, portal_server
):
    page, _ = open_page(new_context, login_states, spec, viewport=PHONE)
    problems = [f"axe at 360 px: {v}" for v in axe_violations(page, axe_source)]
    problems += [f"wider than the screen: {e}" for e in page.evaluate(UNREACHABLE_OVERFLOW)]
    problems += [f"target under 44 px: {t}" for t in page.evaluate(SMALL_TARGETS, 44)]
    # 大字版: everything half as large again, targets 60 px, still no sideways scrolling
    page.context.add_cookies([{"name": "large_text", "value": "1", "url": portal_server}])
    page.reload()
    assert "large-text" in page.evaluate("() => document.documentElement.className")
    problems += [f"大字版 target under 60 px: {t}" for t in page.evaluate(SMALL_TARGETS, 60)]
    problems += [f"大字版 wider than the screen: {e}" for e in page.evaluate(UNREACHABLE_OVERFLOW)]
    # and the standard page at desktop width
    page.context.clear_cookies(name="large_text")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.reload()
    problems += [f"axe at 1280 px: {v}" for v in axe_violations(page, axe_source)]
    assert not problems, f"{spec.name}:\n" + "\n".join(problems)


@pytest.mark.parametrize("spec", [s for s in ADMIN + ADMIN_CUSTOM if s.status == 200], ids=lambda s: s.id)
def test_officials_page_on_a_phone_passes_axe(spec, new_context, login_states, axe_source):
    page, _ = open_page(new_context, login_states, spec, viewport=PHONE)
    assert not axe_violations(page, axe_source), spec.name


def test_policy_list_shows_its_first_result_within_two_phone_screens(new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/policies/list/?level=county")
    top = page.evaluate("() => document.querySelector('.policy-item').getBoundingClientRect().top + scrollY")
    assert top < 2 * PHONE["height"], top
    # the filters are one tap away, behind the 筛选 button, and open
    page.locator(".filter-panel > summary").click()
    assert page.locator("#list-q").is_visible()


def test_policy_detail_puts_the_validity_first_and_its_facts_fit_a_phone(new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/policies/list/?validity=expired")
    page.locator(".policy-item a").first.click()
    banner = page.evaluate("() => document.querySelector('.banner-warning').getBoundingClientRect().bottom")
    assert banner < PHONE["height"], "the 已失效 banner is on the first screen"
    assert not page.evaluate(UNREACHABLE_OVERFLOW)


def test_english_pages_mark_chinese_titles_and_bodies(new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/policies/list/")
    page.locator("form[action$='/i18n/setlang/'] button, button[name=language]").first.click()
    page.wait_for_load_state()
    assert page.evaluate("() => document.documentElement.lang") == "en"
    page.locator(".policy-item a").first.click()
    assert page.evaluate("() => document.querySelector('h1').lang") == "zh-CN"
    assert page.evaluate("() => document.querySelector('.policy-body').lang") == "zh-CN"


def test_error_summary_takes_the_focus_and_links_to_each_field(new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/matters/new/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.title().startswith("错误")
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    link = page.locator(".error-summary a[href='#id_title']")
    assert link.inner_text().startswith("请填写")
    link.click()
    assert page.evaluate("() => document.activeElement.id") == "id_title"
