"""The cron command mails each official the enterprises they have not visited this quarter,
from two weeks before the quarter ends, once per official and quarter."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from portal.models import Official
from tests.factories import EnterpriseFactory, OfficialFactory, UserFactory
from visits.models import ReminderLog

from .factories import AssignmentFactory, VisitFactory


@pytest.fixture
def setup(town):
    cadre = OfficialFactory(
        unit=town,
        role=Official.Role.UNIT_STAFF,
        name="林海燕",
        user=UserFactory(email="lin@example.gov.cn", is_staff=True),
    )
    visited, forgotten = (
        EnterpriseFactory(town=town, name="已走访公司"),
        EnterpriseFactory(town=town, name="未走访公司"),
    )
    AssignmentFactory(official=cadre, enterprise=visited)
    AssignmentFactory(official=cadre, enterprise=forgotten)
    VisitFactory(unit=town, enterprise=visited, date=datetime.date(2026, 9, 1), officials=[cadre])
    no_mail = OfficialFactory(unit=town, role=Official.Role.UNIT_STAFF, user=UserFactory(email="", is_staff=True))
    AssignmentFactory(official=no_mail, enterprise=forgotten)
    done = OfficialFactory(
        unit=town, role=Official.Role.UNIT_STAFF, user=UserFactory(email="done@example.gov.cn", is_staff=True)
    )
    AssignmentFactory(official=done, enterprise=visited)
    VisitFactory(unit=town, enterprise=visited, date=datetime.date(2026, 7, 2), officials=[done])
    return cadre


def test_nothing_is_sent_earlier_than_two_weeks_before_the_end(setup):
    call_command("send_visit_reminders", date="2026-09-15")
    assert mail.outbox == []


def test_two_weeks_before_the_end_each_official_gets_their_unvisited_enterprises(setup):
    call_command("send_visit_reminders", date="2026-09-16")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lin@example.gov.cn"]
    assert "2026年第3季度" in message.subject
    assert "未走访公司" in message.body and "已走访公司" not in message.body
    assert ReminderLog.objects.get().enterprise_count == 1


def test_running_daily_does_not_mail_twice(setup):
    call_command("send_visit_reminders", date="2026-09-17")
    call_command("send_visit_reminders", date="2026-09-18")
    assert len(mail.outbox) == 1


def test_last_quarters_visits_do_not_count_in_the_new_quarter(setup, town):
    # Visits in July and September were Q3: in Q4 both officials with an address are reminded.
    call_command("send_visit_reminders", date="2026-12-17")
    assert len(mail.outbox) == 2


def test_dry_run_prints_the_mails_and_sends_and_records_nothing(setup):
    import io

    out = io.StringIO()
    call_command("send_visit_reminders", "--dry-run", date="2026-09-16", stdout=out)
    assert mail.outbox == [] and not ReminderLog.objects.exists()
    assert "To: lin@example.gov.cn" in out.getvalue() and "未走访公司" in out.getvalue()
    assert "1 reminder(s) would be sent" in out.getvalue()
    call_command("send_visit_reminders", date="2026-09-16", stdout=io.StringIO())
    assert len(mail.outbox) == 1
