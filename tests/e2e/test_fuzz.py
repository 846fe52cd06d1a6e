"""Hypothesis fuzzing of the public forms and the search: whatever is typed or put in the
address, the answer is never a server error (5xx) — a form shows its errors (4xx or the
form again), a search shows results or none.

Runs in-process with the Django test client (which re-raises any exception a view lets
escape), so a failure shows the traceback and the shrunk input.
"""

import string

import pytest
from django.urls import NoReverseMatch, resolve, Resolver404
from hypothesis import HealthCheck, given, settings, strategies as st

pytestmark = [pytest.mark.django_db]

FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text that stresses the usual weak spots: NUL and control characters, CJK, full-width and
# combining characters, very long words, SQL/HTML/tsquery syntax, traditional characters.
nasty = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "'",
        '"',
        "\\",
        "%",
        "_",
        "%%",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "&",
        "|",
        "!",
        "&|!():*",
        "a:*",
        "(",
        ")",
        "<->",
        "政策",
        "融资 贷款",
        "中小企业扶持资金",
        "臺灣 稅務",
        "ｆｕｌｌ",
        "e\u0301",
        "\u200b",
        "\ufeff",
        "𠀀𠀁",
        "🙂",
        "9" * 40,
        "政" * 300,
        "-1",
        "0",
        "1e9",
        "../../etc/passwd",
        "%00",
        "\r\n",
        "\t",
        "NULL",
        "None",
        "[]",
        "{}",
    ]
)
text = st.one_of(
    nasty,
    st.text(max_size=60),
    st.text(alphabet=string.printable, max_size=30),
    st.lists(nasty, max_size=4).map(" ".join),
)


def exists(path):
    try:
        resolve(path.split("?")[0])
        return True
    except (Resolver404, NoReverseMatch):
        return False


def assert_no_server_error(response, what):
    assert response.status_code < 500, f"{what} answered {response.status_code}"


@FUZZ
@given(q=text, kind=text, page=text)
def test_search_never_fails(client, q, kind, page):
    response = client.get("/search/", {"q": q, "type": kind, "page": page})
    assert_no_server_error(response, f"search q={q!r} type={kind!r} page={page!r}")


@FUZZ
@given(
    params=st.dictionaries(
        st.sampled_from(
            [
                "q",
                "theme",
                "unit",
                "level",
                "validity",
                "year",
                "type",
                "page",
                "sort",
                "industry",
                "scale",
                "window",
                "issuer",
                "x",
            ]
        ),
        text,
        max_size=5,
    )
)
def test_policy_list_filters_never_fail(client, params):
    if not exists("/policies/list/"):
        pytest.skip("the policy list has not landed")
    response = client.get("/policies/list/", params)
    assert_no_server_error(response, f"policy list {params!r}")


@FUZZ
@given(params=st.dictionaries(st.sampled_from(["q", "unit", "topic", "page", "edition", "x"]), text, max_size=4))
def test_guide_never_fails(client, params):
    response = client.get("/guide/", params)
    assert_no_server_error(response, f"guide {params!r}")


REGISTRATION_FIELDS = ["uscc", "real_name", "position", "phone", "email", "username", "password1", "password2"]


@FUZZ
@given(data=st.fixed_dictionaries({name: text for name in REGISTRATION_FIELDS}))
def test_registration_never_fails(client, data):
    response = client.post("/accounts/register/", data)
    assert_no_server_error(response, f"registration {data!r}")
    if response.status_code == 200:
        pytest.fail("invalid registration must answer 400 with the form")


@pytest.mark.parametrize("where", ["/accounts/login/", "/admin/login/"])
def test_login_with_an_overlong_user_name_is_refused_not_a_server_error(client, where):
    response = client.post(where, {"username": "政" * 300, "password": "x"})
    assert_no_server_error(response, f"login at {where} with a 300-character user name")


@FUZZ
@given(
    username=st.text(max_size=150),
    password=text,
    next_=text,
    where=st.sampled_from(["/accounts/login/", "/admin/login/"]),
)
def test_login_with_names_up_to_the_model_length_never_fails(client, username, password, next_, where):
    response = client.post(where, {"username": username, "password": password, "next": next_})
    assert_no_server_error(response, f"login at {where} with {username!r}")


@FUZZ
@given(large=text, next_=text, language=text)
def test_display_preferences_never_fail_and_never_redirect_off_site(client, large, next_, language):
    response = client.post("/text-size/", {"large": large, "next": next_})
    assert_no_server_error(response, f"text size next={next_!r}")
    if response.status_code in (301, 302):
        from urllib.parse import urlsplit

        location = response["Location"]
        parts = urlsplit(location)
        assert parts.netloc in ("", "testserver") and parts.scheme in ("", "http", "https"), location
        assert not location.startswith(("//", "\\", "/\\")), location
    response = client.post("/i18n/setlang/", {"language": language, "next": next_})
    assert_no_server_error(response, f"set language {language!r}")


MATTER_FIELDS = [
    "title",
    "description",
    "category",
    "urgency",
    "enterprise_name",
    "contact_name",
    "contact_phone",
    "contact_email",
    "submission_token",
    "held",
    "challenge",
    "answer",
    "website",
]


@FUZZ
@given(data=st.fixed_dictionaries({name: text for name in MATTER_FIELDS}))
def test_raising_a_matter_anonymously_never_fails(client, data):
    if not exists("/matters/new/"):
        pytest.skip("raising matters has not landed")
    response = client.post("/matters/new/", data)
    assert_no_server_error(response, f"raise a matter {data!r}")


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            name: text
            for name in [
                "page",
                "description",
                "contact_name",
                "contact_phone",
                "contact_email",
                "submission_token",
                "challenge",
                "answer",
                "website",
            ]
        }
    )
)
def test_reporting_a_site_error_never_fails(client, data):
    if not exists("/matters/site-error/"):
        pytest.skip("site error reports have not landed")
    response = client.post("/matters/site-error/", data)
    assert_no_server_error(response, f"site error {data!r}")


@FUZZ
@given(number=text, code=text)
def test_tracking_a_matter_never_fails(client, number, code):
    if not exists("/matters/track/"):
        pytest.skip("matter tracking has not landed")
    for response in (
        client.get("/matters/track/", {"tracking_number": number, "query_code": code}),
        client.post("/matters/track/", {"tracking_number": number, "query_code": code}),
    ):
        assert_no_server_error(response, f"track {number!r} {code!r}")
    safe = "".join(ch for ch in number if ch.isalnum())[:20]
    if safe:
        assert_no_server_error(client.get(f"/matters/track/{safe}/", {"code": code}), f"track detail {safe!r}")


@FUZZ
@given(data=st.dictionaries(st.sampled_from(["email", "themes", "units", "name", "x"]), text, max_size=4))
def test_policy_subscription_never_fails(client, data):
    if not exists("/policies/subscribe/"):
        pytest.skip("policy subscriptions have not landed")
    response = client.post("/policies/subscribe/", data)
    assert_no_server_error(response, f"subscribe {data!r}")
