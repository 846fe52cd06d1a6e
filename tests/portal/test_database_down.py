import pytest


@pytest.mark.urls("tests.portal.urls_database_down")
def test_a_lost_database_gives_a_clear_503_that_says_the_submission_was_not_saved(client):
    response = client.post("/submit/", {"text": "企业反映的问题"})
    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    html = response.content.decode()
    assert "服务暂时不可用" in html
    assert "没有保存" in html


# ---------------------------------------------------------------------------- a real lost server
# The connection is pointed at a loopback port nobody listens on: every query in the request
# fails as when PostgreSQL restarts (connection refused), including the session and user
# lookups the middleware makes before any view runs.
import socket  # noqa: E402
from contextlib import contextmanager  # noqa: E402

from django.db import connections  # noqa: E402


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def database_away():
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(_free_port()))
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)


PAGES = [
    "/",
    "/policies/list/",
    "/guide/",
    "/matters/mine/",
    "/my/",
    "/admin/",
    "/admin/liaison/matter/",
    "/search/?q=税",
]


def _assert_clear_503(response, *, submission=False):
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == "10"
    html = response.content.decode()
    assert "服务暂时不可用" in html
    if submission:
        assert "没有保存" in html


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("who", ["anonymous", "enterprise", "official", "county_office"])
def test_every_page_answers_503_not_500_while_the_database_is_away_logged_in_or_not(
    who, client, login, enterprise_user, town_staff_user, county_office_user
):
    user = {
        "anonymous": None,
        "enterprise": enterprise_user,
        "official": town_staff_user,
        "county_office": county_office_user,
    }[who]
    if user is not None:
        login(user)
        assert client.get("/my/" if who == "enterprise" else "/admin/").status_code == 200
    client.raise_request_exception = False
    with database_away():
        for page in PAGES:
            response = client.get(page)
            if user is None and response.status_code == 302:  # a login page needs no database
                assert "login" in response["Location"]
                continue
            _assert_clear_503(response)
        submission = client.post(
            "/matters/new/",
            {
                "title": "停电",
                "description": "厂区停电",
                "category": "labour",
                "urgency": "urgent",
                "submission_token": "0b4f3c52-2d6e-4f7a-9a47-0d3c1f6c2b11",
            },
        )
        if user is None:  # the anonymous form's sum check fails before any query: a 400 with the text kept
            assert submission.status_code == 400 and "厂区停电" in submission.content.decode()
        else:
            _assert_clear_503(submission, submission=True)
    # Back again: the same session works.
    if user is not None:
        assert client.get("/my/" if who == "enterprise" else "/admin/").status_code == 200
