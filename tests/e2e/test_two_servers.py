"""Two application servers on one database (as behind a load balancer): a login made on one
is valid on the other (sessions live in the database, both share SECRET_KEY), and a file
uploaded through one is downloaded through the other (both use the same MEDIA_ROOT — shared
storage is what several app servers need)."""

import pytest

from .conftest import admin_login, county_office_totp, gunicorn, site_login
from .test_journey_matters import PDF, raise_matter

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def second_server(portal_server, server_env, e2e_paths):
    """Another gunicorn, same environment (database, SECRET_KEY, MEDIA_ROOT), another port."""
    with gunicorn(
        server_env, e2e_paths["static"], workers=1, log_path=e2e_paths["log"].with_name("gunicorn-b.log")
    ) as base_url:
        yield base_url


def test_sessions_and_uploads_work_across_two_app_servers(new_context, portal_server, second_server):
    assert portal_server != second_server
    context = new_context()
    page_a = context.new_page()
    site_login(page_a, "enterprise")  # logs in on server A

    # Same browser (cookies are per host, so they reach both ports), server B: still logged in.
    page_b = context.new_page()
    page_b.goto(second_server + "/my/")
    assert "/accounts/login/" not in page_b.url
    assert page_b.locator("h1").inner_text() == "我的企业"

    # Upload through A, download through B.
    raise_matter(page_a, "两台服务器附件检查", [{"name": "跨服务器.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    assert "/matters/submitted/" in page_a.url, page_a.locator("main").inner_text()[:500]
    tracking_number = page_a.locator("strong.code").first.inner_text()
    page_b.goto(second_server + f"/matters/mine/{tracking_number}/")
    link = page_b.locator("main a[download]", has_text="跨服务器.pdf")
    assert link.count() == 1, page_b.locator("main").inner_text()[:500]
    response = context.request.get(second_server + link.get_attribute("href"))
    assert response.status == 200 and response.body() == PDF

    # Logging out on B ends the session on A as well.
    page_b.locator("form[action$='/accounts/logout/'] button").click()
    page_a.goto(portal_server + "/my/")
    assert "/accounts/login/" in page_a.url


def test_a_change_made_through_one_server_empties_the_page_cache_of_both(
    new_context, browser, portal_server, second_server
):
    """Anonymous public pages are kept in one cache shared by both servers (here the folder
    var/cache/pages; Redis across machines): a theme renamed through A's admin changes the
    policy list, and B stops serving the list it had stored. (A matter submitted through A
    clears no public page: the public figures live PUBLIC_PAGE_CACHE_SECONDS.)"""
    anonymous = browser.new_context()
    list_b = second_server + "/policies/list/"
    anonymous.request.get(list_b)
    stored = anonymous.request.get(list_b)
    assert stored.status == 200 and stored.headers.get("x-page-cache") == "hit", stored.headers

    page_a = new_context().new_page()
    admin_login(page_a, "countyoffice", totp=county_office_totp())

    def rename(suffix_from, suffix_to):
        page_a.goto(portal_server + "/admin/policies/theme/")
        page_a.locator("#result_list tbody tr th a").first.click()
        name = page_a.input_value("#id_name")
        renamed = name.removesuffix(suffix_from) + suffix_to
        page_a.fill("#id_name", renamed)
        with page_a.expect_navigation():
            page_a.locator("input[name=_save]").click()
        assert "/change/" not in page_a.url, page_a.inner_text("body")[:500]  # saved: back on the list
        return renamed

    renamed = rename("", "（两台）")
    try:
        fresh = anonymous.request.get(list_b)
        assert fresh.status == 200 and fresh.headers.get("x-page-cache") == "miss", fresh.headers
        assert renamed in fresh.text()
    finally:
        rename("（两台）", "")
    anonymous.close()
