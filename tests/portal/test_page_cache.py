"""The shared cache of anonymous public pages (portal/core/page_cache.py): served to anonymous
visitors only, never a logged-in user's page, emptied by any change a public page shows."""

import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from policies.services import policy_withdraw
from tests.policies.factories import PolicyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def cache_status(response):
    return response.headers.get("X-Page-Cache")


def test_the_second_anonymous_visitor_gets_the_stored_page_without_a_query(client, django_assert_num_queries):
    first = client.get(reverse("portal:home"))
    assert cache_status(first) == "miss"
    with django_assert_num_queries(0):
        second = Client().get(reverse("portal:home"))
    assert cache_status(second) == "hit"
    assert second.content == first.content
    assert "public" in second["Cache-Control"]


def test_a_stored_page_still_answers_a_conditional_request_with_304(client):
    etag = client.get(reverse("portal:about"))["ETag"]
    again = client.get(reverse("portal:about"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304


def test_a_logged_in_user_is_never_served_nor_stores_a_shared_page(client, login, enterprise_user):
    Client().get(reverse("portal:home"))  # stored for anonymous visitors
    logout_form = f'action="{reverse("portal:logout")}"'
    mine = login(enterprise_user).get(reverse("portal:home"))
    assert cache_status(mine) is None
    assert logout_form in mine.content.decode()
    assert "private" in mine["Cache-Control"]
    anonymous = Client().get(reverse("portal:home"))
    assert cache_status(anonymous) == "hit"
    assert logout_form not in anonymous.content.decode()


def test_any_cookie_but_the_display_preferences_bypasses_the_cache(client):
    client.get(reverse("portal:about"))
    visitor = Client()
    visitor.cookies["sessionid"] = "whatever"
    assert cache_status(visitor.get(reverse("portal:about"))) is None


def test_language_and_larger_text_are_part_of_the_key(client):
    chinese = client.get(reverse("portal:about"))
    english = Client()
    english.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = english.get(reverse("portal:about"))
    assert cache_status(page) == "miss"
    assert '<html lang="en">' in page.content.decode()
    assert '<html lang="zh-CN">' in chinese.content.decode()
    large = Client()
    large.post(reverse("portal:text_size"), {"large": "1", "next": "/"})
    assert cache_status(large.get(reverse("portal:about"))) == "miss"


def test_a_page_that_sets_a_cookie_is_not_stored(client):
    assert client.get(reverse("portal:login")).cookies  # the login form's CSRF cookie
    again = Client().get(reverse("portal:login"))
    assert cache_status(again) is None


def test_a_new_policy_shows_on_the_next_visit(client):
    PolicyFactory(title="第一份政策")
    url = reverse("policies:list")
    assert cache_status(client.get(url)) == "miss"
    assert cache_status(client.get(url)) == "hit"
    PolicyFactory(title="刚刚发布的纾困政策")
    page = client.get(url)
    assert cache_status(page) == "miss"
    assert "刚刚发布的纾困政策" in page.content.decode()


def test_a_withdrawn_policy_disappears_at_once(client, county_office_user):
    policy = PolicyFactory(title="即将撤回的政策")
    url = reverse("policies:detail", args=[policy.pk])
    assert client.get(url).status_code == 200
    assert cache_status(client.get(url)) == "hit"
    policy_withdraw(policy=policy, user=county_office_user, reason="内容有误")
    gone = client.get(url)
    assert gone.status_code == 410 and "内容有误" in gone.content.decode()


def test_changes_outside_the_public_apps_keep_the_pages(client, town):
    from visits.models import Visit  # noqa: F401 - the visits app shows nothing publicly

    from tests.factories import EnterpriseFactory

    client.get(reverse("portal:about"))
    from django.contrib.sessions.models import Session  # sessions change on every login
    from django.utils import timezone

    Session.objects.create(session_key="x" * 32, session_data="", expire_date=timezone.now())
    assert cache_status(client.get(reverse("portal:about"))) == "hit"
    EnterpriseFactory(town=town)  # portal data: may show publicly, so the pages go
    assert cache_status(client.get(reverse("portal:about"))) == "miss"


def test_the_tracking_form_is_cached_and_the_lookup_needs_no_csrf_token():
    visitor = Client(enforce_csrf_checks=True)
    url = reverse("liaison:track")
    assert cache_status(visitor.get(url)) == "miss"
    assert cache_status(visitor.get(url)) == "hit"
    response = visitor.post(url, {"tracking_number": "BM000000000000", "query_code": "ABCDEF"})
    assert response.status_code in (400, 404)
    assert "no-store" in response["Cache-Control"]
    assert "BM000000000000" in response.content.decode()  # what was typed is kept


def test_the_cache_is_off_when_its_lifetime_is_zero(client, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    client.get(reverse("portal:about"))
    assert cache_status(client.get(reverse("portal:about"))) is None


def test_models_named_in_the_rules_exist():
    """A renamed model would silently leave the rules: every label must be a real model."""
    from django.apps import apps

    from portal.core import page_cache

    for label in page_cache.PUBLIC_CONTENT_MODELS | page_cache.PRIVATE_MODELS:
        apps.get_model(label)
    for app_label in page_cache.PUBLIC_CONTENT_APPS:
        apps.get_app_config(app_label)


def test_a_matchmaking_event_empties_the_pages_but_a_visit_does_not(client, town, enterprise):
    import datetime

    from tests.visits.factories import VisitFactory
    from visits.models import MatchmakingEvent

    client.get(reverse("portal:about"))
    VisitFactory(enterprise=enterprise, unit=town)
    assert cache_status(client.get(reverse("portal:about"))) == "hit"
    MatchmakingEvent.objects.create(title="政银企对接会", date=datetime.date(2026, 12, 1), place="县政府", unit=town)
    assert cache_status(client.get(reverse("portal:about"))) == "miss"


def test_an_unreachable_cache_server_means_rendering_not_an_error(client, settings):
    """Redis down (here: nothing listens on the port): pages are rendered, saves still work."""
    from django.test import override_settings

    unreachable = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        },
    }
    with override_settings(CACHES=unreachable):
        for _ in range(2):
            response = client.get(reverse("portal:about"))
            assert response.status_code == 200 and cache_status(response) is None
        PolicyFactory(title="缓存不可用时仍可保存")  # the invalidation fails quietly
        assert "缓存不可用时仍可保存" in client.get(reverse("policies:list")).content.decode()


# --- precise invalidation: a change clears the pages that show it, and only those -------------


def test_matters_visits_and_survey_answers_never_clear_a_public_page(
    client, town, enterprise, town_staff_user, county_office_unit, department
):
    from liaison.surveys.models import Survey
    from tests.liaison.factories import make_matter
    from tests.surveys.factories import make_survey, submit_ratings
    from tests.visits.factories import VisitFactory

    policy = PolicyFactory(unit=town)
    survey = make_survey([department])
    url = reverse("policies:detail", args=[policy.pk])
    assert cache_status(client.get(url)) == "miss"
    matter = make_matter(enterprise=enterprise, received_by=town, created_by=town_staff_user)
    matter.save()
    VisitFactory(enterprise=enterprise, unit=town)
    submit_ratings(
        Survey.objects.get(pk=survey.pk),
        enterprise,
        {department: {"服务态度": 5, "办事效率": 4}},
        comments={department: "很好"},
    )
    assert cache_status(client.get(url)) == "hit"
    assert cache_status(client.get(reverse("policies:list"))) == "miss"
    assert cache_status(client.get(reverse("policies:list"))) == "hit"


def test_publishing_a_policy_freshens_its_page_the_list_and_home_but_not_other_policies(
    client, town, county_office_user
):
    from policies.models import Policy
    from tests.policies.factories import DraftFactory

    other = PolicyFactory(unit=town, title="另一份政策")
    draft = DraftFactory(unit=town, title="今天发布的新政策")
    pages = {
        name: reverse(*args)
        for name, args in [
            ("home", ("portal:home",)),
            ("list", ("policies:list",)),
            ("other", ("policies:detail", None, [other.pk])),
        ]
    }
    for url in pages.values():
        client.get(url)
        assert cache_status(client.get(url)) == "hit"
    assert client.get(reverse("policies:detail", args=[draft.pk])).status_code == 404
    draft.status = Policy.Status.PUBLISHED
    draft.published_at = timezone.now()
    draft.save()
    assert "今天发布的新政策" in client.get(pages["list"]).content.decode()
    assert "今天发布的新政策" in client.get(pages["home"]).content.decode()
    page = client.get(reverse("policies:detail", args=[draft.pk]))
    assert page.status_code == 200 and cache_status(page) == "miss"
    assert cache_status(client.get(pages["other"])) == "hit"


def test_a_linked_policy_freshens_the_page_that_links_to_it(client, town):
    old = PolicyFactory(unit=town, title="旧政策")
    new = PolicyFactory(unit=town, title="新政策")
    url = reverse("policies:detail", args=[old.pk])
    client.get(url)
    assert cache_status(client.get(url)) == "hit"
    old.replaced_by = new
    old.save()
    assert cache_status(client.get(url)) == "miss"
    new_url = reverse("policies:detail", args=[new.pk])
    client.get(new_url)
    assert cache_status(client.get(new_url)) == "hit"
    old.title = "旧政策（已被替代）"
    old.save()
    assert "旧政策（已被替代）" in client.get(new_url).content.decode()  # it lists what it replaces
    unrelated = PolicyFactory(unit=town)
    client.get(reverse("policies:detail", args=[unrelated.pk]))
    new.related.add(old)
    assert cache_status(client.get(url)) == "miss"
    assert cache_status(client.get(reverse("policies:detail", args=[unrelated.pk]))) == "hit"


def test_editing_a_guide_item_freshens_only_guide_pages(client, town):
    from tests.guide.factories import ServiceItemFactory

    item = ServiceItemFactory()
    policy = PolicyFactory(unit=town)
    guide_url = reverse("guide:item", args=[item.pk])
    policy_url = reverse("policies:detail", args=[policy.pk])
    for url in (guide_url, policy_url, reverse("policies:list")):
        client.get(url)
    item.name = "改名后的事项"
    item.save()
    assert cache_status(client.get(policy_url)) == "hit"
    assert cache_status(client.get(reverse("policies:list"))) == "hit"
    page = client.get(guide_url)
    assert cache_status(page) == "miss" and "改名后的事项" in page.content.decode()


def test_a_policy_scheduled_to_appear_bounds_the_lifetime_of_the_lists(client, town, settings):
    import datetime

    from portal.core.page_cache import _lifetime, page_cache, page_tags, tag_cache, tag_versions

    settings.PUBLIC_PAGE_LIFETIME = 6 * 3600
    tags = page_tags(reverse("policies:list"))
    versions = tag_versions(tag_cache(), tags)
    assert _lifetime(page_cache(), reverse("policies:list"), tags, versions) == 6 * 3600
    PolicyFactory(unit=town, published_at=timezone.now() + datetime.timedelta(minutes=30))
    versions = tag_versions(tag_cache(), tags)
    assert 1700 < _lifetime(page_cache(), reverse("policies:list"), tags, versions) <= 1800
    figures = reverse("liaison:figures")
    assert _lifetime(page_cache(), figures, page_tags(figures), {}) == settings.PUBLIC_PAGE_CACHE_SECONDS


# --- compression: public pages only ------------------------------------------------------------


def test_a_public_page_is_gzip_encoded_when_asked_and_stored_so(client):
    import gzip

    url = reverse("policies:list")
    plain = client.get(url)
    assert "Content-Encoding" not in plain
    first = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert first["Content-Encoding"] == "gzip" and "Accept-Encoding" in first["Vary"]
    assert gzip.decompress(first.content) == plain.content
    again = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert cache_status(again) == "hit" and again["Content-Encoding"] == "gzip"
    assert cache_status(Client().get(url)).startswith("hit") and "Content-Encoding" not in Client().get(url)


def test_a_page_with_a_form_or_a_login_is_never_compressed(client, login, enterprise_user, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # compression does not depend on the cache
    form_page = Client().get(reverse("portal:login"), HTTP_ACCEPT_ENCODING="gzip")
    assert "csrfmiddlewaretoken" in form_page.content.decode() and "Content-Encoding" not in form_page
    mine = login(enterprise_user).get(reverse("portal:home"), HTTP_ACCEPT_ENCODING="gzip")
    assert mine.status_code == 200 and "Content-Encoding" not in mine
    assert Client().get(reverse("portal:about"), HTTP_ACCEPT_ENCODING="gzip")["Content-Encoding"] == "gzip"


def test_a_renamed_theme_shows_in_the_list_facets_at_once(client):
    """The facet counts are cached per process; their key follows the shared version of the
    policies' pages, which a theme's save moves (in any server process)."""
    from policies.models import Theme

    theme = Theme.objects.order_by("sort_order").first()
    PolicyFactory(themes=[theme])
    url = reverse("policies:list")
    assert theme.name in client.get(url).content.decode()
    Theme.objects.filter(pk=theme.pk).update(name="改名后的主题")  # no signal: as another process
    from portal.core.page_cache import invalidate

    invalidate({"policies"})  # what that process's save did
    assert "改名后的主题" in client.get(url).content.decode()
