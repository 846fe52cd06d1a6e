"""Cold render of the public policy list, in-process, against the database in DATABASE_URL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python -m benchmarks.policy_list

For each URL: the median of 5 renders (Django test client, DEBUG off, the page cache off and
the default cache cleared before every render, so facet counts are computed each time: what
the visitor who meets an empty cache waits for), then every SQL query of the last render with
its time, and EXPLAIN ANALYZE of the queries slower than --explain-ms. Reads only.
"""

import argparse
import os
import secrets
import statistics
import sys
import time

URLS = [
    "/policies/list/",
    "/policies/list/?theme=fiscal-support&level=county",
    "/policies/list/?industry=C&year=2024",
    "/policies/list/?sort=oldest&page=40",
    "/policies/list/?q=企业",
    "/policies/list/?q=企业&sort=relevance",
    "/policies/list/?q=贷款&theme=finance-credit",
]


def setup():
    if not os.environ.get("DATABASE_URL"):
        sys.exit("Set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/portal_bench).")
    os.environ["DEBUG"] = "0"
    os.environ["PUBLIC_PAGE_CACHE_SECONDS"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django
    from django.conf import settings

    django.setup()
    # Plain static storage: the manifest needs collectstatic, and the page's cost is elsewhere.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def explain(sql):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def measure(url, runs, explain_ms, verbose):
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(url)  # process-level warm-up (templates, jieba), as a running server has it
    times = []
    for _ in range(runs):
        cache.clear()
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    assert response.status_code == 200, (url, response.status_code)
    median = statistics.median(times)
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(
        f"\n## {url}\nmedian {median:.1f} ms over {runs} renders "
        f"(min {min(times):.1f}, max {max(times):.1f}); {len(queries)} queries, {sql_ms:.1f} ms SQL in the last"
    )
    for i, q in enumerate(queries.captured_queries, 1):
        ms = float(q["time"]) * 1000
        print(f"  q{i:<2} {ms:7.2f} ms  {q['sql'][: 160 if not verbose else None]}")
        if ms >= explain_ms and q["sql"].lstrip().upper().startswith("SELECT"):
            print("\n".join("        " + line for line in explain(q["sql"]).splitlines()))
    return median, len(queries)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--explain-ms", type=float, default=3.0, help="EXPLAIN ANALYZE queries at least this slow")
    parser.add_argument("--verbose", action="store_true", help="print whole SQL statements")
    parser.add_argument("urls", nargs="*", default=URLS)
    args = parser.parse_args(argv)
    setup()
    from policies.models import Policy

    print(f"# Policy list, cold render ({Policy.objects.count()} policies)")
    results = [(url, *measure(url, args.runs, args.explain_ms, args.verbose)) for url in args.urls]
    print("\n| URL | median ms | queries |\n| --- | ---: | ---: |")
    for url, median, count in results:
        print(f"| `{url}` | {median:.1f} | {count} |")


if __name__ == "__main__":
    main()
