"""公布: the county office publishes a closed campaign's results; the public page shows each
department's aggregates only, with "样本不足" below SURVEY_MIN_RESPONSES, and never an
enterprise's name or what it wrote."""

import pytest
from django.urls import reverse

from liaison.surveys import services
from liaison.surveys.models import Survey, TextAnswer
from portal.core.workflow import ActionRefused
from tests.factories import EnterpriseFactory

from .factories import make_survey, submit_ratings

pytestmark = pytest.mark.django_db

DISTINCTIVE_NAME = "清远市翡翠湾陶瓷有限公司"
SECRET_COMMENT = "窗口人员态度恶劣翡翠湾"
SECRET_TEXT = "建议县里多开展营商环境座谈会（翡翠湾）"


@pytest.fixture
def campaign(settings, department, other_department, town):
    """A closed campaign: `department` rated by four enterprises (one with a distinctive name, a
    comment and a free-text answer), `other_department` by two only (below the threshold of 3)."""
    settings.SURVEY_MIN_RESPONSES = 3
    survey = make_survey([department, other_department], opens=-30, closes=-1)
    enterprises = [EnterpriseFactory(town=town, name=DISTINCTIVE_NAME)] + [
        EnterpriseFactory(town=town) for _ in range(3)
    ]
    for i, enterprise in enumerate(enterprises):
        ratings = {department: {"服务态度": 5 - i % 2, "办事效率": 4}}
        if i < 2:
            ratings[other_department] = {"服务态度": 1, "办事效率": 2}
        response = submit_ratings(
            survey,
            enterprise,
            ratings,
            comments={department: SECRET_COMMENT, other_department: SECRET_COMMENT} if i == 0 else None,
        )
        if i == 0:
            TextAnswer.objects.create(response=response, question=survey.questions.get(kind="text"), text=SECRET_TEXT)
    return survey, enterprises


def _publish(survey, user):
    return services.survey_results_publish(survey=survey, user=user)


def public_url(survey):
    return reverse("surveys:public_results", args=[survey.pk])


def test_unpublished_campaigns_are_not_found_by_the_public(campaign, client, county_office_user):
    survey, _e = campaign
    assert client.get(public_url(survey)).status_code == 404
    _publish(survey, county_office_user)
    assert client.get(public_url(survey)).status_code == 200


def test_open_and_draft_campaigns_cannot_be_published_nor_shown(department, county_office_user, client):
    open_survey = make_survey([department], title="进行中")
    with pytest.raises(ActionRefused):
        _publish(open_survey, county_office_user)
    # Even a flag set behind the services' back does not show an open or a draft campaign.
    draft = make_survey([department], title="草稿", opens=-30, closes=-1, published=False)
    Survey.objects.filter(pk__in=[open_survey.pk, draft.pk]).update(results_published_at="2026-01-01T00:00Z")
    assert client.get(public_url(open_survey)).status_code == 404
    assert client.get(public_url(draft)).status_code == 404


def test_only_the_county_office_may_publish(
    campaign, department_head_user, department_staff_user, county_leader_user, county_office_user, login, client
):
    survey, _e = campaign
    for user in (department_head_user, department_staff_user, county_leader_user):
        with pytest.raises(ActionRefused):
            _publish(survey, user)
        client.logout()
        login(user)
        client.post(reverse("surveys:publish_results", args=[survey.pk]), {"action": "publish"})
        survey.refresh_from_db()
        assert survey.results_published_at is None, user
    client.logout()
    login(county_office_user)
    response = client.post(reverse("surveys:publish_results", args=[survey.pk]), {"action": "publish"})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.results_published_at is not None
    assert survey.results_published_by == county_office_user
    client.post(reverse("surveys:publish_results", args=[survey.pk]), {"action": "withdraw"})
    survey.refresh_from_db()
    assert survey.results_published_at is None


def test_results_page_offers_publishing_to_the_county_office(campaign, county_office_user, login):
    survey, _e = campaign
    page = login(county_office_user).get(reverse("surveys:results", args=[survey.pk])).content.decode()
    assert reverse("surveys:publish_results", args=[survey.pk]) in page


def test_admin_action_publishes_for_the_county_office_only(campaign, county_office_user, login):
    survey, _e = campaign
    client = login(county_office_user)
    response = client.post(
        reverse("admin:surveys_survey_changelist"), {"action": "publish_results", "_selected_action": [survey.pk]}
    )
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.results_published_at is not None


def test_admin_action_is_not_offered_without_the_county_office(rf, campaign, department_head_user):
    from django.contrib import admin

    request = rf.get("/admin/surveys/survey/")
    request.user = department_head_user
    assert "publish_results" not in admin.site._registry[Survey].get_actions(request)


def test_public_page_shows_scores_and_sample_too_small(
    campaign, client, county_office_user, department, other_department
):
    survey, _e = campaign
    _publish(survey, county_office_user)
    response = client.get(public_url(survey))
    page = response.content.decode()
    results = response.context["results"]
    by_unit = {r.unit.pk: r for r in results.units}
    shown, hidden = by_unit[department.pk], by_unit[other_department.pk]
    assert shown.visible and shown.rank == 1 and shown.score is not None
    assert shown.dimension_cells[0][1] == 1  # rank on the first dimension
    assert not hidden.visible and hidden.score is None and hidden.rank is None and hidden.dimension_cells == []
    assert "样本不足" in page
    assert str(shown.score) in page
    assert hidden.respondents == 2
    # the small-sample department's mean (1 and 2 → 20 and 40 points) appears nowhere
    assert "20.0" not in page and "30.0" not in page and "40.0" not in page
    assert results.submitted == 4


def test_public_page_never_shows_enterprises_or_what_they_wrote(campaign, client, county_office_user):
    survey, enterprises = campaign
    _publish(survey, county_office_user)
    pages = client.get(public_url(survey)).content.decode() + client.get("/interaction/").content.decode()
    for enterprise in enterprises:
        assert enterprise.name not in pages
        assert enterprise.uscc not in pages
    assert "翡翠湾" not in pages
    assert SECRET_COMMENT not in pages and SECRET_TEXT not in pages


def test_public_page_is_cacheable_and_uses_the_site_layout(campaign, client, county_office_user):
    survey, _e = campaign
    _publish(survey, county_office_user)
    response = client.get(public_url(survey))
    assert "public" in response["Cache-Control"]
    page = response.content.decode()
    assert page.count("<h1") == 1
    assert 'class="breadcrumbs"' in page and 'class="table-wrap"' in page and "<caption>" in page


def test_public_page_query_count_does_not_grow(
    settings, department, other_department, county_office_user, client, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.SURVEY_MIN_RESPONSES = 1
    survey = make_survey([department, other_department], opens=-30, closes=-1)
    submit_ratings(survey, EnterpriseFactory(), {department: {"服务态度": 5}})
    _publish(survey, county_office_user)
    with CaptureQueriesContext(connection) as first:
        assert client.get(public_url(survey)).status_code == 200
    for _i in range(12):
        submit_ratings(
            survey,
            EnterpriseFactory(),
            {department: {"服务态度": 4, "办事效率": 3}, other_department: {"服务态度": 2}},
            comments={department: "慢"},
        )
    with django_assert_num_queries(len(first)):
        assert client.get(public_url(survey)).status_code == 200


def test_interaction_panel_lists_published_and_open_campaigns(campaign, department, client, county_office_user):
    survey, _e = campaign
    open_survey = make_survey([department], title="2026年下半年政府工作评议")
    page = client.get("/interaction/").content.decode()
    assert open_survey.title in page and "登录参加评议" in page
    assert open_survey.closes_on.strftime("%Y-%m-%d") in page
    assert public_url(survey) not in page
    _publish(survey, county_office_user)
    page = client.get("/interaction/").content.decode()
    assert public_url(survey) in page and survey.title in page
