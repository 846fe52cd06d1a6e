"""The shared cache of anonymous public pages (portal/page_cache.py): served to anonymous
visitors only, never a logged-in user's page, emptied by any change a public page shows."""
import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

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

    from portal import page_cache

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

    unreachable = {**settings.CACHES, "pages": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 0.2}}}
    with override_settings(CACHES=unreachable):
        for _ in range(2):
            response = client.get(reverse("portal:about"))
            assert response.status_code == 200 and cache_status(response) is None
        PolicyFactory(title="缓存不可用时仍可保存")  # the invalidation fails quietly
        assert "缓存不可用时仍可保存" in client.get(reverse("policies:list")).content.decode()
