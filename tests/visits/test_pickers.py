"""Searchable pickers (autocomplete) instead of long dropdowns: the visit form's enterprise is
searched, not listed, and the search answers only with what the user may pick; without
JavaScript the picker is still a usable <select> (every choice while the list is short)."""

import pytest
from django.urls import reverse

from portal.core import admin_autocomplete
from portal.models import Official
from tests.factories import EnterpriseFactory, OfficialFactory


def test_the_visit_form_offers_a_search_box_not_every_enterprise(login, town_staff_user, town):
    for i in range(30):
        EnterpriseFactory(town=town, name=f"太和测试企业{i}有限公司")
    html = login(town_staff_user).get(reverse("admin:visits_visit_add")).content.decode()
    assert 'class="admin-autocomplete' in html
    # No JavaScript: a short list is a plain dropdown of every choice (Django's own widget would
    # offer only the chosen value, leaving nothing to pick).
    assert "太和测试企业7有限公司" in html


def test_a_long_list_without_javascript_holds_only_the_chosen_value(login, town_staff_user, town, monkeypatch):
    monkeypatch.setattr(admin_autocomplete, "FULL_LIST_LIMIT", 5)
    for i in range(8):
        EnterpriseFactory(town=town, name=f"太和测试企业{i}有限公司")
    html = login(town_staff_user).get(reverse("admin:visits_visit_add")).content.decode()
    assert 'class="admin-autocomplete' in html and "太和测试企业7有限公司" not in html


def _search(client, app_label, model_name, field_name, term=""):
    return client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": app_label, "model_name": model_name, "field_name": field_name},
    )


def _names(response):
    """The names found (an official is shown with their unit: 本镇干部甲（太和镇）)."""
    return sorted(r["text"].split("（")[0] for r in response.json()["results"])


@pytest.fixture
def colleagues(town, other_town, county_government):
    return {
        "mine": OfficialFactory(unit=town, name="本镇干部甲"),
        "other": OfficialFactory(unit=other_town, name="外镇干部乙"),
        "leader": OfficialFactory(unit=county_government, role=Official.Role.COUNTY_LEADER, name="县领导丙"),
    }


@pytest.mark.parametrize(
    "field",
    [
        ("visits", "liaisonassignment", "official"),
        ("visits", "appointment", "proposed_by"),
        ("visits", "visit", "officials"),
    ],
)
def test_unit_staff_search_officials_of_their_own_unit_only(login, town_staff_user, colleagues, field):
    response = _search(login(town_staff_user), *field)
    assert response.status_code == 200  # unit staff hold no portal.view_official: answered all the same
    names = _names(response)
    assert "本镇干部甲" in names and town_staff_user.official.name in names
    assert "外镇干部乙" not in names and "县领导丙" not in names


def test_the_county_office_searches_every_official_the_form_accepts(login, county_office_user, colleagues):
    client = login(county_office_user)
    visit_team = _names(_search(client, "visits", "visit", "officials"))
    assert {"本镇干部甲", "外镇干部乙", "县领导丙"} <= set(visit_team)
    # A cadre's liaison assignment names no county leader (they are given key enterprises elsewhere).
    assignment = _names(_search(client, "visits", "liaisonassignment", "official"))
    assert {"本镇干部甲", "外镇干部乙"} <= set(assignment) and "县领导丙" not in assignment


def test_the_search_term_narrows_within_the_scope(login, town_staff_user, colleagues):
    names = _names(_search(login(town_staff_user), "visits", "visit", "officials", term="干部甲"))
    assert names == ["本镇干部甲"]


def test_enterprise_pickers_follow_visible_to(
    login, town_staff_user, department_staff_user, enterprise, other_enterprise
):
    fields = [
        ("visits", "liaisonassignment", "enterprise"),
        ("visits", "appointment", "enterprise"),
        ("visits", "meetingproblem", "enterprise"),
        ("liaison", "matter", "enterprise"),
    ]
    for field in fields:
        town_names = _names(_search(login(town_staff_user), *field))
        assert town_names == [enterprise.name], field
        department_names = _names(_search(login(department_staff_user), *field))
        assert {enterprise.name, other_enterprise.name} <= set(department_names), field


def test_people_who_are_not_officials_get_nothing(client, login, enterprise_user, colleagues):
    response = _search(login(enterprise_user), "visits", "visit", "officials")
    assert response.status_code in (302, 403)
    client.logout()
    assert _search(client, "visits", "visit", "officials").status_code == 302  # to the login page


def test_the_assign_pickers_mark_units_nobody_can_act_for(login, county_office_user, department, other_department):
    OfficialFactory(unit=department)
    response = _search(login(county_office_user), "liaison", "matter", "cooperating_units")
    names = _names(response)
    assert department.name in names
    texts = [r["text"] for r in response.json()["results"]]
    assert any(other_department.name in t and "电话" in t for t in texts), texts


def test_the_team_is_checkboxes_while_short_and_a_search_box_beyond(login, town_staff_user, county_office_user, town):
    html = login(town_staff_user).get(reverse("admin:visits_visit_add")).content.decode()
    assert 'type="checkbox" name="team"' in html
    for i in range(13):
        OfficialFactory(unit=town)
    html = login(county_office_user).get(reverse("admin:visits_visit_add")).content.decode()
    assert 'type="checkbox" name="team"' not in html and 'data-field-name="officials"' in html


def test_the_enterprise_search_answers_within_the_users_scope(login, town_staff_user, town, other_town):
    mine = EnterpriseFactory(town=town, name="太和镇精工有限公司")
    EnterpriseFactory(town=other_town, name="山塘镇精工有限公司")
    client = login(town_staff_user)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "精工", "app_label": "visits", "model_name": "visit", "field_name": "enterprise"},
    )
    assert response.status_code == 200
    assert [r["id"] for r in response.json()["results"]] == [str(mine.pk)]


def test_meeting_attendance_is_picked_by_search(login, county_office_user):
    html = login(county_office_user).get(reverse("admin:visits_meeting_add")).content.decode()
    assert html.count('class="admin-autocomplete') >= 2 and "selector-available" not in html


def test_the_visit_form_names_its_form_field_as_a_visit_not_an_interpretation(login, town_staff_user):
    html = login(town_staff_user).get(reverse("admin:visits_visit_add")).content.decode()
    assert "走访形式" in html and "解读形式" not in html


def test_only_fields_offered_as_pickers_answer_officials_without_the_view_permission(
    login, town_staff_user, colleagues
):
    client = login(town_staff_user)
    # A matter's "created by" is no picker: its users are not listed for anyone who asks.
    assert _search(client, "liaison", "matter", "created_by").status_code == 403
    assert _search(client, "visits", "visit", "recorded_by").status_code == 403
    assert _search(client, "visits", "meeting", "enterprises_attending").status_code == 200
