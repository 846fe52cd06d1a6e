import pytest
from django.urls import reverse


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any database access here would raise.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


@pytest.mark.django_db
def test_readyz_checks_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok"}


@pytest.mark.django_db
def test_home_page_is_chinese_by_default_with_the_site_frame(client, settings):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-CN">' in html
    assert settings.COUNTY_NAME in html
    assert settings.SITE_ICP in html and settings.SITE_GOV_ID in html
    assert 'href="#main"' in html  # skip link


@pytest.mark.django_db
def test_security_headers_and_csp_without_unsafe_inline_scripts(client):
    response = client.get(reverse("portal:home"))
    csp = response["Content-Security-Policy"]
    script_src = [d for d in csp.split(";") if d.strip().startswith("script-src")][0]
    assert "unsafe-inline" not in script_src
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_larger_text_mode_persists_in_a_cookie(client):
    response = client.post(reverse("portal:text_size"), {"large": "1", "next": "/about/"})
    assert response.status_code == 302 and response["Location"] == "/about/"
    page = client.get("/about/")
    assert 'class="large-text' in page.content.decode()


@pytest.mark.django_db
def test_text_size_ignores_an_offsite_next(client):
    response = client.post(reverse("portal:text_size"), {"large": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_english_can_be_switched_on(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html


@pytest.mark.django_db
def test_anonymous_pages_are_cacheable_and_set_no_cookie(client):
    response = client.get(reverse("portal:home"))
    assert "public" in response["Cache-Control"]
    assert not response.cookies
    assert response.has_header("ETag")
    again = client.get(reverse("portal:home"), HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


@pytest.mark.django_db
def test_logged_in_pages_are_never_stored_by_a_shared_cache(login, enterprise_user):
    client = login(enterprise_user)
    response = client.get(reverse("portal:home"))
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


@pytest.mark.django_db
def test_an_english_browser_still_gets_chinese_until_english_is_chosen(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN">' in html


@pytest.mark.django_db
def test_interaction_page_lists_the_ways_to_reach_the_county(client):
    response = client.get(reverse("portal:interaction"))
    assert response.status_code == 200
    assert reverse("liaison:home") in response.content.decode()


@pytest.mark.django_db
def test_the_root_sitemap_indexes_every_section_and_lists_only_public_pages(client):
    import re

    from guide.models import ServiceItem
    from tests.policies.factories import DraftFactory, PolicyFactory

    published, draft = PolicyFactory(), DraftFactory()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and b"<sitemapindex" in response.content
    sections = re.findall(r"<loc>http://testserver(/sitemap-[^<]+)</loc>", response.content.decode())
    names = {s.split("?")[0] for s in sections}
    assert {
        "/sitemap-sections.xml",
        "/sitemap-policies.xml",
        "/sitemap-guide-items.xml",
        "/sitemap-matter-pages.xml",
        "/sitemap-matchmaking.xml",
        "/sitemap-survey-results.xml",
    } <= names
    urls = "".join(client.get(s).content.decode() for s in sections)
    assert f"/policies/{published.pk}/" in urls and f"/policies/{draft.pk}/" not in urls
    assert "/matters/figures/" in urls and "/visits/matchmaking/" in urls and "/interaction/" in urls
    assert not ServiceItem.objects.exists()  # an empty section is still a valid sitemap


@pytest.mark.django_db
def test_interaction_page_shows_the_matter_figures_panel(client):
    html = client.get(reverse("portal:interaction")).content.decode()
    assert reverse("liaison:figures") in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path, current",
    [
        ("/", "/"),
        ("/policies/", "/policies/"),
        ("/guide/", "/guide/"),
        ("/matters/", "/matters/"),
        ("/interaction/", "/interaction/"),
    ],
)
def test_the_main_navigation_marks_exactly_the_current_section(client, path, current):
    import re

    nav = re.search(r'<nav class="main-nav".*?</nav>', client.get(path).content.decode(), re.S).group(0)
    assert re.findall(r'<a href="([^"]+)"\s*aria-current="page"', nav) == [current]


@pytest.mark.django_db
def test_robots_txt_keeps_crawlers_out_of_the_workspace_and_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text and "Disallow: /my/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


@pytest.mark.django_db
def test_the_icon_is_linked_from_every_page_and_served_at_favicon_ico(client):
    from django.templatetags.static import static

    assert f'<link rel="icon" href="{static("favicon.ico")}"' in client.get("/").content.decode()
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"] == static("favicon.ico")
