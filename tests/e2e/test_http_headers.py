"""HTTP properties of the production-style server (gunicorn, DEBUG off, whitenoise with the
compressed manifest storage): caching, validators, compression, page weight, security
headers. No browser needed; these run wherever PostgreSQL does."""

import gzip
import re
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest

HOME_BUDGET = 150 * 1024  # bytes, compressed, HTML + CSS + JS
SCRIPT_BUDGET = 50 * 1024
ONE_YEAR = 365 * 24 * 3600


def fetch(url, headers=None, method="GET"):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip", **(headers or {})}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def cache_control(headers):
    return {
        part.split("=")[0].strip().lower(): (part.split("=", 1)[1].strip() if "=" in part else True)
        for part in (headers.get("Cache-Control") or "").split(",")
        if part.strip()
    }


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.styles, self.scripts, self.images = [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "") and attrs.get("href"):
            self.styles.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])
        elif tag == "img" and attrs.get("src") and not attrs["src"].startswith("data:"):
            self.images.append(attrs["src"])


def assets_of(html):
    parser = Assets()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser


def body_text(headers, body):
    return gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body


def test_static_files_are_compressed_fingerprinted_and_cached_for_a_year(portal_server):
    status, headers, body = fetch(portal_server + "/")
    assert status == 200
    assets = assets_of(body_text(headers, body))
    assert assets.styles, "the home page links its stylesheet"
    for href in assets.styles + assets.scripts:
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", href), f"{href} is not fingerprinted (manifest storage)"
        status, headers, body = fetch(portal_server + href)
        assert status == 200, href
        assert headers.get("Content-Encoding") == "gzip", f"{href} is not served compressed"
        cc = cache_control(headers)
        assert int(cc.get("max-age", 0)) >= ONE_YEAR and "immutable" in cc, f"{href}: {headers.get('Cache-Control')}"
        assert "Accept-Encoding" in (headers.get("Vary") or "")


def test_home_page_weight_is_within_budget(portal_server):
    status, headers, body = fetch(portal_server + "/")
    total = len(body)
    assets = assets_of(body_text(headers, body))
    scripts = 0
    for href in assets.styles + assets.scripts + assets.images:
        _status, asset_headers, asset_body = fetch(portal_server + href)
        total += len(asset_body)
        if href in assets.scripts:
            scripts += len(asset_body)
    print(f"home page: {total} bytes compressed in total, {scripts} bytes of scripts")
    assert total < HOME_BUDGET, f"home page weighs {total} bytes compressed (budget {HOME_BUDGET})"
    assert scripts < SCRIPT_BUDGET, f"home page scripts weigh {scripts} bytes compressed (budget {SCRIPT_BUDGET})"


@pytest.mark.parametrize("path", ["/", "/about/"])
def test_anonymous_pages_are_publicly_cacheable(portal_server, path):
    status, headers, _ = fetch(portal_server + path)
    assert status == 200
    cc = cache_control(headers)
    assert "public" in cc and int(cc.get("max-age", 0)) > 0, headers.get("Cache-Control")
    assert "private" not in cc
    # A shared cache must key on the cookie: the same URL is private for a logged-in user.
    assert "Cookie" in (headers.get("Vary") or ""), headers.get("Vary")
    assert "Set-Cookie" not in headers or "csrftoken" in headers.get("Set-Cookie", ""), headers.get("Set-Cookie")


@pytest.mark.parametrize("path", ["/", "/about/"])
def test_anonymous_pages_carry_validators_and_answer_conditional_requests(portal_server, path):
    status, headers, _ = fetch(portal_server + path)
    etag, modified = headers.get("ETag"), headers.get("Last-Modified")
    assert etag or modified, headers
    condition = {"If-None-Match": etag} if etag else {"If-Modified-Since": modified}
    status, _headers, body = fetch(portal_server + path, condition)
    assert status == 304 and not body


def logged_in_cookie(portal_server, username, password):
    """Log in through the real login form; returns the Cookie header value."""
    import http.cookiejar

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = opener.open(portal_server + "/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": username, "password": password, "next": "/my/"}
    ).encode()
    opener.open(
        urllib.request.Request(
            portal_server + "/accounts/login/", data=data, headers={"Referer": portal_server + "/accounts/login/"}
        )
    )
    cookies = {c.name: c.value for c in jar}
    assert "sessionid" in cookies, "login failed"
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


@pytest.mark.parametrize("path", ["/", "/about/", "/my/"])
def test_a_logged_in_users_page_is_never_stored_by_a_shared_cache(portal_server, path):
    from portal.demo import DEMO_PASSWORD

    cookie = logged_in_cookie(portal_server, "enterprise", DEMO_PASSWORD)
    status, headers, _ = fetch(portal_server + path, {"Cookie": cookie})
    assert status == 200
    cc = cache_control(headers)
    assert "private" in cc and "public" not in cc, headers.get("Cache-Control")


def test_security_headers(portal_server):
    status, headers, _ = fetch(portal_server + "/")
    csp = headers.get("Content-Security-Policy") or ""
    script_src = next(d for d in csp.split(";") if d.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src and "unsafe-eval" not in script_src, csp
    assert "frame-ancestors 'none'" in csp
    assert headers.get("X-Frame-Options") == "DENY"
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "same-origin"
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin"


def test_errors_are_plain_pages_without_debug_information(portal_server):
    status, headers, body = fetch(portal_server + "/no-such-page/")
    text = body_text(headers, body).decode()
    assert status == 404
    assert "Traceback" not in text and "DEBUG" not in text and "URLconf" not in text
    assert "<h1>" in text


def test_health_checks(portal_server):
    assert fetch(portal_server + "/healthz")[0] == 200
    status, headers, body = fetch(portal_server + "/readyz")
    assert status == 200 and b"ok" in body_text(headers, body)
    assert "no-cache" in (headers.get("Cache-Control") or "") or "max-age=0" in (headers.get("Cache-Control") or "")
