"""Interpretation due within 3 working days; publication within 20 working days of 成文."""

import datetime

from policies import selectors

from .factories import InterpretationFactory, PolicyFactory


def test_interpretation_overdue_after_three_working_days(town):
    # Published Friday 2024-03-01: due Wednesday 03-06 (3 working days); overdue from 03-07.
    policy = PolicyFactory(unit=town, published_on=datetime.date(2024, 3, 1))
    assert policy.interpretation_due_on == datetime.date(2024, 3, 6)
    assert selectors.interpretation_overdue(today=datetime.date(2024, 3, 6)) == []
    assert selectors.interpretation_overdue(today=datetime.date(2024, 3, 7)) == [policy]
    assert selectors.interpretation_overdue(unit=town, today=datetime.date(2024, 3, 7)) == [policy]
    InterpretationFactory(policy=policy)
    assert selectors.interpretation_overdue(today=datetime.date(2024, 3, 7)) == []


def test_national_day_holiday_does_not_count(town):
    # Published 2024-09-30 (Mon); 10-01..10-07 are holidays: due 10-10.
    policy = PolicyFactory(unit=town, published_on=datetime.date(2024, 9, 30))
    assert policy.interpretation_due_on == datetime.date(2024, 10, 10)


def test_late_disclosure_report(town):
    on_time = PolicyFactory(unit=town, written_on=datetime.date(2024, 3, 1), published_on=datetime.date(2024, 3, 28))
    late = PolicyFactory(unit=town, written_on=datetime.date(2024, 3, 1), published_on=datetime.date(2024, 4, 15))
    assert on_time.disclosure_workdays == 19
    assert selectors.late_disclosures() == [late]
