"""Anonymity and permissions on every results page and export: a department sees only its own
aggregates and anonymised comments; it never learns which enterprise wrote what."""

from io import BytesIO

import pytest
from openpyxl import load_workbook

from liaison.surveys import services
from tests.factories import EnterpriseFactory, OfficialFactory

from .factories import make_survey, submit_ratings

pytestmark = pytest.mark.django_db

SECRET_COMMENT = "窗口排队太久"


@pytest.fixture
def campaign(settings, department, other_department, town):
    settings.SURVEY_MIN_RESPONSES = 3
    survey = make_survey([department, other_department], opens=-30, closes=-1)
    enterprises = [EnterpriseFactory(town=town, name=f"清远市保密{i}陶瓷有限公司") for i in range(4)]
    for i, enterprise in enumerate(enterprises):
        comments = {department: f"{SECRET_COMMENT}，我们保密{i}陶瓷等了两天，电话13912345678"} if i == 0 else {}
        submit_ratings(survey, enterprise, {department: {"服务态度": 5 - i % 2, "办事效率": 4}}, comments=comments)
    # other_department: only two ratings, below the threshold of 3
    for enterprise in enterprises[:2]:
        submit_ratings_extra(survey, enterprise, other_department)
    return survey, enterprises


def submit_ratings_extra(survey, enterprise, unit):
    from liaison.surveys.models import Rating, SurveyResponse

    from .factories import grid_of

    grid = grid_of(survey)
    response = SurveyResponse.objects.get(survey=survey, enterprise=enterprise)
    for dim in grid.dimensions.all():
        Rating.objects.create(response=response, question=grid, unit=unit, dimension=dim, value=1)


def _all_text_of(client, survey, unit):
    pages = [
        "/surveys/results/",
        f"/surveys/results/{survey.pk}/",
        f"/surveys/results/{survey.pk}/report/",
        f"/surveys/results/{survey.pk}/units/{unit.pk}/",
    ]
    text = ""
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text += response.content.decode()
    export = client.get(f"/surveys/results/{survey.pk}/export.xlsx")
    assert export.status_code == 200
    workbook = load_workbook(BytesIO(export.content))
    for sheet in workbook:
        for row in sheet.iter_rows(values_only=True):
            text += " ".join(str(v) for v in row if v is not None)
    return text


def test_department_sees_aggregates_and_anonymised_comments_only(campaign, department, department_staff_user, login):
    survey, enterprises = campaign
    text = _all_text_of(login(department_staff_user), survey, department)
    assert SECRET_COMMENT in text  # the comment itself is shown …
    for enterprise in enterprises:  # … but no enterprise's name, short name or code, anywhere
        assert enterprise.name not in text
        assert enterprise.uscc not in text
        assert f"保密{enterprises.index(enterprise)}陶瓷" not in text
    assert "13912345678" not in text
    assert "县自然资源局" not in text  # nothing about the other department


def test_department_cannot_open_another_departments_results(campaign, other_department, department_staff_user, login):
    survey, _e = campaign
    client = login(department_staff_user)
    assert client.get(f"/surveys/results/{survey.pk}/units/{other_department.pk}/").status_code == 404


def test_below_the_threshold_a_department_sees_only_the_count(campaign, other_department, login):
    survey, enterprises = campaign
    user = OfficialFactory(unit=other_department).user
    client = login(user)
    text = _all_text_of(client, survey, other_department)
    assert "少于" in text or "Fewer than" in text
    assert "非常不满意" not in text  # no distribution
    for enterprise in enterprises:
        assert enterprise.name not in text


def test_comments_page_with_names_is_for_the_county_office_only(
    campaign, department_staff_user, department_head_user, county_office_user, login, client
):
    survey, enterprises = campaign
    url = f"/surveys/results/{survey.pk}/comments/"
    assert login(department_staff_user).get(url).status_code == 403
    client.logout()
    assert login(department_head_user).get(url).status_code == 403
    client.logout()
    page = login(county_office_user).get(url)
    assert page.status_code == 200
    assert enterprises[0].name in page.content.decode()


def test_the_public_and_enterprises_see_no_results(campaign, enterprise_user, town_staff_user, login, client):
    survey, _e = campaign
    urls = [
        "/surveys/results/",
        f"/surveys/results/{survey.pk}/",
        f"/surveys/results/{survey.pk}/report/",
        f"/surveys/results/{survey.pk}/export.xlsx",
        f"/surveys/results/{survey.pk}/comments/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], url
    login(enterprise_user)
    for url in urls:
        assert client.get(url).status_code == 403, url
    client.logout()
    login(town_staff_user)  # a town is not rated: nothing to see
    for url in urls:
        assert client.get(url).status_code == 403, url


def test_department_admin_shows_findings_without_the_enterprise(campaign, department, department_staff_user, login):
    survey, enterprises = campaign
    from liaison.surveys.models import SurveyResponse

    response = SurveyResponse.objects.get(survey=survey, enterprise=enterprises[0])
    finding = services.finding_create(
        survey=survey, unit=department, title="缩短排队时间", description="增加窗口", response=response, send=False
    )
    client = login(department_staff_user)
    page = client.get(f"/admin/surveys/finding/{finding.pk}/change/")
    assert page.status_code == 200
    assert enterprises[0].name not in page.content.decode()
    assert client.get("/admin/surveys/surveyresponse/").status_code == 403


def test_county_office_sees_every_department_ranked(campaign, department, other_department, county_office_user, login):
    survey, _e = campaign
    page = login(county_office_user).get(f"/surveys/results/{survey.pk}/").content.decode()
    assert department.name in page and other_department.name in page


def test_results_pages_query_counts_do_not_grow(
    settings, department, other_department, county_office_user, department_staff_user, login, client
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SURVEY_MIN_RESPONSES = 1
    survey = make_survey([department, other_department], opens=-30, closes=-1)
    submit_ratings(survey, EnterpriseFactory(), {department: {"服务态度": 5}}, comments={department: "好"})
    services.finding_create(survey=survey, unit=department, title="零", description="零")
    pages = [
        f"/surveys/results/{survey.pk}/",
        f"/surveys/results/{survey.pk}/report/",
        f"/surveys/results/{survey.pk}/export.xlsx",
        f"/surveys/results/{survey.pk}/units/{department.pk}/",
    ]

    def counts(user):
        client.logout()
        login(user)
        found = []
        for url in pages:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200, url
            found.append(len(queries))
        return found

    small = {user: counts(user) for user in (county_office_user, department_staff_user)}
    for _i in range(15):
        submit_ratings(
            survey,
            EnterpriseFactory(),
            {department: {"服务态度": 4, "办事效率": 3}, other_department: {"服务态度": 2}},
            comments={department: "慢", other_department: "差"},
        )
    services.finding_create(survey=survey, unit=department, title="一", description="一")
    services.finding_create(survey=survey, unit=other_department, title="二", description="二")
    for user, before in small.items():
        after = counts(user)
        assert after == before, (user, before, after)
        assert max(after) <= 30


def test_department_sees_nothing_while_the_campaign_is_open(
    settings, department, department_staff_user, county_office_user, login, client
):
    settings.SURVEY_MIN_RESPONSES = 1
    survey = make_survey([department])
    submit_ratings(survey, EnterpriseFactory(), {department: {"服务态度": 5}})
    login(department_staff_user)
    assert survey.title not in client.get("/surveys/results/").content.decode()
    for url in (
        f"/surveys/results/{survey.pk}/",
        f"/surveys/results/{survey.pk}/export.xlsx",
        f"/surveys/results/{survey.pk}/report/",
        f"/surveys/results/{survey.pk}/units/{department.pk}/",
    ):
        assert client.get(url).status_code == 404, url
    client.logout()
    assert login(county_office_user).get(f"/surveys/results/{survey.pk}/").status_code == 200


def test_dashboard_links_for_office_and_department(county_office_user, department_staff_user, login, client):
    assert "/surveys/results/" in login(county_office_user).get("/admin/").content.decode()
    client.logout()
    assert "/surveys/results/" in login(department_staff_user).get("/admin/").content.decode()


def test_a_towns_officials_find_the_invitation_letters_on_their_workspace(
    town_staff_user, department_staff_user, login, client
):
    assert "/surveys/letters/" in login(town_staff_user).get("/admin/").content.decode()
    client.logout()
    assert "/surveys/letters/" not in login(department_staff_user).get("/admin/").content.decode()


def test_admin_pages_open_for_the_county_office(campaign, county_office_user, login):
    survey, _e = campaign
    client = login(county_office_user)
    for url in (
        "/admin/surveys/survey/",
        f"/admin/surveys/survey/{survey.pk}/change/",
        "/admin/surveys/surveyresponse/",
        "/admin/surveys/finding/",
        "/admin/surveys/question/",
        f"/admin/surveys/question/{survey.questions.first().pk}/change/",
        "/admin/surveys/invitation/",
    ):
        assert client.get(url).status_code == 200, url


def test_county_leader_sees_every_departments_aggregates_but_no_names(
    campaign, department, other_department, county_leader_user, login
):
    survey, enterprises = campaign
    client = login(county_leader_user)
    page = client.get(f"/surveys/results/{survey.pk}/").content.decode()
    assert department.name in page and other_department.name in page
    text = _all_text_of(client, survey, department)
    for enterprise in enterprises:
        assert enterprise.name not in text
    assert client.get(f"/surveys/results/{survey.pk}/comments/").status_code == 403


def test_county_office_export_has_every_department_and_no_names(
    campaign, department, other_department, county_office_user, login
):
    survey, enterprises = campaign
    export = login(county_office_user).get(f"/surveys/results/{survey.pk}/export.xlsx")
    workbook = load_workbook(BytesIO(export.content))
    assert {"概况", "得分", "评价分布", "意见建议（匿名）", "整改", "选择题"} <= set(workbook.sheetnames)
    names = [row[1] for row in workbook["得分"].iter_rows(min_row=2, values_only=True)]
    assert names == [department.name, other_department.name]
    text = " ".join(str(v) for sheet in workbook for row in sheet.iter_rows(values_only=True) for v in row if v)
    for enterprise in enterprises:
        assert enterprise.name not in text


def test_export_keeps_formula_text_inert(campaign, county_office_user, login):
    survey, _enterprises = campaign
    type(survey).objects.filter(pk=survey.pk).update(title='=HYPERLINK("http://x","y")')
    export = login(county_office_user).get(f"/surveys/results/{survey.pk}/export.xlsx")
    assert export["X-Content-Type-Options"] == "nosniff"
    cells = [c for sheet in load_workbook(BytesIO(export.content)) for row in sheet.iter_rows() for c in row]
    title = next(c for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert title.data_type == "s" and title.value.startswith("'=")
    assert not any(c.data_type == "f" for c in cells)
