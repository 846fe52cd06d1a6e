"""Appointments tell the other side, both ways: the enterprise (mail to its address and
confirmed accounts, 短信 to its mobile) of a proposed, re-proposed, confirmed or cancelled
visit; the proposing official of the enterprise's answer or cancellation. Never the actor."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from portal.core import sms
from visits import services


def _at(days, hour=9):
    base = timezone.localtime(timezone.now()).replace(hour=hour, minute=0, second=0, microsecond=0)
    return base + datetime.timedelta(days=days)


@pytest.fixture
def reachable(enterprise, enterprise_user):
    enterprise.email, enterprise.contact_phone = "office@qy.example.com", "13900001111"
    enterprise.save(update_fields=["email", "contact_phone"])
    return enterprise


@pytest.fixture
def outboxes():
    mail.outbox.clear()
    sms.outbox.clear()
    return mail.outbox, sms.outbox


def _propose(official, enterprise):
    appointment, _c = services.appointment_propose(
        enterprise=enterprise, official=official, starts_at=_at(3, 14), ends_at=_at(3, 16), purpose="了解生产经营情况"
    )
    return appointment


def test_a_proposal_reaches_the_enterprise_by_mail_and_text_message_in_local_time(
    town_staff_user, reachable, enterprise_user, outboxes
):
    _propose(town_staff_user.official, reachable)
    mails, texts = outboxes
    [message] = mails
    assert sorted(message.to) == sorted(["office@qy.example.com", enterprise_user.email])
    when = f"{_at(3, 14):%Y-%m-%d} 14:00"
    assert when in message.subject and "了解生产经营情况" in message.body and "/visits/my/appointments/" in message.body
    [text] = texts
    assert text.mobile == "13900001111" and when in text.text
    assert town_staff_user.email not in message.to


@pytest.mark.parametrize("answer", ["accept", "counter", "decline"])
def test_the_enterprises_answer_reaches_the_official_who_proposed(town_staff_user, reachable, enterprise_user, answer):
    appointment = _propose(town_staff_user.official, reachable)
    mail.outbox.clear()
    extra = {"starts_at": _at(4, 10), "ends_at": _at(4, 11)} if answer == "counter" else {}
    services.appointment_respond(appointment=appointment, by=enterprise_user, answer=answer, note="厂长出差", **extra)
    [message] = mail.outbox
    assert message.to == [town_staff_user.email]
    assert reachable.name in message.subject
    if answer == "counter":
        assert f"{_at(4, 10):%Y-%m-%d} 10:00" in message.subject


def test_an_answer_recorded_by_phone_tells_nobody_but_a_confirmed_counter_time_tells_the_enterprise(
    town_staff_user, reachable, enterprise_user
):
    appointment = _propose(town_staff_user.official, reachable)
    services.appointment_respond(
        appointment=appointment, by=enterprise_user, answer="counter", starts_at=_at(5, 10), ends_at=_at(5, 11)
    )
    mail.outbox.clear()
    sms.outbox.clear()
    services.appointment_accept_counter(appointment=appointment, by=town_staff_user)
    [message] = mail.outbox
    assert enterprise_user.email in message.to and f"{_at(5, 10):%Y-%m-%d} 10:00" in message.subject
    assert len(sms.outbox) == 1


def test_cancellation_tells_the_other_side(town_staff_user, reachable, enterprise_user):
    appointment = _propose(town_staff_user.official, reachable)
    mail.outbox.clear()
    services.appointment_cancel(appointment=appointment, by=enterprise_user, reason="停产检修")
    [message] = mail.outbox
    assert message.to == [town_staff_user.email] and "取消" in message.subject

    other = _propose(town_staff_user.official, reachable)
    mail.outbox.clear()
    sms.outbox.clear()
    services.appointment_cancel(appointment=other, by=town_staff_user, reason="领导另有安排")
    [message] = mail.outbox
    assert enterprise_user.email in message.to and "取消" in message.subject
    assert len(sms.outbox) == 1
