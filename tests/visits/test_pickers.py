"""Searchable pickers (autocomplete) instead of long dropdowns: the visit form's enterprise is
searched, not listed, and the search answers only with what the user may pick."""
from django.urls import reverse

from tests.factories import EnterpriseFactory


def test_the_visit_form_offers_a_search_box_not_every_enterprise(login, town_staff_user, town):
    for i in range(30):
        EnterpriseFactory(town=town, name=f"太和测试企业{i}有限公司")
    html = login(town_staff_user).get(reverse("admin:visits_visit_add")).content.decode()
    assert 'class="admin-autocomplete' in html and "太和测试企业7有限公司" not in html


def test_the_enterprise_search_answers_within_the_users_scope(login, town_staff_user, town, other_town):
    mine = EnterpriseFactory(town=town, name="太和镇精工有限公司")
    EnterpriseFactory(town=other_town, name="山塘镇精工有限公司")
    client = login(town_staff_user)
    response = client.get(reverse("admin:autocomplete"), {
        "term": "精工", "app_label": "visits", "model_name": "visit", "field_name": "enterprise"})
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(mine.pk)]


def test_meeting_attendance_is_picked_by_search(login, county_office_user):
    html = login(county_office_user).get(reverse("admin:visits_meeting_add")).content.decode()
    assert html.count('class="admin-autocomplete') >= 2 and "selector-available" not in html


def test_the_visit_form_names_its_form_field_as_a_visit_not_an_interpretation(login, town_staff_user):
    html = login(town_staff_user).get(reverse("admin:visits_visit_add")).content.decode()
    assert "走访形式" in html and "解读形式" not in html
