"""Issue 12 item 10: a unit head edits their own unit's harmless fields, nothing more."""

from django.urls import reverse

from portal.models import Unit


def _form(unit, **changes):
    data = {
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "code": unit.code,
        "remit": unit.remit,
        "principal_name": unit.principal_name,
        "principal_post": unit.principal_post,
        "address": unit.address,
        "phone": unit.phone,
        "service_phone": unit.service_phone,
        "sort_order": unit.sort_order,
        "is_active": "on",
        "leading_group-TOTAL_FORMS": "0",
        "leading_group-INITIAL_FORMS": "0",
    }
    data.update(changes)
    return data


def test_unit_head_opens_and_edits_own_units_contact_details(login, town_head_user, town):
    client = login(town_head_user)
    url = reverse("admin:portal_unit_change", args=[town.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(town, service_phone="0763-1234567", kind=Unit.Kind.DEPARTMENT, name="改名镇"))
    assert response.status_code == 302, response.content.decode()[:1500]
    town.refresh_from_db()
    assert town.service_phone == "0763-1234567"
    # The kind (which decides the unit's scope) and the name are the county office's to change.
    assert town.kind == Unit.Kind.TOWN
    assert town.name == "太和镇"


def test_unit_head_cannot_change_another_unit(login, town_head_user, other_town):
    client = login(town_head_user)
    url = reverse("admin:portal_unit_change", args=[other_town.pk])
    client.post(url, _form(other_town, service_phone="110"))
    other_town.refresh_from_db()
    assert other_town.service_phone != "110"
    assert not town_head_user.has_perm("portal.change_unit", other_town)


def test_unit_staff_cannot_change_their_own_unit(login, town_staff_user, town):
    assert not town_staff_user.has_perm("portal.change_unit", town)


def test_county_office_changes_a_units_kind(login, county_office_user, town):
    client = login(county_office_user)
    url = reverse("admin:portal_unit_change", args=[town.pk])
    response = client.post(url, _form(town, kind=Unit.Kind.DEPARTMENT))
    assert response.status_code == 302, response.content.decode()[:1500]
    town.refresh_from_db()
    assert town.kind == Unit.Kind.DEPARTMENT
