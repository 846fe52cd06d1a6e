"""Official.objects.acting_for / county_office: who acts for a unit on matters, and who is 县政府办."""

import pytest

from portal.models import Official
from tests.factories import OfficialFactory


@pytest.mark.django_db
def test_acting_for_is_the_units_active_staff_and_head(town, other_town, county_government):
    staff = OfficialFactory(unit=town, role=Official.Role.UNIT_STAFF)
    head = OfficialFactory(unit=town, role=Official.Role.UNIT_HEAD)
    OfficialFactory(unit=town, role=Official.Role.UNIT_STAFF, user__is_active=False)
    OfficialFactory(unit=other_town, role=Official.Role.UNIT_STAFF)
    OfficialFactory(unit=county_government, role=Official.Role.COUNTY_LEADER)

    assert set(Official.objects.acting_for([town])) == {staff, head}


@pytest.mark.django_db
def test_acting_for_leaves_out_county_leaders_of_the_unit_they_sit_in(county_government):
    OfficialFactory(unit=county_government, role=Official.Role.COUNTY_LEADER)
    clerk = OfficialFactory(unit=county_government, role=Official.Role.UNIT_STAFF)

    assert list(Official.objects.acting_for([county_government])) == [clerk]


@pytest.mark.django_db
def test_acting_for_takes_several_units_as_objects_or_ids(town, other_town, department):
    in_town = OfficialFactory(unit=town)
    in_other_town = OfficialFactory(unit=other_town)
    OfficialFactory(unit=department)

    assert set(Official.objects.acting_for([town, other_town])) == {in_town, in_other_town}
    assert set(Official.objects.acting_for([town.pk, other_town.pk])) == {in_town, in_other_town}
    assert not Official.objects.acting_for([]).exists()


@pytest.mark.django_db
def test_the_county_office_acts_for_its_own_unit(county_office_unit):
    office = OfficialFactory(unit=county_office_unit, role=Official.Role.COUNTY_OFFICE)

    assert list(Official.objects.acting_for([county_office_unit])) == [office]


@pytest.mark.django_db
def test_county_office_is_its_active_officials_only(county_office_unit, town, county_government):
    office = OfficialFactory(unit=county_office_unit, role=Official.Role.COUNTY_OFFICE)
    OfficialFactory(unit=county_office_unit, role=Official.Role.COUNTY_OFFICE, user__is_active=False)
    OfficialFactory(unit=county_office_unit, role=Official.Role.UNIT_STAFF)
    OfficialFactory(unit=town, role=Official.Role.UNIT_HEAD)
    OfficialFactory(unit=county_government, role=Official.Role.COUNTY_LEADER)

    assert list(Official.objects.county_office()) == [office]


@pytest.mark.django_db
@pytest.mark.parametrize("role", Official.Role.values)
def test_acts_for_its_unit_agrees_with_acting_for(town, role):
    official = OfficialFactory(unit=town, role=role)

    assert official.acts_for_its_unit == Official.objects.acting_for([town]).filter(pk=official.pk).exists()
    assert official.acts_for_its_unit == (role != Official.Role.COUNTY_LEADER)
