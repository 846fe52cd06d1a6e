"""整改: findings become exactly one liaison matter each, and their progress is counted on the
campaign's results."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from liaison.models import Matter
from liaison.surveys import selectors, services
from liaison.surveys.models import Finding, SurveyResponse
from tests.factories import EnterpriseFactory

from .factories import make_survey, submit_ratings

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(settings, department, other_department):
    settings.SURVEY_MIN_RESPONSES = 1
    survey = make_survey([department, other_department], opens=-30, closes=-1)
    named = submit_ratings(
        survey,
        EnterpriseFactory(name="同意具名的企业有限公司"),
        {department: {"服务态度": 2}},
        comments={department: "审批材料反复要求补正"},
    )
    named.allow_named_follow_up = True
    named.save(update_fields=["allow_named_follow_up"])
    anonymous = submit_ratings(
        survey,
        EnterpriseFactory(name="不愿具名的企业有限公司"),
        {department: {"服务态度": 1}},
        comments={department: "收费标准不公开"},
    )
    return survey, named, anonymous


def _matters_of(finding):
    ct = ContentType.objects.get_for_model(Finding)
    return Matter.objects.filter(source_type=ct, source_id=str(finding.pk))


def test_a_finding_becomes_exactly_one_survey_matter(campaign, department, county_office_user):
    survey, named, _anon = campaign
    finding = services.finding_create(
        survey=survey,
        unit=department,
        title="减少补正次数",
        description="一次性告知所需材料",
        response=named,
        created_by=county_office_user,
    )
    assert finding.sent_at is not None
    services.finding_send(finding=finding)
    finding.sent_at = None  # even a second send after a lost update does not duplicate it
    services.finding_send(finding=finding)
    matters = _matters_of(finding)
    assert matters.count() == 1
    matter = matters.get()
    assert matter.channel == "survey" and matter.category == "rectification"
    assert matter.received_by == department
    assert matter.enterprise == named.enterprise  # the enterprise agreed to be named


def test_a_finding_from_an_enterprise_that_did_not_agree_carries_no_name(campaign, department):
    survey, _named, anonymous = campaign
    finding = services.finding_create(
        survey=survey, unit=department, title="公开收费标准", description="在窗口公示收费标准", response=anonymous
    )
    matter = _matters_of(finding).get()
    assert matter.enterprise is None
    assert anonymous.enterprise.name not in matter.enterprise_name + matter.title + matter.description
    assert matter.contact_phone == ""


def test_department_wide_finding_is_sent_without_an_enterprise(campaign, other_department):
    survey, _n, _a = campaign
    finding = services.finding_create(
        survey=survey, unit=other_department, title="办事效率偏低", description="办事效率得分低于全县平均"
    )
    assert finding.sent_at and _matters_of(finding).get().enterprise is None


def test_progress_is_counted_on_the_results(campaign, department, other_department):
    survey, named, _a = campaign
    first = services.finding_create(survey=survey, unit=department, title="一", description="一", response=named)
    services.finding_create(survey=survey, unit=department, title="二", description="二")
    Matter.objects.filter(pk=_matters_of(first).get().pk).update(state="replied")
    results = {r.unit: r for r in selectors.campaign_results(survey).units}
    assert len(results[department].findings) == 2
    assert results[department].findings_sent == 2
    assert results[department].findings_done == 1
    assert results[other_department].findings == []


def test_county_office_creates_a_finding_from_the_comments_page(campaign, department, county_office_user, login):
    survey, named, _a = campaign
    client = login(county_office_user)
    page = client.get(f"/surveys/results/{survey.pk}/comments/")
    assert "审批材料反复要求补正" in page.content.decode()
    response = client.post(
        f"/surveys/results/{survey.pk}/comments/",
        {"unit": department.pk, "title": "减少补正", "description": "一次性告知", "response": named.pk},
    )
    assert response.status_code == 302
    finding = Finding.objects.get(survey=survey)
    assert _matters_of(finding).count() == 1
    bad = client.post(
        f"/surveys/results/{survey.pk}/comments/", {"unit": department.pk, "title": "", "description": "保留的内容"}
    )
    assert bad.status_code == 400 and "保留的内容" in bad.content.decode()
    assert Finding.objects.count() == 1


def test_department_sees_its_rectification_progress(campaign, department, department_staff_user, login):
    survey, _n, _a = campaign
    services.finding_create(survey=survey, unit=department, title="公开收费标准", description="公示")
    page = login(department_staff_user).get(f"/surveys/results/{survey.pk}/").content.decode()
    assert "公开收费标准" in page
    assert SurveyResponse.objects.count() == 2


def test_the_finding_form_picks_its_unit_and_answer_by_search(campaign, login, county_office_user, department):
    survey, named, _anonymous = campaign
    draft = SurveyResponse.objects.create(survey=survey, enterprise=EnterpriseFactory(name="尚未提交的企业有限公司"))
    client = login(county_office_user)
    html = client.get(reverse("admin:surveys_finding_add")).content.decode()
    assert 'data-field-name="unit"' in html and 'data-field-name="response"' in html
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "surveys", "model_name": "finding", "field_name": "response", "term": ""},
    ).json()["results"]
    ids = {r["id"] for r in found}
    assert str(named.pk) in ids and str(draft.pk) not in ids  # only submitted answers
