import datetime

import pytest

from portal.models import CalendarAdjustment
from portal.core import workdays
from portal.core.workdays import add_workdays, is_workday, workdays_between

D = datetime.date


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """Rows made in a test are rolled back without signals: forget the cached adjustments."""
    workdays.clear_cache()
    yield
    workdays.clear_cache()


@pytest.mark.django_db
def test_national_day_holiday_is_skipped_and_adjusted_saturday_counts():
    assert not is_workday(D(2025, 10, 1))
    assert is_workday(D(2025, 9, 28))  # 调休上班 (a Sunday)
    # 30 Sept 2025 + 1 working day → 9 Oct (1–8 Oct are holidays).
    assert add_workdays(D(2025, 9, 30), 1) == D(2025, 10, 9)


@pytest.mark.django_db
def test_friday_plus_five_working_days_is_next_friday():
    assert add_workdays(D(2025, 11, 14), 5) == D(2025, 11, 21)
    assert workdays_between(D(2025, 11, 14), D(2025, 11, 21)) == 5


@pytest.mark.django_db
def test_an_admin_adjustment_overrides_the_library():
    day = D(2025, 11, 19)
    assert is_workday(day)
    CalendarAdjustment.objects.create(date=day, is_workday=False, name="台风停工")
    assert not is_workday(day)
    CalendarAdjustment.objects.filter(date=day).delete()
    assert is_workday(day)


@pytest.mark.django_db
def test_years_the_library_does_not_know_fall_back_to_weekdays():
    assert is_workday(D(2031, 3, 3)) and not is_workday(D(2031, 3, 1))


# ---- years after the last one chinesecalendar ships (issue 13, item 2)
@pytest.mark.django_db
def test_new_year_2027_is_a_holiday():
    assert not is_workday(D(2027, 1, 1))  # 元旦, a Friday
    # 3 working days after 30 Dec 2026: 31 Dec, (1 Jan holiday, weekend), 4 Jan, 5 Jan
    assert add_workdays(D(2026, 12, 30), 3) == D(2027, 1, 5)


@pytest.mark.django_db
def test_spring_festival_2027_is_skipped():
    # 春节 2027: 除夕 5 February (Fri) to 初三 8 February, weekend days observed on 9–10 February
    for day in (D(2027, 2, 5), D(2027, 2, 8)):
        assert not is_workday(day)
    assert add_workdays(D(2027, 2, 4), 1) > D(2027, 2, 8)
    assert workdays_between(D(2027, 2, 1), D(2027, 2, 12)) < 9


@pytest.mark.django_db
def test_a_year_no_source_confirms_is_an_estimate_until_the_county_confirms_it():
    from portal.models import CalendarYear

    assert not workdays.is_estimated(D(2026, 12, 31))
    assert workdays.is_estimated(D(2027, 1, 5), D(2026, 12, 30))
    assert workdays.missing_year_warning(D(2026, 10, 31)) is None
    assert workdays.missing_year_warning(D(2026, 11, 2)) == 2027
    CalendarAdjustment.objects.create(date=D(2027, 2, 20), is_workday=True, name="春节调休上班")
    CalendarYear.objects.create(year=2027, notice="国务院办公厅关于2027年部分节假日安排的通知")
    assert is_workday(D(2027, 2, 20))  # a Saturday
    assert not workdays.is_estimated(D(2027, 1, 5), D(2026, 12, 30))
    assert workdays.missing_year_warning(D(2026, 11, 2)) is None


@pytest.mark.django_db
def test_the_county_office_is_warned_in_november(client, login, county_office_user, town_staff_user):
    import time_machine
    from django.urls import reverse

    login(county_office_user)
    with time_machine.travel(datetime.datetime(2026, 11, 3, 9, 0, tzinfo=datetime.timezone.utc)):
        page = client.get(reverse("admin:index")).content.decode()
    assert 'id="calendar-warning"' in page and "2027年的法定节假日" in page
    with time_machine.travel(datetime.datetime(2026, 10, 3, 9, 0, tzinfo=datetime.timezone.utc)):
        page = client.get(reverse("admin:index")).content.decode()
    assert 'id="calendar-warning"' not in page
    login(town_staff_user)
    with time_machine.travel(datetime.datetime(2026, 11, 3, 9, 0, tzinfo=datetime.timezone.utc)):
        page = client.get(reverse("admin:index")).content.decode()
    assert 'id="calendar-warning"' not in page
