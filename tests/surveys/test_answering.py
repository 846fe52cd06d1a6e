"""Answering: one response per enterprise, drafts, required questions, the personal link."""

import pytest
from django.db import IntegrityError

from liaison.surveys import services
from portal.core.workflow import ActionRefused, history_of
from liaison.surveys.models import Question, Rating, SurveyResponse
from tests.factories import EnterpriseAccountFactory, EnterpriseFactory

from .factories import grid_of, make_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def survey(department, other_department):
    return make_survey([department, other_department])


def full_answer(survey, department, other_department, *, action="submit"):
    grid = grid_of(survey)
    data = {"action": action}
    dims = list(grid.dimensions.all())
    for dim in dims:
        data[f"q{grid.pk}_u{department.pk}_d{dim.pk}"] = "4"
    data[f"q{grid.pk}_u{other_department.pk}_nd"] = "on"
    data[f"q{grid.pk}_u{department.pk}_c"] = "窗口人员少，排队时间长"
    single = survey.questions.get(kind=Question.Kind.SINGLE)
    data[f"q{single.pk}"] = str(single.choices.first().pk)
    return data


def test_one_response_per_enterprise_is_a_database_rule(survey, enterprise):
    SurveyResponse.objects.create(survey=survey, enterprise=enterprise)
    with pytest.raises(IntegrityError):
        SurveyResponse.objects.create(survey=survey, enterprise=enterprise)


def test_enterprise_user_submits_once(survey, enterprise, enterprise_user, department, other_department, login):
    client = login(enterprise_user)
    page = client.get(f"/surveys/{survey.pk}/")
    assert page.status_code == 200
    assert "我与该部门没有业务往来" in page.content.decode() or "no dealings" in page.content.decode().lower()
    response = client.post(f"/surveys/{survey.pk}/", full_answer(survey, department, other_department))
    assert response.status_code == 302
    saved = SurveyResponse.objects.get(survey=survey, enterprise=enterprise)
    assert saved.is_submitted and saved.submitted_at
    assert Rating.objects.filter(response=saved).count() == 2
    assert saved.unit_answers.get(unit=other_department).no_dealings
    # A second submission (another tab, another colleague) changes nothing.
    again = client.post(f"/surveys/{survey.pk}/", full_answer(survey, department, other_department))
    assert again.status_code == 200  # the "already submitted" page
    assert SurveyResponse.objects.filter(survey=survey, enterprise=enterprise).count() == 1
    with pytest.raises(ActionRefused):
        services.response_save(
            survey=survey,
            enterprise=enterprise,
            answers={"ratings": {}, "units": {}, "choices": {}, "texts": {}},
            submit=True,
        )


def test_two_accounts_of_one_enterprise_share_the_response(
    survey, enterprise, enterprise_user, department, other_department, login, client
):
    colleague = EnterpriseAccountFactory(enterprise=enterprise).user
    login(enterprise_user).post(
        f"/surveys/{survey.pk}/", full_answer(survey, department, other_department, action="save")
    )
    client.logout()
    page = login(colleague).get(f"/surveys/{survey.pk}/")
    assert "窗口人员少，排队时间长" in page.content.decode()
    assert SurveyResponse.objects.filter(survey=survey).count() == 1


def test_draft_is_saved_without_required_answers_and_resumed(survey, enterprise, enterprise_user, department, login):
    grid = grid_of(survey)
    dim = grid.dimensions.first()
    client = login(enterprise_user)
    response = client.post(f"/surveys/{survey.pk}/", {"action": "save", f"q{grid.pk}_u{department.pk}_d{dim.pk}": "2"})
    assert response.status_code == 302
    saved = SurveyResponse.objects.get(survey=survey, enterprise=enterprise)
    assert saved.status == SurveyResponse.Status.DRAFT
    page = client.get(f"/surveys/{survey.pk}/").content.decode()
    assert f'name="q{grid.pk}_u{department.pk}_d{dim.pk}" value="2"' in page
    radio = page.split(f'name="q{grid.pk}_u{department.pk}_d{dim.pk}" value="2"')[1][:80]
    assert "checked" in radio


def test_submit_with_missing_answers_is_refused_and_nothing_typed_is_lost(survey, enterprise_user, department, login):
    grid = grid_of(survey)
    client = login(enterprise_user)
    response = client.post(
        f"/surveys/{survey.pk}/", {"action": "submit", f"q{grid.pk}_u{department.pk}_c": "收费不透明的问题"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "收费不透明的问题" in body
    assert "没有业务往来" in body  # the Chinese message names the way out
    assert not SurveyResponse.objects.exists()


def test_no_dealings_and_a_rating_together_are_refused(survey, enterprise_user, department, login):
    grid = grid_of(survey)
    dim = grid.dimensions.first()
    response = login(enterprise_user).post(
        f"/surveys/{survey.pk}/",
        {"action": "save", f"q{grid.pk}_u{department.pk}_nd": "on", f"q{grid.pk}_u{department.pk}_d{dim.pk}": "5"},
    )
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_bad_rating_value_is_a_400_not_a_500(survey, enterprise_user, department, login):
    grid = grid_of(survey)
    dim = grid.dimensions.first()
    response = login(enterprise_user).post(
        f"/surveys/{survey.pk}/", {"action": "save", f"q{grid.pk}_u{department.pk}_d{dim.pk}": "9"}
    )
    assert response.status_code == 400


def test_personal_link_works_without_login(survey, enterprise, department, other_department, client):
    url = services.personal_url(survey, enterprise)
    page = client.get(url)
    assert page.status_code == 200
    assert enterprise.name in page.content.decode()
    assert client.post(url, full_answer(survey, department, other_department)).status_code == 302
    assert SurveyResponse.objects.get(enterprise=enterprise).is_submitted
    assert "提交" in client.get(url).content.decode()


def test_tampered_personal_link_is_404(survey, enterprise, other_enterprise, client):
    token = services.personal_token(survey, enterprise)
    assert client.get(f"/surveys/r/{token[:-2]}xx/").status_code == 404
    forged = services.personal_token(survey, other_enterprise).split(":")[0] + ":" + token.split(":", 1)[1]
    assert client.get(f"/surveys/r/{forged}/").status_code == 404


def test_closed_and_unpublished_campaigns_take_no_answers(department, enterprise, enterprise_user, login, client):
    closed = make_survey([department], title="旧", opens=-30, closes=-1)
    draft = make_survey([department], title="草稿", published=False)
    assert client.get(services.personal_url(closed, enterprise)).status_code == 410
    assert client.get(services.personal_url(draft, enterprise)).status_code == 404
    with pytest.raises(ActionRefused):
        services.response_save(
            survey=closed,
            enterprise=enterprise,
            answers={"ratings": {}, "units": {}, "choices": {}, "texts": {}},
            submit=False,
        )


def test_anonymous_is_sent_to_log_in_and_pending_account_is_refused(survey, pending_enterprise_user, login, client):
    assert client.get(f"/surveys/{survey.pk}/").status_code == 302
    response = login(pending_enterprise_user).get(f"/surveys/{survey.pk}/")
    assert response.status_code == 403
    assert "确认" in response.content.decode()


def test_officials_cannot_answer(survey, department_staff_user, login):
    assert login(department_staff_user).get(f"/surveys/{survey.pk}/").status_code == 403


def test_my_enterprise_shows_the_open_campaign(survey, enterprise_user, login):
    page = login(enterprise_user).get("/my/").content.decode()
    assert survey.title in page
    assert f"/surveys/{survey.pk}/" in page


def test_my_enterprise_does_not_show_campaigns_for_others(department, enterprise_user, login):
    other = make_survey([department], title="只问重点企业", key_only=True)
    assert other.title not in login(enterprise_user).get("/my/").content.decode()


def test_invitations_email_the_personal_link(
    survey, enterprise, mailoutbox, client, django_capture_on_commit_callbacks
):
    enterprise.email = "boss@example.com"
    enterprise.save(update_fields=["email"])
    EnterpriseFactory(town=enterprise.town, email="")
    with django_capture_on_commit_callbacks(execute=True):
        sent, missing = services.invitations_send(survey=survey)
    assert (sent, missing) == (1, 1)
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/surveys/r/" in line)
    path = link[link.index("/surveys/r/") :].strip()
    assert client.get(path).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        assert services.invitations_send(survey=survey) == (0, 1)  # not invited twice
    assert len(mailoutbox) == 1


def test_copy_keeps_the_questionnaire(survey):
    import datetime

    copy = services.survey_copy(
        source=survey, title="2027年评议", opens_on=datetime.date(2027, 1, 1), closes_on=datetime.date(2027, 1, 31)
    )
    assert copy.published_at is None and copy.previous == survey
    assert [q.text for q in copy.questions.all()] == [q.text for q in survey.questions.all()]
    assert list(grid_of(copy).dimensions.values_list("name", flat=True)) == ["服务态度", "办事效率"]
    assert set(grid_of(copy).units.all()) == set(grid_of(survey).units.all())
    assert copy.questions.get(kind=Question.Kind.SINGLE).choices.count() == 3


def test_a_new_grid_gets_the_usual_dimensions_and_departments(department, other_department):
    from liaison.surveys.models import Survey

    survey = Survey.objects.create(title="新问卷", opens_on="2026-01-01", closes_on="2026-01-31")
    grid = Question.objects.create(survey=survey, kind=Question.Kind.RATING_GRID, text="评价")
    services.question_fill_defaults(question=grid)
    assert list(grid.dimensions.values_list("name", flat=True)) == ["服务态度", "办事效率", "政策落实", "廉洁自律"]
    assert set(grid.units.all()) == {department, other_department}
    with pytest.raises(ActionRefused):
        services.survey_publish(
            survey=Survey.objects.create(title="空问卷", opens_on="2026-01-01", closes_on="2026-01-31")
        )


def test_enterprise_index_lists_its_campaigns_and_officials_go_to_results(
    survey, enterprise_user, department_staff_user, login, client
):
    page = login(enterprise_user).get("/surveys/")
    assert page.status_code == 200 and survey.title in page.content.decode()
    client.logout()
    response = login(department_staff_user).get("/surveys/")
    assert response.status_code == 302 and response["Location"] == "/surveys/results/"


def test_county_office_sends_invitations_from_the_results_page(
    survey, enterprise, county_office_user, login, mailoutbox, django_capture_on_commit_callbacks
):
    enterprise.email = "boss@example.com"
    enterprise.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = login(county_office_user).post(f"/surveys/results/{survey.pk}/invite/")
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and "/surveys/r/" in mailoutbox[0].body


def test_copy_page_makes_a_draft_and_refuses_bad_dates(survey, county_office_user, login):
    from liaison.surveys.models import Survey

    client = login(county_office_user)
    bad = client.post(
        f"/surveys/results/{survey.pk}/copy/",
        {"title": "2027年评议", "opens_on": "2027-02-01", "closes_on": "2027-01-01"},
    )
    assert bad.status_code == 400 and "截止日期不能早于开始日期" in bad.content.decode()
    ok = client.post(
        f"/surveys/results/{survey.pk}/copy/",
        {"title": "2027年评议", "opens_on": "2027-01-01", "closes_on": "2027-01-31"},
    )
    assert ok.status_code == 302
    assert Survey.objects.get(title="2027年评议").previous == survey


def test_every_input_has_a_label_and_every_question_a_legend(survey, enterprise_user, login):
    import re

    page = login(enterprise_user).get(f"/surveys/{survey.pk}/").content.decode()
    form = page[page.index('<form method="post" action="/surveys/') :]
    ids = re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', form)
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', form))
    assert ids and set(ids) <= labelled, set(ids) - labelled
    assert form.count("<fieldset") == form.count("<legend")
    assert form.count('class="question"') == survey.questions.count() + 1


def test_answer_page_query_count_does_not_grow_with_departments(enterprise_user, login, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UnitFactory

    counts = []
    login(enterprise_user).get("/surveys/")  # the first request of a session does its own bookkeeping
    for size in (1, 12):
        survey = make_survey([UnitFactory() for _i in range(size)], title=f"评议{size}")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/surveys/{survey.pk}/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_submitting_is_a_recorded_transition_and_a_draft_is_not(survey, enterprise, enterprise_user):
    empty = {"ratings": {}, "units": {}, "choices": {}, "texts": {}}
    draft = services.response_save(
        survey=survey, enterprise=enterprise, answers=empty, submit=False, user=enterprise_user
    )
    assert not history_of(draft).exists()
    submitted = services.response_save(
        survey=survey, enterprise=enterprise, answers=empty, submit=True, user=enterprise_user
    )
    assert submitted.is_submitted and submitted.submitted_at
    assert [(e.action, e.from_state, e.to_state, e.actor) for e in history_of(submitted)] == [
        ("submit", "draft", "submitted", enterprise_user)
    ]
    with pytest.raises(ActionRefused):
        services.response_save(survey=survey, enterprise=enterprise, answers=empty, submit=True, user=enterprise_user)
