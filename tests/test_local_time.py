"""Local time everywhere (issue 13, item 3): an event at 01:30 Asia/Shanghai is stored as the
previous day in UTC; every surface shows the Shanghai day and hour — the officials' list, the
matter timeline (officials' and enterprise's), 一企一档, the visit form's appointment choices,
the mails and the feeds. (Ledgers: tests/liaison/test_admin.py, at 23:30 UTC.)"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from liaison import clock
from tests.liaison.factories import make_matter

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Friday 4 December 2026, 01:30 in Shanghai = Thursday 3 December, 17:30 UTC.
EARLY = datetime.datetime(2026, 12, 4, 1, 30, tzinfo=SHANGHAI)


@pytest.fixture
def early_matter(enterprise, town):
    with clock.travel(EARLY):
        return make_matter(enterprise=enterprise, received_by=town, title="凌晨登记的事项")


def test_the_moment_is_the_previous_day_in_utc():
    assert EARLY.astimezone(datetime.timezone.utc).date() == datetime.date(2026, 12, 3)


@pytest.mark.django_db
def test_the_officials_list_and_timeline_show_the_local_day_and_hour(login, town_staff_user, early_matter):
    client = login(town_staff_user)
    listing = client.get(reverse("admin:liaison_matter_changelist")).content.decode()
    row = next(r for r in listing.split("<tr") if early_matter.tracking_number in r)
    assert "2026年12月4日" in row and "01:30" in row
    page = client.get(reverse("admin:liaison_matter_change", args=[early_matter.pk])).content.decode()
    assert "2026-12-04 01:30" in page and "2026-12-03 17:30" not in page


@pytest.mark.django_db
def test_the_enterprise_timeline_shows_the_local_hour(login, enterprise_user, early_matter):
    client = login(enterprise_user)
    page = client.get(early_matter.get_absolute_url()).content.decode()
    assert "2026-12-04 01:30" in page


@pytest.mark.django_db
def test_the_enterprise_file_dates_a_matter_on_its_local_day(login, county_office_user, enterprise, early_matter):
    client = login(county_office_user)
    page = client.get(reverse("visits:enterprise_file", args=[enterprise.pk])).content.decode()
    assert early_matter.title in page
    assert re.search(r"2026年12月4日", page) and not re.search(r"2026年12月3日", page)


@pytest.mark.django_db
def test_the_acceptance_date_in_the_mail_counts_from_the_local_day(
    enterprise, town, django_capture_on_commit_callbacks
):
    """Received on Friday 01:30 local: accepted by Tuesday (2 working days), not by Monday
    as counting from the UTC Thursday would say."""
    from liaison.services import matter_submit_online

    with clock.travel(EARLY), django_capture_on_commit_callbacks(execute=True):
        matter, _created = matter_submit_online(
            user=None,
            enterprise=enterprise,
            title="凌晨提交",
            description="说明",
            category="other",
            urgency="normal",
            contact_name="王女士",
            contact_phone="13800000000",
            contact_email="w@example.cn",
            idempotency_key=None,
        )
    assert matter.accept_due == datetime.date(2026, 12, 8)
    confirmation = next(m for m in mail.outbox if "w@example.cn" in m.to)
    assert "2026-12-08" in confirmation.body


@pytest.mark.django_db
def test_the_visit_form_lists_an_appointment_at_its_local_hour(login, town_staff_user, enterprise):
    from visits import services
    from visits.models import Appointment

    starts = datetime.datetime(2026, 12, 9, 14, 30, tzinfo=SHANGHAI)
    appointment, _conflicts = services.appointment_propose(
        enterprise=enterprise,
        official=town_staff_user.official,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        purpose="了解生产经营情况",
    )
    Appointment.objects.filter(pk=appointment.pk).update(status=Appointment.Status.ACCEPTED)
    assert str(Appointment.objects.get(pk=appointment.pk)).endswith("2026-12-09 14:30")
    client = login(town_staff_user)
    page = client.get(reverse("admin:visits_visit_add")).content.decode()
    assert "2026-12-09 14:30" in page and "06:30" not in page


@pytest.mark.django_db
def test_the_policy_feed_dates_in_local_time(client):
    from tests.policies.factories import PolicyFactory

    early = datetime.datetime(2026, 11, 27, 1, 30, tzinfo=SHANGHAI)
    with time_machine.travel(EARLY):
        policy = PolicyFactory(published_at=early, published_on=datetime.date(2026, 11, 27))
        rss = client.get(reverse("policies:feed_rss")).content.decode()
    assert policy.title in rss and "Fri, 27 Nov 2026 01:30:00 +0800" in rss


def test_the_small_hours_fixture_puts_the_clock_at_half_past_midnight(shanghai_small_hours):
    from django.utils import timezone

    local = timezone.localtime()
    assert (local.hour, local.minute) == (0, 30)
    assert timezone.now().astimezone(datetime.timezone.utc).date() == local.date() - datetime.timedelta(days=1)
