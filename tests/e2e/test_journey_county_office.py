"""Journey: the county office logs in with its second factor (the demo authenticator's
current TOTP code) and opens the visit coverage and the matter figures pages."""

import pytest

from .conftest import admin_login, county_office_totp

pytestmark = [pytest.mark.e2e]


def test_county_office_logs_in_with_totp_and_opens_coverage_and_matter_figures(page):
    # Without the code the login is refused with a message.
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "countyoffice")
    from .conftest import demo_password

    page.fill("#id_password", demo_password())
    page.locator("input[type=submit], button[type=submit]").first.click()
    assert "/admin/login/" in page.url
    assert page.locator(".errornote, .errorlist").count() >= 1

    admin_login(page, "countyoffice", totp=county_office_totp())
    links = dict(
        (text.strip(), href)
        for text, href in page.eval_on_selector_all(
            "#dashboard-links a[href]", "els => els.map(e => [e.innerText, e.getAttribute('href')])"
        )
    )
    coverage = next((href for href in links.values() if "coverage" in href), None)
    figures = next((href for href in links.values() if "matter/figures" in href), None)
    if not coverage and not figures:
        pytest.skip("the coverage and figures pages are not listed on the workspace yet")
    for href in filter(None, [coverage, figures]):
        response = page.goto(href)
        assert response.status == 200, href
        assert page.locator("h1").count() == 1
        assert page.locator("main table, #content table").count() >= 1, f"{href} shows its figures in a table"
        assert page.locator("table caption, table th[scope]").count() >= 1
    assert coverage, "the visit coverage page is listed for the county office"
    assert figures, "the matter figures page is listed for the county office"
