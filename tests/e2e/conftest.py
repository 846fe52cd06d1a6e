"""End-to-end harness: the production-style server (gunicorn, DEBUG off) on a copy of the
test database holding the demo county, and Debian's headless Chromium driven by Playwright.

How the server sees the data: pytest-django creates and migrates the test database
(`django_db_setup`). From it we clone a template database and load the demo county into it
with `manage.py seed_demo` (cached between runs: the template is rebuilt only when a
migration or a demo module changes), then clone the template into a fresh database for this
session. gunicorn gets that database in DATABASE_URL, so everything the browser does is
committed there and never leaks into the ordinary tests' database. The test process can
read the same database through the ORM alias "e2e" (see `e2e_db`).

Tests are skipped, with the reason, when Chromium or Playwright is missing; the checkers
(axe-core, the Nu HTML Checker) are skipped when `npm ci --prefix tests/e2e` has not run or
there is no Java. Under CI (CI=true) a missing tool fails these tests instead, so a broken CI
setup cannot pass as green.
"""

import email
import email.policy
import hashlib
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

# Hypothesis keeps a cache folder; keep it out of the checkout.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(Path(tempfile.gettempdir()) / "portal-hypothesis"))

E2E_DIR = Path(__file__).resolve().parent
BASE_DIR = E2E_DIR.parent.parent
CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]
AXE_JS = E2E_DIR / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = E2E_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PYTHON = sys.executable


def _missing_browser_reason():
    if not Path(CHROMIUM).exists():
        return f"end-to-end tests need Chromium at {CHROMIUM} (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "end-to-end tests need Playwright (pip install -r requirements.txt)"
    return None


def in_ci():
    return os.environ.get("CI", "").lower() == "true"


def missing_tool(reason):
    """Skip for want of a tool on a developer's machine; fail under CI, where it must be there."""
    if in_ci():
        pytest.fail(f"CI lacks a test tool: {reason}", pytrace=False)
    pytest.skip(reason)


def pytest_runtest_setup(item):
    if "e2e" in item.keywords:
        reason = _missing_browser_reason()
        if reason:
            missing_tool(reason)


# --------------------------------------------------------------------------------------
# The database the server uses
# --------------------------------------------------------------------------------------


def _maintenance_connection(settings_dict):
    import psycopg2

    conn = psycopg2.connect(
        dbname="postgres",
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
    )
    conn.autocommit = True
    return conn


def _database_url(settings_dict, name):
    from urllib.parse import quote

    user = quote(settings_dict.get("USER") or "")
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{quote(password)}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or "5432"
    if host.startswith("/"):  # a unix socket (the embedded server)
        return f"postgres://{auth}/{name}?host={quote(host)}&port={port}"
    return f"postgres://{auth}{host}:{port}/{name}"


def _demo_fingerprint():
    """Changes whenever the schema or the demo data could change."""
    digest = hashlib.sha256()
    patterns = [
        "*/migrations/*.py",
        "*/*/migrations/*.py",
        "*/demo.py",
        "*/*/demo.py",
        "portal/management/commands/seed_demo.py",
    ]
    for pattern in patterns:
        for path in sorted(BASE_DIR.glob(pattern)):
            if ".venv" in path.parts:
                continue
            digest.update(str(path.relative_to(BASE_DIR)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def server_environment(database_url, **extra):
    """The environment of a production deployment, for a server on the loopback address."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DEBUG", "PORTAL_TESTING", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DEBUG": "false",
            "SECRET_KEY": "e2e-" + secrets.token_urlsafe(48),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "false",
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": database_url,
            "LOG_LEVEL": "WARNING",
        }
    )
    env.update(extra)
    return env


def _run(args, env, what):
    result = subprocess.run(args, cwd=BASE_DIR, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"{what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def _ensure_test_database(request, django_db_blocker):
    """pytest-django sets up the test database only when some collected test is marked
    django_db; the end-to-end tests are not (they never touch it inside a transaction), so
    when they run alone, set it up the same way here."""
    from django.db import connections
    from django.test.utils import setup_databases

    if connections["default"].settings_dict["NAME"].startswith("test_"):
        return
    with django_db_blocker.unblock():
        setup_databases(
            verbosity=0,
            interactive=False,
            aliases={"default"},
            serialized_aliases=set(),
            keepdb=not request.config.getoption("create_db", False),
        )


@pytest.fixture(scope="session")
def e2e_database(request, django_db_setup, django_db_blocker):
    """A fresh database with the demo county for this session's server; yields its URL."""
    from django.db import connections

    _ensure_test_database(request, django_db_blocker)
    settings_dict = dict(connections["default"].settings_dict)
    test_name = settings_dict["NAME"]
    assert test_name.startswith("test_"), test_name
    template = f"{test_name}_e2e_tpl"
    name = f"{test_name}_e2e"
    fingerprint = _demo_fingerprint()
    with django_db_blocker.unblock():
        connections.close_all()  # CREATE DATABASE ... TEMPLATE needs the source to be idle
        conn = _maintenance_connection(settings_dict)
        with conn.cursor() as cur:
            cur.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [template])
            row = cur.fetchone()
            if row is None or row[0] != fingerprint:
                cur.execute(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)')
                # Migrated afresh rather than copied from the test database: a transactional test
                # that ran earlier in the session has emptied that one (flush), the rows of the
                # data migrations (themes, lexicon) included.
                cur.execute(f'CREATE DATABASE "{template}"')
                env = server_environment(_database_url(settings_dict, template))
                _run(
                    [PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0"],
                    env,
                    "migrate for the end-to-end database",
                )
                _run([PYTHON, "manage.py", "seed_demo"], env, "seed_demo for the end-to-end database")
                cur.execute(f"COMMENT ON DATABASE \"{template}\" IS '{fingerprint}'")
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        conn.close()

        # The test process reads the server's data through the alias "e2e".
        connections.settings["e2e"] = dict(
            connections.settings["default"], NAME=name, TEST={"NAME": name, "MIRROR": None}
        )
    try:
        yield _database_url(settings_dict, name)
    finally:
        with django_db_blocker.unblock():
            if "e2e" in connections.settings:
                try:
                    connections["e2e"].close()
                except Exception:  # noqa: BLE001 - best effort when tearing down
                    pass
                del connections.settings["e2e"]
            if not os.environ.get("E2E_KEEP_DB"):
                conn = _maintenance_connection(settings_dict)
                with conn.cursor() as cur:
                    cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.close()


@pytest.fixture
def e2e_db(e2e_database, django_db_blocker):
    """Read (or prepare) data in the server's database: `with e2e_db(): Model.objects.using("e2e")...`."""

    @contextmanager
    def opened():
        from django.db import connections

        with django_db_blocker.unblock():
            try:
                yield connections["e2e"]
            finally:
                connections["e2e"].close()

    return opened


# --------------------------------------------------------------------------------------
# The production-style server
# --------------------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url, process, log_path, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}:\n{Path(log_path).read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url} within {timeout}s:\n{Path(log_path).read_text()}")


def collect_static(env, static_root):
    _run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        dict(env, DJANGO_SETTINGS_MODULE="tests.e2e.server_settings", E2E_STATIC_ROOT=str(static_root)),
        "collectstatic",
    )


@contextmanager
def gunicorn(env, static_root, workers=2, port=None, log_path=None):
    """Run `gunicorn portal.wsgi --config python:portal.ops.gunicorn_conf` as a deployment does."""
    port = port or free_port()
    log_path = log_path or Path(tempfile.mkstemp(prefix="gunicorn-", suffix=".log")[1])
    env = dict(
        env,
        DJANGO_SETTINGS_MODULE="tests.e2e.server_settings",
        E2E_STATIC_ROOT=str(static_root),
        WEB_CONCURRENCY=str(workers),
        GUNICORN_ACCESSLOG=os.environ.get("E2E_ACCESSLOG", "/dev/null"),
    )
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--config",
                "python:portal.ops.gunicorn_conf",
                "--bind",
                f"127.0.0.1:{port}",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base_url + "/healthz", process, log_path)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def e2e_paths(tmp_path_factory):
    root = tmp_path_factory.mktemp("e2e")
    paths = {"static": root / "static", "media": root / "media", "log": root / "gunicorn.log"}
    paths["media"].mkdir()
    return paths


@pytest.fixture(scope="session")
def server_env(e2e_database, e2e_paths):
    return server_environment(e2e_database, MEDIA_ROOT=str(e2e_paths["media"]))


@pytest.fixture(scope="session")
def portal_server(server_env, e2e_paths):
    """Base URL of gunicorn serving the portal with production settings."""
    collect_static(server_env, e2e_paths["static"])
    with gunicorn(server_env, e2e_paths["static"], log_path=e2e_paths["log"]) as base_url:
        yield base_url
    log = e2e_paths["log"].read_text()
    if "Traceback" in log:
        print("\n--- gunicorn log (it holds tracebacks) ---\n" + log[-20000:])


# --------------------------------------------------------------------------------------
# The queue worker and the mail it delivers
# --------------------------------------------------------------------------------------


class CaughtMail:
    def __init__(self, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.to = sorted(address.lower() for address in envelope.rcpt_tos)
        self.subject = str(message["subject"] or "").strip()  # (a folded header unfolds with a space)
        body = message.get_body(preferencelist=("plain",))
        self.body = body.get_content() if body is not None else ""

    def __repr__(self):
        return f"<mail to {self.to}: {self.subject}>"


class MailCatcher:
    """An SMTP server on the loopback address (aiosmtpd) that keeps every mail it is given, and
    the file the worker writes text messages (短信) to."""

    def __init__(self, sms_path):
        self.messages = []
        self.sms_path = Path(sms_path)
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        mail = CaughtMail(envelope)
        with self._lock:
            self.messages.append(mail)
        return "250 Message accepted for delivery"

    def mails(self, containing=""):
        with self._lock:
            return [m for m in self.messages if containing in m.subject or containing in m.body]

    def texts(self, containing=""):
        if not self.sms_path.exists():
            return []
        lines = self.sms_path.read_text(encoding="utf-8").splitlines()
        return [tuple(line.split("\t", 2)[1:]) for line in lines if containing in line]


@contextmanager
def task_worker(env, log_path):
    """Run `manage.py task_worker` (the queue's worker, as `./run start` runs it beside gunicorn)."""
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [PYTHON, "manage.py", "task_worker"], cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_for(condition, what, timeout=30, interval=0.1):
    """Poll `condition` until it returns something true; fail with `what` after `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what}", pytrace=False)
        time.sleep(interval)


@pytest.fixture
def mail(server_env, e2e_paths, e2e_db, tmp_path):
    """The queue worker running beside the portal server (same environment), delivering mail
    to an SMTP server this test reads and text messages to a file. `mail.drain()` waits until
    the worker has run every job that is due (each job's mail is then in `mail.messages`)."""
    from aiosmtpd.controller import Controller

    catcher = MailCatcher(tmp_path / "sms.txt")
    port = free_port()
    smtp = Controller(catcher, hostname="127.0.0.1", port=port)
    smtp.start()
    env = dict(
        server_env,
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        SMS_BACKEND="portal.core.sms.FileBackend",
        SMS_FILE_PATH=str(catcher.sms_path),
        TASKS_RETRY_FIRST_DELAY="1",
    )
    log_path = tmp_path / "worker.log"

    def pending():
        from django_tasks_db.models import DBTaskResult

        with e2e_db():
            jobs = DBTaskResult.objects.using("e2e")
            return jobs.ready().count() + jobs.running().count()

    def drain(timeout=30):
        wait_for(lambda: pending() == 0 or None, f"the worker to run the queued jobs (log: {log_path})", timeout)

    catcher.drain = drain
    try:
        with task_worker(env, log_path) as process:
            catcher.worker = process
            yield catcher
            assert process.poll() is None, f"the worker stopped:\n{log_path.read_text()}"
    finally:
        smtp.stop()
    log = log_path.read_text()
    assert "Traceback" not in log, f"the worker logged an error:\n{log[-5000:]}"


# --------------------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    reason = _missing_browser_reason()
    if reason:
        missing_tool(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
    # in between (through `e2e_db`) are ordinary blocking calls, so allow them.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class PageProblems:
    """Console errors and failed responses a page produced (CSP violations show up here)."""

    def __init__(self):
        self.console = []
        self.server_errors = []

    def attach(self, page):
        page.on("console", lambda msg: msg.type == "error" and self.console.append(msg.text))
        page.on("pageerror", lambda exc: self.console.append(str(exc)))
        page.on("response", lambda r: r.status >= 500 and self.server_errors.append(f"{r.status} {r.url}"))


@pytest.fixture
def new_context(browser, portal_server):
    """Make browser contexts (one per user); all are closed after the test."""
    contexts = []

    def make(**options):
        options = {
            "base_url": portal_server,
            "locale": "zh-CN",
            "timezone_id": "Asia/Shanghai",
            "viewport": {"width": 1280, "height": 900},
            **options,
        }
        context = browser.new_context(**options)
        context.set_default_timeout(15000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in its own context; fails the test on server errors and CSP/console errors."""
    context = new_context()
    page = context.new_page()
    problems = PageProblems()
    problems.attach(page)
    page.problems = problems
    yield page
    assert not problems.server_errors, f"server errors: {problems.server_errors}"
    assert not problems.console, f"console errors (CSP violations, script errors): {problems.console}"


# --------------------------------------------------------------------------------------
# Helpers the journeys share
# --------------------------------------------------------------------------------------


def demo_password():
    from portal.demo import DEMO_PASSWORD

    return DEMO_PASSWORD


_last_totp_step = {}


def county_office_totp():
    """The current code of the county office's demo authenticator (portal/demo.py). A code
    is accepted once; a second login in the same 30 s uses the next step (tolerance 1)."""
    from django_otp.oath import totp

    from portal.demo import DEMO_TOTP_HEX

    step = int(time.time()) // 30
    last = _last_totp_step.get("countyoffice")
    if last is not None and step <= last:
        if last - step >= 1:
            time.sleep((last + 1) * 30 - time.time() + 1)
            step = int(time.time()) // 30
        else:
            step = last + 1
    _last_totp_step["countyoffice"] = step
    return f"{totp(bytes.fromhex(DEMO_TOTP_HEX), t0=0, step=30, digits=6, drift=step - int(time.time()) // 30):06d}"


def admin_login(page, username, password=None, totp=None):
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or demo_password())
    if totp:
        page.fill("#id_otp_token", totp)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_load_state()
    assert "/admin/login/" not in page.url, f"admin login of {username} failed: {page.inner_text('body')[:500]}"


def site_login(page, username, password=None):
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or demo_password())
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"login of {username} failed: {page.inner_text('main')[:500]}"


@pytest.fixture
def axe_source():
    if not AXE_JS.exists():
        missing_tool("axe-core is not installed: run `npm ci --ignore-scripts --prefix tests/e2e`")
    return AXE_JS.read_text()


@pytest.fixture(scope="session")
def vnu():
    """Validate HTML documents with the Nu HTML Checker; returns {name: [error messages]}."""
    if not VNU_JAR.exists():
        missing_tool("the Nu HTML Checker is not installed: run `npm ci --ignore-scripts --prefix tests/e2e`")
    java = shutil.which("java")
    if not java:
        missing_tool("the Nu HTML Checker needs Java (apt-get install -y default-jre-headless)")

    def check(documents):
        import json

        with tempfile.TemporaryDirectory() as folder:
            files = {}
            for i, (name, html) in enumerate(documents.items()):
                path = Path(folder) / f"page{i:03d}.html"
                path.write_text(html, encoding="utf-8")
                files[path.as_uri()] = name
                files[str(path)] = name
            result = subprocess.run(
                [
                    java,
                    "-jar",
                    str(VNU_JAR),
                    "--format",
                    "json",
                    "--errors-only",
                    "--exit-zero-always",
                    *sorted({str(p) for p in Path(folder).iterdir()}),
                ],
                capture_output=True,
                text=True,
            )
            report = json.loads(result.stderr or result.stdout or '{"messages": []}')
        errors = {}
        for message in report.get("messages", []):
            if message.get("type") not in ("error", "non-document-error"):
                continue
            url = message.get("url", "")
            name = files.get(url) or files.get(url.replace("file:", "")) or url
            errors.setdefault(name, []).append(
                f"line {message.get('lastLine')}: {message.get('message')} [{message.get('extract', '').strip()}]"
            )
        return errors

    return check


# ------------------------------------------------------------------ logins, reused per user


@pytest.fixture(scope="session")
def login_states(browser, portal_server):
    """Storage state (cookies) of each demo user, logged in once per session."""
    states = {}

    def state_for(username):
        if username not in states:
            context = browser.new_context(base_url=portal_server, locale="zh-CN")
            page = context.new_page()
            if username in ("countyoffice",):
                admin_login(page, username, totp=county_office_totp())
            elif username in ("enterprise", "enterprise_pending"):
                site_login(page, username)
            else:
                admin_login(page, username)
            states[username] = context.storage_state()
            context.close()
        return states[username]

    return state_for
