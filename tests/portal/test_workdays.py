import datetime

import pytest

from portal.models import CalendarAdjustment
from portal.workdays import add_workdays, is_workday, workdays_between

D = datetime.date


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
