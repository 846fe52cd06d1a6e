"""Rate limits that limit (issue 12, hole 8): counters in the shared cache (the database cache
table here), keyed by the client address from the one trusted-proxy rule, the same address
login lockout uses; subscription mails throttled through the same mechanism."""

import threading
import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from portal.core.client_address import client_address
from tests.factories import PASSWORD

PROXY = "10.0.0.2"


def _request(remote="203.0.113.7", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_no_proxy_is_trusted_by_default(settings):
    settings.TRUSTED_PROXIES = []
    assert client_address(_request(PROXY, "198.51.100.1")) == PROXY


def test_a_trusted_proxy_names_the_client_and_a_forged_header_part_is_ignored(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    # nginx appends the address it saw to whatever the client sent.
    assert client_address(_request(PROXY, "1.1.1.1, 198.51.100.1")) == "198.51.100.1"
    # Two trusted hops (load balancer → nginx): still the first untrusted address from the right.
    assert client_address(_request(PROXY, "1.1.1.1, 198.51.100.1, 10.0.0.9")) == "198.51.100.1"
    # A garbled header: stop at the last trusted proxy rather than believe it.
    assert client_address(_request(PROXY, "198.51.100.1, not-an-ip")) == PROXY
    assert client_address(_request(PROXY)) == PROXY


def test_an_untrusted_peer_cannot_choose_its_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/24"]
    assert client_address(_request("203.0.113.7", "10.0.0.3, 198.51.100.1")) == "203.0.113.7"


def _track(client, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("liaison:track"), {"tracking_number": "ZQX", "query_code": "X"}, **extra).status_code


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_visitor_has_their_own_budget(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.LIAISON_TRACKING_LOOKUPS_PER_HOUR = 3
    assert [_track(client, PROXY, "198.51.100.1") for _ in range(4)][-1] == 429
    # Another visitor through the same nginx is not blocked by the first one.
    assert _track(client, PROXY, "198.51.100.2") != 429


@pytest.mark.django_db
def test_from_an_untrusted_peer_a_forged_header_does_not_escape_the_limit(client, settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.LIAISON_TRACKING_LOOKUPS_PER_HOUR = 3
    statuses = [_track(client, "203.0.113.7", f"198.51.100.{n}") for n in range(5)]
    assert 429 not in statuses[:3] and statuses[3:] == [429, 429]


def _hits(results, group, count, barrier=None):
    """Count `count` hits in a fresh cache client on this thread's own database connection,
    as another server process would. (Each thread's connection commits its own writes, so
    the test needs no transactional database: nothing of the test's data is flushed.)"""
    from portal.core.ratelimit import over_limit

    try:
        caches.create_connection("ratelimit")  # a second, independent cache client
        request = _request("198.51.100.50")
        if barrier is not None:
            barrier.wait()
        for _ in range(count):
            results.append(over_limit(request, group=group, limit=5))
    finally:
        connection.close()


@pytest.mark.django_db
def test_the_limit_holds_across_two_server_processes():
    group = f"test:{uuid.uuid4().hex}"
    first, second = [], []
    for results in (first, second):
        worker = threading.Thread(target=_hits, args=(results, group, 3))
        worker.start()
        worker.join()
    # 3 hits in one process, then 3 in another: the sixth is over the limit of 5.
    assert first == [False, False, False] and second == [False, False, True]


@pytest.mark.django_db
def test_simultaneous_hits_from_two_processes_are_all_counted():
    group = f"test:{uuid.uuid4().hex}"
    results = []
    barrier = threading.Barrier(2)
    workers = [threading.Thread(target=_hits, args=(results, group, 10, barrier)) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    # 20 hits, limit 5: exactly 15 refused (no increment lost to a race).
    assert len(results) == 20 and results.count(True) == 15


@pytest.mark.django_db
def test_the_shared_cache_is_the_database_table_by_default():
    from portal.ops.shared_cache import AtomicDatabaseCache

    assert isinstance(caches["ratelimit"], AtomicDatabaseCache)


@pytest.mark.django_db
def test_subscription_mails_are_throttled_per_address_and_per_mailbox(client, settings):
    settings.POLICY_SUBSCRIPTION_MAILS_PER_HOUR = 3
    settings.POLICY_SUBSCRIPTION_MAILS_PER_DAY_PER_EMAIL = 2
    url = reverse("policies:subscribe")
    statuses = [
        client.post(url, {"email": "victim@example.com"}, REMOTE_ADDR=f"198.51.100.{n}").status_code for n in range(3)
    ]
    assert statuses == [200, 200, 429]
    response = client.post(url, {"email": "other@example.com"}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 200
    for _ in range(3):
        response = client.post(url, {"email": f"{uuid.uuid4().hex[:8]}@example.com"}, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 429
    assert "请求过于频繁" in response.content.decode()
    assert 'value="' in response.content.decode()  # what was typed is kept


def _login(client, username, password, remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("admin:login"), {"username": username, "password": password}, **extra)


@pytest.mark.django_db
def test_login_lockout_is_per_account_from_any_address(client, town_staff_user, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, town_staff_user.username, "wrong", f"198.51.100.{n}")
    assert _login(client, town_staff_user.username, PASSWORD, "198.51.100.99").status_code == 429


@pytest.mark.django_db
def test_login_lockout_is_per_address_across_accounts_and_uses_the_proxy_rule(
    client, town_staff_user, department_staff_user, settings
):
    from axes.models import AccessAttempt

    settings.TRUSTED_PROXIES = [PROXY]
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, f"nobody{n}", "wrong", PROXY, "1.1.1.1, 198.51.100.7")
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.7"}
    # That visitor is locked out, even with a real account and its password ...
    assert _login(client, town_staff_user.username, PASSWORD, PROXY, "198.51.100.7").status_code == 429
    # ... but the next visitor through the same nginx is not.
    assert _login(client, department_staff_user.username, PASSWORD, PROXY, "198.51.100.8").status_code == 302
