"""The portal as a county scales it out (docs/scaling.md): two app servers (separate gunicorn
processes, as on two machines behind nginx), one background-job worker, PostgreSQL, Redis
(cache, page cache, sessions, rate limits, the job queue) and S3-compatible object storage (moto's S3
server) for uploads and generated downloads. Nothing may live in one process's memory or on
one machine's disk:

- a login made on A is valid on B, and a logout on B ends it on A;
- a file uploaded through A is stored in the bucket (the local MEDIA_ROOT stays empty) and
  downloaded through B;
- a rate limit counts hits on A and B together;
- a public page stored by A is served from the cache by B, and a policy published through A
  takes it out of the cache for both;
- a guide rebuild asked for on A is queued in Redis, done by the worker, written to the bucket, and the PDF is
  downloaded through B.

`SCALE_OUT_MEASURE=1` also runs wrk against both servers at once and prints the figures that
docs/scaling.md quotes (never asserted: a benchmark, not a timed test).
"""

import os
import re
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import ExitStack

import pytest

from .conftest import (
    BASE_DIR,
    PYTHON,
    _database_url,
    _maintenance_connection,
    _run,
    admin_login,
    collect_static,
    county_office_totp,
    free_port,
    gunicorn,
    missing_tool,
    server_environment,
    site_login,
)
from .test_journey_matters import PDF, raise_matter

pytestmark = [pytest.mark.e2e]

# A Redis database of its own (flushed before and after): E2E_REDIS_URL, or DB 7 on this machine.
REDIS_URL = os.environ.get("E2E_REDIS_URL", "redis://127.0.0.1:6379/7")
BUCKET = "portal-files"
S3_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
TRACKING_LIMIT = 4


def wait_for(condition, what, timeout=120, interval=0.25):
    """Poll `condition` until it returns something truthy (and return that)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"{what}: not within {timeout} s")


# ------------------------------------------------------------------ the parts


@pytest.fixture(scope="module")
def redis_db():
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        missing_tool(f"the scale-out test needs Redis at {REDIS_URL} (apt-get install -y redis-server)")
    client.flushdb()
    yield client
    client.flushdb()


@pytest.fixture(scope="module")
def s3():
    """moto's S3 API server on a free port, with the portal's bucket; yields (endpoint, client)."""
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=S3_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
    )
    client.create_bucket(Bucket=BUCKET)
    try:
        yield endpoint, client
    finally:
        server.stop()


def bucket_keys(client):
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET)
    return {item["Key"] for page in pages for item in page.get("Contents", [])}


def bucket_object(client, key):
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


@pytest.fixture(scope="module")
def scale_database(e2e_database, django_db_blocker):
    """A database of its own, copied from the demo county's template (this module publishes a
    policy and rebuilds the guide; the other journeys keep theirs). The ORM alias "scale"."""
    from django.db import connections

    settings_dict = dict(connections["default"].settings_dict)
    name = f"{settings_dict['NAME']}_scale"
    with django_db_blocker.unblock():
        conn = _maintenance_connection(settings_dict)
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{settings_dict["NAME"]}_e2e_tpl"')
        connections.settings["scale"] = dict(
            connections.settings["default"], NAME=name, TEST={"NAME": name, "MIRROR": None}
        )
    try:
        yield _database_url(settings_dict, name)
    finally:
        with django_db_blocker.unblock():
            connections["scale"].close()
            del connections.settings["scale"]
            with conn.cursor() as cur:
                cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.close()


@pytest.fixture
def scale_db(scale_database, django_db_blocker):
    """Read the servers' data: `with scale_db(): Model.objects.using("scale")...`."""
    from contextlib import contextmanager

    from django.db import connections

    @contextmanager
    def opened():
        with django_db_blocker.unblock():
            try:
                yield
            finally:
                connections["scale"].close()

    return opened


@pytest.fixture(scope="module")
def cluster(scale_database, redis_db, s3, e2e_paths, tmp_path_factory):
    """Two app servers and a worker on one database, one Redis, one bucket. Yields
    {"a": url, "b": url, "media": the local MEDIA_ROOT, which nothing may use}."""
    endpoint, _client = s3
    media = tmp_path_factory.mktemp("scale-media")
    env = server_environment(
        scale_database,
        MEDIA_ROOT=str(media),
        CACHE_URL=REDIS_URL,
        PAGE_CACHE_URL=REDIS_URL,
        # The queue in Redis too (django-tasks-rq). A deployment gives it a database of its own
        # (persistent, never evicted); here one database serves all, its keys apart ("rq:").
        TASKS_URL=REDIS_URL,
        SESSION_ENGINE="django.contrib.sessions.backends.cached_db",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_S3_ADDRESSING_STYLE="path",
        **S3_CREDENTIALS,
        LIAISON_TRACKING_LOOKUPS_PER_HOUR=str(TRACKING_LIMIT),
        PUBLIC_PAGE_CACHE_SECONDS="600",
    )
    static = e2e_paths["static"]
    if not (static / "staticfiles.json").exists():
        collect_static(env, static)
    logs = tmp_path_factory.mktemp("scale-logs")
    _run([PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0"], env, "migrate (django-rq's table)")
    worker_log = open(logs / "worker.log", "w")
    worker = subprocess.Popen(
        [PYTHON, "manage.py", "task_worker"],
        cwd=BASE_DIR,
        stdout=worker_log,
        stderr=subprocess.STDOUT,
        env=dict(env, DJANGO_SETTINGS_MODULE="tests.e2e.server_settings", E2E_STATIC_ROOT=str(static)),
    )
    try:
        with ExitStack() as stack:
            a = stack.enter_context(
                gunicorn(env, static, workers=int(os.environ.get("SCALE_OUT_WORKERS", "1")), log_path=logs / "a.log")
            )
            b = stack.enter_context(
                gunicorn(env, static, workers=int(os.environ.get("SCALE_OUT_WORKERS", "1")), log_path=logs / "b.log")
            )
            yield {"a": a, "b": b, "media": media, "worker": worker, "logs": logs}
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()
        worker_log.close()
        for log in sorted(logs.iterdir()):
            text = log.read_text()
            if "Traceback" in text:
                print(f"\n--- {log.name} (it holds tracebacks) ---\n{text[-10000:]}")


@pytest.fixture
def browser_context(browser, cluster):
    contexts = []

    def make():
        context = browser.new_context(
            base_url=cluster["a"], locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
        )
        context.set_default_timeout(30000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


# The site's one name, as nginx passes it to every app server (proxy_set_header Host $host);
# the servers' own ports differ, and a page is stored under the host it was asked for.
SITE_HOST = "127.0.0.1"


def anonymous_get(url):
    """A visitor with no cookies at all, through the load balancer; (status, X-Page-Cache, body)."""
    request = urllib.request.Request(url, headers={"Accept-Language": "zh-CN", "Host": SITE_HOST})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("X-Page-Cache"), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("X-Page-Cache"), error.read()


def anonymous_post(url, data):
    request = urllib.request.Request(url, data=urllib.parse.urlencode(data).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


# ------------------------------------------------------------------ the checks


def test_a_login_on_one_server_holds_on_the_other_and_an_upload_through_one_is_in_the_bucket_for_both(
    cluster, browser_context, s3
):
    a, b = cluster["a"], cluster["b"]
    _endpoint, client = s3
    context = browser_context()
    page_a = context.new_page()
    site_login(page_a, "enterprise")  # on A

    page_b = context.new_page()  # cookies are per host, not per port: the same browser on B
    page_b.goto(b + "/my/")
    assert "/accounts/login/" not in page_b.url and page_b.locator("h1").inner_text() == "我的企业"

    before = bucket_keys(client)
    raise_matter(
        page_a, "两台服务器对象存储检查", [{"name": "对象存储.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    assert "/matters/submitted/" in page_a.url, page_a.locator("main").inner_text()[:500]
    tracking_number = page_a.locator("strong.code").first.inner_text()
    new_keys = bucket_keys(client) - before
    assert len(new_keys) == 1, new_keys
    (key,) = new_keys
    assert bucket_object(client, key) == PDF
    assert not any(cluster["media"].rglob("*")), "a file was written to the local MEDIA_ROOT"

    page_b.goto(b + f"/matters/mine/{tracking_number}/")
    link = page_b.locator("main a[download]", has_text="对象存储.pdf")
    assert link.count() == 1, page_b.locator("main").inner_text()[:500]
    response = context.request.get(b + link.get_attribute("href"))
    assert response.status == 200 and response.body() == PDF
    assert response.headers["content-disposition"].startswith("attachment")

    # Logging out on B ends the session on A as well (the cached session is gone from Redis).
    page_b.locator("form[action$='/accounts/logout/'] button").click()
    page_b.wait_for_load_state()
    page_a.goto(a + "/my/")
    assert "/accounts/login/" in page_a.url


def test_a_rate_limit_counts_the_hits_on_both_servers_together(cluster):
    servers = [cluster["a"], cluster["b"]]
    statuses = [
        anonymous_post(servers[n % 2] + "/matters/track/", {"tracking_number": "ZZ000000000", "query_code": "000000"})
        for n in range(TRACKING_LIMIT + 2)
    ]
    assert 429 not in statuses[:TRACKING_LIMIT], statuses
    assert statuses[TRACKING_LIMIT:] == [429, 429], statuses  # A, B, A, B answered; A, then B refuse


def test_a_page_stored_by_one_server_is_served_by_the_other_until_a_publication_through_one(
    cluster, browser_context, scale_db
):
    from policies.models import Policy

    a, b = cluster["a"], cluster["b"]
    path = "/policies/list/"
    first = anonymous_get(a + path)
    assert first[0] == 200 and first[1] == "miss", first[:2]
    from_b = anonymous_get(b + path)
    assert from_b[:2] == (200, "hit") and from_b[2] == first[2]

    with scale_db():
        draft = Policy.objects.using("scale").filter(published_at__isnull=True).order_by("pk").first()
    assert draft is not None and draft.title.encode() not in first[2]
    page = browser_context().new_page()
    admin_login(page, "countyoffice", totp=county_office_totp())  # on A
    page.goto(f"/admin/policies/policy/{draft.pk}/publish/")
    page.locator("#content form button[type=submit], #content form input[type=submit]").last.click()
    page.wait_for_load_state()
    assert f"/admin/policies/policy/{draft.pk}/change/" in page.url, page.locator("#content").inner_text()[:500]

    after = anonymous_get(b + path)
    assert after[:2] == (200, "miss") and draft.title.encode() in after[2]
    assert anonymous_get(a + path)[:2] == (200, "hit")  # B stored the new list for A too


def test_a_guide_rebuild_asked_on_one_server_is_built_by_the_worker_into_the_bucket_and_served_by_the_other(
    cluster, browser_context, scale_db, s3
):
    from guide.models import GuideEdition

    _endpoint, client = s3
    with scale_db():
        edition = GuideEdition.objects.using("scale").filter(status=GuideEdition.Status.CURRENT).get()
    key = f"guide/downloads/{edition.slug}/guide.pdf"
    assert key not in bucket_keys(client)

    page = browser_context().new_page()
    admin_login(page, "countyoffice", totp=county_office_totp())  # on A
    page.goto(f"/admin/guide/guideedition/{edition.pk}/change/")
    page.locator("form[action$='/rebuild/'] button").click()
    page.wait_for_load_state()
    assert page.locator(".messagelist .success").count() == 1, page.locator("#content").inner_text()[:500]

    worker = cluster["worker"]
    wait_for(
        lambda: worker.poll() is not None or key in bucket_keys(client), "the worker builds the guide PDF", timeout=300
    )
    assert worker.poll() is None, (cluster["logs"] / "worker.log").read_text()[-3000:]
    stored = bucket_object(client, key)
    assert stored.startswith(b"%PDF")

    response = urllib.request.urlopen(cluster["b"] + f"/guide/editions/{edition.slug}/guide.pdf", timeout=60)
    assert response.status == 200 and response.headers["Content-Type"] == "application/pdf"
    assert response.read() == stored
    assert not any(cluster["media"].rglob("*")), "a file was written to the local MEDIA_ROOT"


# ------------------------------------------------------------------ the figures (opt-in)

WRK_PAGES = ["/", "/policies/list/", "/guide/", "/healthz"]
# wrk prints p50/75/90/99; this prints the p95 too.
WRK_REPORT = """
done = function(summary, latency, requests)
  io.write(string.format("p95_us %d\\n", latency:percentile(95)))
end
"""


@pytest.mark.skipif(os.environ.get("SCALE_OUT_MEASURE") != "1", reason="set SCALE_OUT_MEASURE=1 to measure")
def test_measure_the_two_servers_with_wrk(cluster, tmp_path):
    """Figures for docs/scaling.md: wrk against A and B at once (8 connections each) per page,
    the page cache (Redis) warm. Printed, never asserted."""
    wrk = shutil.which("wrk")
    if not wrk:
        pytest.skip("wrk is not installed")
    script = tmp_path / "report.lua"
    script.write_text(WRK_REPORT)
    duration = os.environ.get("SCALE_OUT_SECONDS", "15")
    lines = [f"load before: {os.getloadavg()}"]
    for path in WRK_PAGES:
        for server in (cluster["a"], cluster["b"]):
            anonymous_get(server + path)  # warm: each stores or finds the page
        runs = [
            subprocess.Popen(
                [wrk, "-t2", "-c8", f"-d{duration}s", "-s", str(script), "-H", f"Host: {SITE_HOST}", server + path],
                stdout=subprocess.PIPE,
                text=True,
            )
            for server in (cluster["a"], cluster["b"])
        ]
        outputs = [run.communicate()[0] for run in runs]
        rates = [float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)) for out in outputs]
        p95 = [int(re.search(r"p95_us (\d+)", out).group(1)) / 1000 for out in outputs]
        errors = [re.search(r"Non-2xx or 3xx responses: (\d+)", out) for out in outputs]
        lines.append(
            f"{path}: {sum(rates):.0f} req/s (A {rates[0]:.0f} + B {rates[1]:.0f}); "
            f"p95 A {p95[0]:.1f} ms, B {p95[1]:.1f} ms; "
            f"non-2xx {[int(e.group(1)) if e else 0 for e in errors]}"
        )
    lines.append(f"load after: {os.getloadavg()}")
    print("\n" + "\n".join(lines))
