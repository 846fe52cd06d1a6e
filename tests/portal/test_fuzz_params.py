"""Odd input is a 4xx with the normal error page, never a 500: NUL bytes in the path, the
query or a form, absurd numbers and dates in any parameter, on public AND official pages.

Hypothesis drives the query parameters of every page without URL arguments (plus the pages
with a tracking number or an id in the path), in-process with the test client, which
re-raises whatever a view lets escape; examples are bounded so the file runs in about a minute.
"""

import string

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings, strategies as st

pytestmark = [pytest.mark.django_db]

FUZZ = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Parameter names the portal's pages read (filters, periods, pages, search).
NAMES = [
    "q",
    "theme",
    "unit",
    "level",
    "validity",
    "year",
    "month",
    "quarter",
    "period",
    "type",
    "page",
    "sort",
    "start",
    "end",
    "date",
    "from",
    "to",
    "official",
    "enterprise",
    "kind",
    "state",
    "town",
    "industry",
    "scale",
    "window",
    "issuer",
    "topic",
    "edition",
    "status",
    "week",
    "day",
    "o",
    "p",
    "e",
    "x",
    "due",
    "category",
    "format",
    "campaign",
    "survey",
    "n",
    "id",
    "pk",
    "next",
    "lang",
    "large",
]
ABSURD = [
    "\x00",
    "a\x00b",
    "%00",
    "10000",
    "99999",
    "0",
    "-1",
    "-99999999999999999999",
    "99999999999999999999",
    "1e309",
    "NaN",
    "inf",
    "2026-13-45",
    "9999-12-31",
    "0000-00-00",
    "10000-01-01",
    "2026-02-30",
    "2026-W99",
    "2026Q9",
    "2026-99",
    "\ud7ff",
    "' OR 1=1 --",
    "政" * 300,
    "",
    " ",
    "[]",
    "𠀀",
]
value = st.one_of(
    st.sampled_from(ABSURD),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.text(alphabet=string.printable + "\x00政", max_size=20),
)
params = st.dictionaries(st.sampled_from(NAMES), value, min_size=1, max_size=4)


def _argless_paths():
    """Every GET-able URL of the project without path arguments (admin model pages excluded:
    their filters are Django's own and answer 400/redirect on bad lookups)."""
    found = []

    def walk(patterns, prefix):
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                if route.startswith("admin/") and prefix == "":
                    walk(p.url_patterns, "admin/")
                    continue
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern) and "<" not in route and "(" not in route:
                path = "/" + (prefix + route).lstrip("^").rstrip("$")
                if prefix == "admin/" and path.count("/") > 3:
                    continue
                if any(w in path for w in ("logout", "two-factor", "otp", "confirm", "jsi18n")):
                    continue
                found.append(path)

    walk(get_resolver().url_patterns, "")
    return sorted(set(found))


PATHS = _argless_paths()


def _assert_no_5xx(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"


@pytest.mark.parametrize(
    "url",
    [
        "/policies/list/?theme=%00",
        "/matters/track/%00/",
        "/matters/mine/%00/",
        "/visits/enterprises/?q=%00",
        "/search/?q=a%00b",
        "/guide/?q=%00",
        "/%00/",
        "/policies/list/?%00=1",
    ],
)
def test_a_nul_byte_anywhere_is_a_400_with_the_normal_page(login, county_office_user, url):
    client = login(county_office_user)
    response = client.get(url)
    assert response.status_code == 400
    assert "<html" in response.content.decode() and "请求" in response.content.decode()


def test_a_nul_byte_in_a_form_is_a_400(client):
    response = client.post("/matters/track/", {"tracking_number": "ZQ\x00", "query_code": "A"})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        "year=10000",
        "year=99999999999999999999",
        "year=-1",
        "year=0",
        "start=9999-12-31&end=10000-01-01",
        "page=99999999999999999999",
    ],
)
def test_absurd_numbers_on_public_lists_are_not_server_errors(client, query):
    for path in ("/policies/list/", "/search/", "/guide/", "/matters/figures/", "/policies/"):
        _assert_no_5xx(client.get(f"{path}?{query}"), f"{path}?{query}")


def _fuzz(client, paths, data):
    path = data.draw(st.sampled_from(paths), label="path")
    query = data.draw(params, label="params")
    _assert_no_5xx(client.get(path, query), f"{path} {query!r}")


@FUZZ
@given(data=st.data())
def test_public_pages_never_fail_on_odd_parameters(client, data):
    _fuzz(client, PATHS, data)


@FUZZ
@given(data=st.data())
def test_official_pages_never_fail_on_odd_parameters(login, county_office_user, data):
    _fuzz(login(county_office_user), PATHS, data)


@FUZZ
@given(data=st.data())
def test_town_pages_never_fail_on_odd_parameters(login, town_staff_user, data):
    _fuzz(login(town_staff_user), [p for p in PATHS if p.startswith(("/visits/", "/admin/", "/surveys/"))], data)


@pytest.mark.parametrize(
    "path",
    [
        "/visits/ledgers/",
        "/visits/ledgers/visits.csv",
        "/admin/liaison/matter/ledgers/",
        "/visits/coverage/",
        "/admin/liaison/matter/figures/",
        "/policies/list/",
    ],
)
@pytest.mark.parametrize(
    "query",
    [
        "start=9999-12-31&end=9999-12-31&kind=matters&format=csv",
        "start=0001-01-01&end=0001-01-01&kind=complaints&format=xlsx",
        "period=9999-12-31",
        "period=0001-01-01",
        "year=10000",
        "unit=99999999999999999999",
        "official=99999999999999999999",
    ],
)
def test_absurd_dates_and_ids_on_official_pages_are_not_server_errors(login, county_office_user, path, query):
    _assert_no_5xx(login(county_office_user).get(f"{path}?{query}"), f"{path}?{query}")


@FUZZ
@given(data=st.data())
def test_pages_of_one_record_never_fail_on_odd_parameters(login, county_office_user, enterprise, town, data):
    from django.urls import reverse

    from liaison.models import Matter
    from tests.liaison.factories import make_matter

    matter = Matter.objects.first() or make_matter(enterprise=enterprise, received_by=town)
    paths = [
        reverse("admin:liaison_matter_act", args=[matter.pk, "reply"]),
        reverse("admin:liaison_matter_change", args=[matter.pk]),
        reverse("visits:enterprise_file", args=[enterprise.pk]),
        f"/guide/items/{matter.pk}/",
    ]
    query = data.draw(
        st.fixed_dictionaries(
            {"template": value}, optional={name: value for name in ("page", "o", "_changelist_filters", "tab")}
        ),
        label="params",
    )
    path = data.draw(st.sampled_from(paths), label="path")
    _assert_no_5xx(login(county_office_user).get(path, query), f"{path} {query!r}")
