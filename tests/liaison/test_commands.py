import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command

from liaison import clock, workflow

from .factories import make_matter


@pytest.mark.django_db
def test_deadline_mails_go_to_the_responsible_unit_and_the_county_office(
    actors, enterprise, town, department_staff_user, county_office_user, other_town_staff_user
):
    with clock.travel(datetime.date(2026, 3, 2)):
        late = actors.drive(make_matter(enterprise=enterprise, received_by=town, title="逾期事项"), workflow.ASSIGNED)
        paused = actors.drive(make_matter(enterprise=enterprise, received_by=town, title="暂停事项"), workflow.WAITING)
    with clock.travel(datetime.date(2026, 3, 12)):
        out = io.StringIO()
        call_command("liaison_deadlines", stdout=out)
    assert "2 matters flagged" in out.getvalue()
    to_department = [m for m in mail.outbox if department_staff_user.email in m.to]
    to_office = [m for m in mail.outbox if county_office_user.email in m.to]
    assert len(to_department) == 1 and late.tracking_number in to_department[0].body
    assert len(to_office) == 1 and late.tracking_number in to_office[0].body
    # the handling clock is paused; the supplement clock (5 working days) ran out on 9 March
    paused_lines = [line for line in to_office[0].body.splitlines() if paused.tracking_number in line]
    assert len(paused_lines) == 1 and "补充" in paused_lines[0] and "已逾期 3 个工作日" in paused_lines[0]
    assert not [m for m in mail.outbox if other_town_staff_user.email in m.to]
