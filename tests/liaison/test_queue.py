"""The county office's review queue (issue 17): one section at a time behind tabs with counts
(plain links, no JavaScript), a 等待时长 column in working days, and each row's next step as a
button."""

import datetime

import pytest
from django.urls import reverse

from liaison import clock, selectors, workflow

from .factories import make_matter

MON = datetime.date(2026, 3, 2)  # an ordinary working week, no holidays
THU = datetime.date(2026, 3, 5)
NEXT_MON = datetime.date(2026, 3, 9)
QUEUE = "admin:liaison_matter_queue"


def _page(client, **params):
    response = client.get(reverse(QUEUE), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_one_section_at_a_time_with_every_count_on_its_tab(login, actors, enterprise, town, county_office_user):
    referred = actors.drive(
        make_matter(enterprise=enterprise, received_by=town, title="请求交办的事项"), workflow.REFERRAL_REQUESTED
    )
    returned = actors.drive(
        make_matter(enterprise=enterprise, received_by=town, title="被退回的事项"), workflow.RETURNED
    )
    client = login(county_office_user)
    body = _page(client)  # the first section with something waiting
    assert 'id="q-referral_requests"' in body and referred.tracking_number in body
    assert returned.tracking_number not in body and 'id="q-returned"' not in body
    assert 'href="?section=returned"' in body
    for section in selectors.QUEUE_SECTIONS:
        assert f'href="?section={section.key}"' in body
    body = _page(client, section="returned")
    assert returned.tracking_number in body and referred.tracking_number not in body
    tabs = _page(client, section="nonsense").split('class="queue-tabs"')[1].split("</nav>")[0]
    assert tabs.count('aria-current="page"') == 1


@pytest.mark.django_db
def test_each_row_shows_the_working_days_waited(login, actors, enterprise, town, county_office_user):
    with clock.travel(MON):
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.REFERRAL_REQUESTED)
    client = login(county_office_user)
    with clock.travel(THU):
        body = _page(client, section="referral_requests")
    assert "等待时长" in body and "自提出申请起" in body
    assert "3 个工作日" in body.split(matter.tracking_number)[1].split("</tr>")[0]
    with clock.travel(NEXT_MON):  # the weekend does not count
        rows = selectors.review_queue_rows(county_office_user, selectors.queue_section("referral_requests"))
    assert [(m.pk, m.waited_workdays) for m in rows] == [(matter.pk, 5)]


@pytest.mark.django_db
def test_each_row_has_the_button_of_its_next_step(login, actors, enterprise, town, county_office_user):
    referred = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.REFERRAL_REQUESTED)
    rated = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.RATED)
    supervised = actors.perform(
        actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.ASSIGNED), "supervise"
    )
    client = login(county_office_user)

    def act(matter, action):
        return reverse("admin:liaison_matter_act", args=[matter.pk, action])

    body = _page(client, section="referral_requests")
    assert f'class="button" href="{act(referred, "assign")}"' in body
    body = _page(client, section="unsatisfied")
    assert f'class="button" href="{act(rated, "reopen")}"' in body
    assert f'class="button secondary" href="{act(rated, "close")}"' in body
    body = _page(client, section="supervised")
    assert act(supervised, "note") in body and act(supervised, "unsupervise") in body
    assert act(supervised, "supervise") not in body  # already supervised: no such step now
