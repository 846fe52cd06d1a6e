"""Accessibility of every public page type and every custom admin page (the links on the
workspace index, and the apps' record, workflow, import and follow-up pages in
pages.ADMIN_CUSTOM, each as the role that uses it), in Chromium:

- axe-core: no WCAG 2.1 A/AA violation;
- the Nu HTML Checker: the HTML as served validates (no errors);
- 360 px wide (a small phone) and 200% zoom (a 1280 px window at 2x = 640 CSS px): nothing
  wider than the viewport, so no horizontal scrolling;
- keyboard: the first Tab reaches the skip link, every focused element shows a visible focus
  indicator, and Tab runs through the page and out again (no trap);
- the larger-text mode (大字版 button in the header) enlarges the text and still reflows.
"""

import pytest

from .pages import ADMIN, ADMIN_CUSTOM, PUBLIC, PageType, first_matching_link

pytestmark = [pytest.mark.e2e]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def follow_links(page, response, spec):
    """Follow the spec's links from its start page, one hop after the other; returns the last
    response, or None when a hop finds no matching link."""
    for pattern in spec.hops:
        if response.status != 200:
            return None
        hrefs = page.eval_on_selector_all("main a[href]", "els => els.map(e => e.getAttribute('href'))")
        target = first_matching_link(hrefs, pattern)
        if target is None:
            return None
        response = page.goto(target)
    return response


def open_page(new_context, login_states, spec, **options):
    """Open the page type in a fresh context; returns (page, response) or skips."""
    if spec.login:
        options["storage_state"] = login_states(spec.login)
    context = new_context(**options)
    page = context.new_page()
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.problems = problems
    response = page.goto(spec.path)
    if spec.hops:
        if response.status == 404:
            pytest.skip(f"{spec.path} does not exist yet")
        response = follow_links(page, response, spec)
        if response is None:
            pytest.skip(f"no link matching {spec.follow} from {spec.path} yet")
    elif response.status == 404 and spec.status != 404:
        pytest.skip(f"{spec.path} does not exist yet")
    assert response.status == spec.status, f"{page.url} answered {response.status}"
    return page, response


# ------------------------------------------------------------------ the checks


def axe_violations(page, axe_source):
    page.evaluate(axe_source)
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            " ".join(n["target"]) if isinstance(n["target"][0], str) else str(n["target"]) for n in v["nodes"][:5]
        )
        for v in result["violations"]
    ]


SCROLL_WIDTH = "() => Math.max(document.scrollingElement.scrollWidth, document.body.scrollWidth)"
WIDEST = """() => [...document.querySelectorAll('body *')]
    .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 5).map(e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
        (e.className && typeof e.className === 'string' ? '.' + e.className.trim().split(/\\s+/).join('.') : ''))"""

FOCUS_INFO = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const s = getComputedStyle(e);
  // Date and time inputs take one Tab stop per field (year, month, day) and draw the focus
  // on that field, inside the element; Chromium's own indicator is used there.
  const segmented = e.tagName === 'INPUT' && /^(date|time|datetime-local|month|week)$/.test(e.type);
  const visible = segmented || (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1) ||
                  (s.boxShadow && s.boxShadow !== 'none');
  if (!e.dataset.e2eFocusId) e.dataset.e2eFocusId = String(Math.random());
  return {id: e.dataset.e2eFocusId, visible, tag: e.tagName.toLowerCase(), type: e.type || '',
          cls: typeof e.className === 'string' ? e.className : '', text: (e.innerText || e.value || '').slice(0, 30)};
}"""

FOCUSABLE_COUNT = """() => [...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"])')]
  .filter(e => !e.disabled && e.getClientRects().length).length"""


def keyboard_problems(page):
    problems = []
    autofocus = page.evaluate("() => !!document.querySelector('[autofocus]')")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUS_INFO)
    # A page that puts the focus in its form on load (autofocus, e.g. the login form) starts
    # the Tab order there; every other page must start at the skip link.
    if not autofocus and (not first or "skip" not in first["cls"]):
        problems.append(f"the first Tab did not reach the skip link but {first}")
    limit = 3 * page.evaluate(FOCUSABLE_COUNT) + 10
    seen = []
    info = first
    for _ in range(limit):
        if info is None:
            break  # focus left the document: Tab went all the way through
        if not info["visible"]:
            problems.append(f"no visible focus on <{info['tag']} class='{info['cls']}'> {info['text']!r}")
        if seen and info["id"] == seen[0] and len(seen) > 1:
            break  # wrapped round to the start
        if seen and info["id"] != seen[-1] and info["id"] in seen:
            problems.append(
                f"Tab came back to <{info['tag']} class='{info['cls']}'> {info['text']!r} "
                "before reaching the end of the page (keyboard trap)"
            )
            break
        if not seen or info["id"] != seen[-1]:
            seen.append(info["id"])
        page.keyboard.press("Tab")
        info = page.evaluate(FOCUS_INFO)
    else:
        problems.append(f"Tab did not get out of the page after {limit} presses (keyboard trap?)")
    return problems


def overflow(new_context, login_states, spec, width, scale=1):
    page, _ = open_page(
        new_context, login_states, spec, viewport={"width": width, "height": 800}, device_scale_factor=scale
    )
    scroll_width = page.evaluate(SCROLL_WIDTH)
    if scroll_width > width:
        return f"{width} px wide (x{scale}): page is {scroll_width} px wide; too wide: {page.evaluate(WIDEST)}"
    return None


def check_page(spec, new_context, login_states, axe_source):
    page, response = open_page(new_context, login_states, spec)
    failures = []
    at_load = list(page.problems)
    # One failure per rule, so that a known problem never hides another on the same page.
    failures += [f"axe-core WCAG 2.1 AA violation: {v}" for v in axe_violations(page, axe_source)]
    headings = page.eval_on_selector_all("h1", "els => els.length")
    if headings != 1:
        failures.append(f"{headings} h1 elements (want exactly one)")
    # axe itself reads stylesheets that @import others by building <style> elements, which the
    # CSP refuses; those messages are the checker's, not the page's: keep only the page's own.
    del page.problems[:]
    page.reload()
    failures += keyboard_problems(page)
    csp = [p for p in at_load + page.problems if "Content Security Policy" in p or "Refused" in p]
    if csp:
        failures.append("CSP violations: " + "; ".join(sorted(set(csp))[:5]))
    for width, scale in [(360, 1), (640, 2)]:
        problem = overflow(new_context, login_states, spec, width, scale)
        if problem:
            failures.append(problem)
    return failures


# Problems found by these checks in files this harness does not own, reported to their
# owners. (page name or path prefix, text of the failure, owner): a failure that matches
# turns the test into an expected failure that names it; any other failure still fails.
KNOWN_ISSUES = []


def split_known(spec, failures):
    known, unknown = [], []
    for failure in failures:
        match = next(
            (
                owner
                for where, text, owner in KNOWN_ISSUES
                if (spec.name.startswith(where) or spec.path.startswith(where) or not where) and text in failure
            ),
            None,
        )
        (known if match else unknown).append((failure, match))
    return [f for f, _ in known], sorted({m for _, m in known}), [f for f, _ in unknown]


@pytest.mark.parametrize("spec", PUBLIC + ADMIN + ADMIN_CUSTOM, ids=lambda s: s.id)
def test_page_is_accessible(spec, new_context, login_states, axe_source):
    failures = check_page(spec, new_context, login_states, axe_source)
    _known, owners, unknown = split_known(spec, failures)
    assert not unknown, f"{spec.name} ({spec.path}):\n" + "\n".join(unknown)
    if owners:
        pytest.xfail("known, reported: " + " | ".join(owners))


def dashboard_pages(new_context, login_states):
    """The custom admin pages the apps list on the workspace index (figures, queues)."""
    context = new_context(storage_state=login_states("countyoffice"))
    page = context.new_page()
    page.goto("/admin/")
    hrefs = page.eval_on_selector_all("#dashboard-links a[href]", "els => els.map(e => e.getAttribute('href'))")
    context.close()
    return [PageType(f"dashboard {href}", href, login="countyoffice", admin=True) for href in hrefs]


def test_custom_admin_pages_are_accessible(new_context, login_states, axe_source):
    pages = dashboard_pages(new_context, login_states)
    if not pages:
        pytest.skip("no custom admin pages are listed on the workspace index yet")
    failures, owners = [], set()
    for spec in pages:
        _known, page_owners, unknown = split_known(spec, check_page(spec, new_context, login_states, axe_source))
        owners.update(page_owners)
        if unknown:
            failures.append(f"{spec.path}:\n" + "\n".join(unknown))
    assert not failures, "\n\n".join(failures)
    if owners:
        pytest.xfail("known, reported: " + " | ".join(sorted(owners)))


# ------------------------------------------------------------------ HTML validity


def test_every_page_validates(new_context, login_states, vnu):
    """The Nu HTML Checker finds no error in the HTML as the server sends it."""
    documents = {}
    for spec in PUBLIC + ADMIN + ADMIN_CUSTOM + dashboard_pages(new_context, login_states):
        context = new_context(storage_state=login_states(spec.login)) if spec.login else new_context()
        page = context.new_page()
        response = page.goto(spec.path)
        if spec.hops:
            response = follow_links(page, response, spec)
            if response is None:
                continue
        elif response.status == 404 and spec.status != 404:
            continue
        documents[f"{spec.name} {page.url}"] = response.text()
    errors = vnu(documents)
    unknown, owners = {}, set()
    for name, messages in errors.items():
        for message in messages:
            owner = next((owner for where, text, owner in KNOWN_HTML_ISSUES if where in name and text in message), None)
            if owner:
                owners.add(owner)
            else:
                unknown.setdefault(name, []).append(message)
    assert not unknown, "\n\n".join(f"{name}:\n  " + "\n  ".join(messages) for name, messages in unknown.items())
    if owners:
        pytest.xfail("known, reported: " + " | ".join(sorted(owners)))


KNOWN_HTML_ISSUES = []


# ------------------------------------------------------------------ larger text


def test_larger_text_mode_enlarges_text_and_still_fits_a_phone(new_context):
    context = new_context(viewport={"width": 360, "height": 800})
    page = context.new_page()
    page.goto("/about/")
    before = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    page.get_by_role("button", name="大字版").click()
    page.wait_for_load_state()
    assert page.url.endswith("/about/"), "the button returns to the same page"
    assert "large-text" in page.evaluate("() => document.documentElement.className")
    after = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
    assert after >= before * 1.5, (before, after)  # 适老化: at least half as large again
    # The choice is kept (cookie) on the next page, and the page still fits 360 px.
    page.goto("/")
    assert "large-text" in page.evaluate("() => document.documentElement.className")
    assert page.evaluate(SCROLL_WIDTH) <= 360, page.evaluate(WIDEST)
    # And it can be switched back.
    page.get_by_role("button", name="标准字").click() if page.get_by_role(
        "button", name="标准字"
    ).count() else page.locator("form[action$='/text-size/'] button").click()
    page.wait_for_load_state()
    assert "large-text" not in page.evaluate("() => document.documentElement.className")


def test_skip_link_moves_focus_to_the_main_content(new_context):
    page = new_context().new_page()
    page.goto("/about/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
