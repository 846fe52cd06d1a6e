import pytest
from django.urls import reverse

from liaison import workflow
from liaison.selectors import matters_for_enterprise

from .factories import make_matter


@pytest.mark.django_db
def test_my_enterprise_page_lists_our_matters(login, enterprise_user, actors, matter, other_enterprise, other_town):
    other = make_matter(enterprise=other_enterprise, received_by=other_town)
    body = login(enterprise_user).get(reverse("portal:my_home")).content.decode()
    assert matter.get_absolute_url() in body and other.tracking_number not in body


@pytest.mark.django_db
def test_one_enterprise_file_selector_respects_the_viewer(
    actors, matter, enterprise, town_staff_user, other_town_staff_user, county_office_user
):
    actors.drive(matter, workflow.ASSIGNED)
    assert list(matters_for_enterprise(enterprise, town_staff_user)) == [matter]
    assert list(matters_for_enterprise(enterprise, county_office_user)) == [matter]
    assert list(matters_for_enterprise(enterprise, other_town_staff_user)) == []


@pytest.mark.django_db
def test_home_page_has_the_tracking_panel(client):
    assert reverse("liaison:track") in client.get(reverse("portal:home")).content.decode()
