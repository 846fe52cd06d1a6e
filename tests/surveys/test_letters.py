"""纸质邀请函: printed invitation letters for the enterprises without e-mail. The county office
prints them for any town, a town's officials for their own town only; the letters carry the
personal link in full and as a QR code; printing creates the invitations and records it."""

import re
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from liaison.surveys import services
from liaison.surveys.models import Invitation
from tests.factories import EnterpriseFactory

from .factories import make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(department, county_office_unit):
    return make_survey([department])


@pytest.fixture
def firms(town, other_town):
    return {
        "paper": EnterpriseFactory(town=town, name="太和纸质甲有限公司", email=""),
        "paper2": EnterpriseFactory(town=town, name="太和纸质乙有限公司", email=""),
        "mailed": EnterpriseFactory(town=town, name="太和有邮箱有限公司", email="boss@example.com"),
        "elsewhere": EnterpriseFactory(town=other_town, name="山塘纸质丙有限公司", email=""),
    }


def pdf_text(content, tmp_path):
    path = tmp_path / "letters.pdf"
    path.write_bytes(content)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


def links_in(text):
    """The personal links printed in the letters (written over several lines in a large font)."""
    return re.findall(r"https?://[A-Za-z0-9.:]+/surveys/r/[A-Za-z0-9_:.-]+/", "".join(text.split()))


def pdf_pages(content, tmp_path):
    path = tmp_path / "letters.pdf"
    path.write_bytes(content)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def download(client, survey, town, **extra):
    return client.post(f"/surveys/letters/{survey.pk}/", {"town": town.pk, **extra})


def test_town_official_gets_only_his_towns_enterprises_without_email(
    survey, firms, town, town_staff_user, login, tmp_path, settings
):
    response = download(login(town_staff_user), survey, town)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "太和纸质甲有限公司" in text and "太和纸质乙有限公司" in text
    assert "太和有邮箱有限公司" not in text  # can be e-mailed
    assert "山塘纸质丙有限公司" not in text  # another town
    assert pdf_pages(response.content, tmp_path) == 2
    links = links_in(text)
    base = settings.SITE_BASE_URL.rstrip("/") + "/surveys/r/"
    assert all(link.startswith(base) for link in links)
    # Each link carries a signed (and timestamped, so compare what it names) token.
    named = sorted(services.read_token(link.removeprefix(base).rstrip("/")) for link in links)
    assert named == sorted((survey.pk, firms[key].pk) for key in ("paper", "paper2"))
    assert "政府工作评议" in text and "0763-5812345" in text


def test_the_checkbox_adds_the_enterprises_that_have_email(survey, firms, town, town_staff_user, login, tmp_path):
    response = download(login(town_staff_user), survey, town, include_emailed="on")
    text = pdf_text(response.content, tmp_path)
    assert "太和有邮箱有限公司" in text
    assert pdf_pages(response.content, tmp_path) == 3


def test_another_towns_staff_cannot_download_them(survey, firms, town, other_town_staff_user, login):
    client = login(other_town_staff_user)
    assert download(client, survey, town).status_code == 403
    assert not Invitation.objects.exists()
    # the town selector offers only the official's own town
    page = client.get(f"/surveys/letters/{survey.pk}/").content.decode()
    assert "山塘镇" in page and "太和镇" not in page


def test_a_campaign_only_for_another_town_is_not_found_for_a_town_official(
    department, firms, town, other_town, other_town_staff_user, login
):
    only_taihe = make_survey([department], title="只问太和镇", target_towns=[town])
    assert login(other_town_staff_user).get(f"/surveys/letters/{only_taihe.pk}/").status_code == 404


def test_departments_and_enterprises_cannot_print_letters(
    survey, firms, town, department_staff_user, enterprise_user, login, client
):
    assert client.get(f"/surveys/letters/{survey.pk}/").status_code == 302  # to the officials' login
    assert login(department_staff_user).get(f"/surveys/letters/{survey.pk}/").status_code == 403
    assert download(client, survey, town).status_code == 403
    client.logout()
    assert download(login(enterprise_user), survey, town).status_code == 403


def test_county_office_chooses_any_town(survey, firms, town, other_town, county_office_user, login, tmp_path):
    client = login(county_office_user)
    page = client.get(f"/surveys/letters/{survey.pk}/").content.decode()
    assert "太和镇" in page and "山塘镇" in page and 'for="id_town"' in page
    text = pdf_text(download(client, survey, other_town).content, tmp_path)
    assert "山塘纸质丙有限公司" in text and "太和纸质甲有限公司" not in text
    for page in (f"/surveys/results/{survey.pk}/", "/admin/surveys/survey/"):
        assert f"/surveys/letters/{survey.pk}/" in client.get(page).content.decode(), page


def test_printing_creates_invitations_and_records_it(survey, firms, town, county_office_user, login):
    existing = Invitation.objects.create(survey=survey, enterprise=firms["paper"])
    download(login(county_office_user), survey, town)
    invitations = Invitation.objects.filter(survey=survey)
    assert {i.enterprise_id for i in invitations} == {firms["paper"].pk, firms["paper2"].pk}
    assert all(i.printed_at for i in invitations)
    assert invitations.get(enterprise=firms["paper"]).pk == existing.pk  # reused, not duplicated


def test_tokens_in_the_letters_open_the_personal_page(
    survey, firms, town, town_staff_user, login, client, tmp_path, settings
):
    text = pdf_text(download(login(town_staff_user), survey, town).content, tmp_path)
    client.logout()
    links = links_in(text)
    assert links
    for link in links:
        page = client.get(link.removeprefix(settings.SITE_BASE_URL.rstrip("/")))
        assert page.status_code == 200
        assert "太和纸质" in page.content.decode()


def test_a_closed_campaign_refuses_in_chinese(department, firms, town, county_office_user, login):
    closed = make_survey([department], title="已结束的评议", opens=-30, closes=-1)
    client = login(county_office_user)
    page = client.get(f"/surveys/letters/{closed.pk}/")
    assert page.status_code == 409
    assert "不能打印邀请函" in page.content.decode()
    response = download(client, closed, town)
    assert response.status_code == 409 and response["Content-Type"].startswith("text/html")
    assert not Invitation.objects.exists()


def test_a_town_with_nobody_to_print_for_says_so(survey, town, county_office_user, login):
    EnterpriseFactory(town=town, email="a@example.com")
    response = download(login(county_office_user), survey, town)
    assert response.status_code == 400
    assert "不需要" in response.content.decode() or "没有" in response.content.decode()


def test_town_official_finds_the_letters_from_the_survey_pages(survey, town_staff_user, login):
    client = login(town_staff_user)
    assert client.get("/surveys/").url == "/surveys/letters/"
    assert f"/surveys/letters/{survey.pk}/" in client.get("/surveys/letters/").content.decode()


def test_query_count_does_not_grow_with_the_number_of_enterprises(survey, town, county_office_user, login):
    client = login(county_office_user)
    EnterpriseFactory(town=town, email="")
    download(client, survey, town)  # warm up: sessions, content types
    Invitation.objects.all().delete()
    with CaptureQueriesContext(connection) as one:
        assert download(client, survey, town).status_code == 200
    Invitation.objects.all().delete()
    for _ in range(6):
        EnterpriseFactory(town=town, email="")
    with CaptureQueriesContext(connection) as many:
        assert download(client, survey, town).status_code == 200
    assert len(many) == len(one)
