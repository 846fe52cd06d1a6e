"""一企一档 lists the evaluation campaigns an enterprise answered — for the county office only,
so that no department learns from it which enterprises took part."""

from django.urls import reverse

from tests.surveys.factories import make_survey, submit_ratings


def test_county_office_sees_the_campaigns_the_enterprise_answered(login, county_office_user, department, enterprise):
    survey = make_survey([department], title="2026年度政府工作评议")
    submit_ratings(survey, enterprise, {department: {"服务态度": 5}})
    html = login(county_office_user).get(reverse("visits:enterprise_file", args=[enterprise.pk])).content.decode()
    assert "2026年度政府工作评议" in html


def test_a_department_does_not_learn_that_the_enterprise_answered(login, department_staff_user, department, enterprise):
    survey = make_survey([department], title="2026年度政府工作评议")
    submit_ratings(survey, enterprise, {department: {"服务态度": 1}})
    response = login(department_staff_user).get(reverse("visits:enterprise_file", args=[enterprise.pk]))
    assert response.status_code == 200
    assert "2026年度政府工作评议" not in response.content.decode()


def test_drafts_are_not_listed(login, county_office_user, department, enterprise):
    survey = make_survey([department], title="未提交的评议")
    submit_ratings(survey, enterprise, {department: {"服务态度": 3}}, status="draft")
    html = login(county_office_user).get(reverse("visits:enterprise_file", args=[enterprise.pk])).content.decode()
    assert "未提交的评议" not in html
