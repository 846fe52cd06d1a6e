"""Two application servers on one database (as behind a load balancer): a login made on one
is valid on the other (sessions live in the database, both share SECRET_KEY), and a file
uploaded through one is downloaded through the other (both use the same MEDIA_ROOT — shared
storage is what several app servers need)."""
import pytest

from .conftest import gunicorn, site_login
from .test_journey_matters import PDF, raise_matter

pytestmark = [pytest.mark.e2e]


@pytest.fixture
def second_server(portal_server, server_env, e2e_paths):
    """Another gunicorn, same environment (database, SECRET_KEY, MEDIA_ROOT), another port."""
    with gunicorn(server_env, e2e_paths["static"], workers=1,
                  log_path=e2e_paths["log"].with_name("gunicorn-b.log")) as base_url:
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


def test_a_change_made_through_one_server_empties_the_page_cache_of_both(new_context, browser, portal_server,
                                                                         second_server):
    """Anonymous public pages are kept in one cache shared by both servers (here the folder
    var/cache/pages; Redis across machines): a matter submitted through A changes the public
    figures, and B stops serving the figures page it had stored."""
    anonymous = browser.new_context()
    figures_b = second_server + "/matters/figures/"
    anonymous.request.get(figures_b)
    stored = anonymous.request.get(figures_b)
    assert stored.status == 200 and stored.headers.get("x-page-cache") == "hit", stored.headers

    page_a = new_context().new_page()
    site_login(page_a, "enterprise")
    raise_matter(page_a, "两台服务器缓存检查", [{"name": "说明.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    assert "/matters/submitted/" in page_a.url, page_a.locator("main").inner_text()[:500]

    fresh = anonymous.request.get(figures_b)
    assert fresh.status == 200 and fresh.headers.get("x-page-cache") == "miss", fresh.headers
    anonymous.close()
