"""Every clock is a deadline (issue 13, item 1): acceptance, handling, reassignment after a
return, extension decision and the enterprise's supplement each have a date, show in the
list and the review queue with near/overdue flags, and reach the daily deadline mail.
Overdue figures count working days (item 11); --dry-run changes nothing."""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from liaison import clock, deadlines, workflow
from liaison.models import HeldUpload, Matter

from .factories import fresh, make_matter

MON = datetime.date(2026, 3, 2)


@pytest.mark.django_db
def test_an_unaccepted_matter_past_its_acceptance_limit_is_overdue(actors, enterprise, town):
    with clock.travel(MON):
        matter = make_matter(enterprise=enterprise, received_by=town)
    assert matter.accept_due == datetime.date(2026, 3, 4)
    assert not Matter.objects.overdue(datetime.date(2026, 3, 4)).exists()
    assert Matter.objects.near_due(datetime.date(2026, 3, 3), datetime.date(2026, 3, 5)).filter(pk=matter.pk).exists()
    assert Matter.objects.overdue(datetime.date(2026, 3, 5)).filter(pk=matter.pk).exists()
    which, day = fresh(matter).next_deadline
    assert which.key == "acceptance" and day == datetime.date(2026, 3, 4)


@pytest.mark.django_db
def test_acceptance_starts_the_handling_clock(actors, enterprise, town):
    with clock.travel(MON):
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.ACCEPTED)
    assert matter.due_date == datetime.date(2026, 3, 9) and matter.deadline_workdays == 5
    assert matter.next_deadline[0].key == "handling"


@pytest.mark.django_db
def test_each_clock_has_its_date(actors, enterprise, town):
    with clock.travel(MON):
        returned = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.RETURNED)
        waiting = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.WAITING)
        extension = actors.perform(
            actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.ASSIGNED), "request_extension"
        )
    assert returned.reassign_due == datetime.date(2026, 3, 4) and returned.due_date is not None
    assert {c.key for c, _d in deadlines.running_clocks(returned)} == {"handling", "reassignment"}
    assert waiting.supplement_due == datetime.date(2026, 3, 9)
    assert extension.extension_decide_by == datetime.date(2026, 3, 4)
    with clock.travel(datetime.date(2026, 3, 3)):
        again = actors.perform(returned, "assign")
        answered = actors.perform(waiting, "resume")
        decided = actors.perform(extension, "approve_extension")
    assert again.reassign_due is None and answered.supplement_due is None and decided.extension_decide_by is None


@pytest.mark.django_db
def test_no_open_matter_without_a_due_date(actors, enterprise, town):
    with clock.travel(MON):
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.HANDLING)
    for field, state in (
        ("due_date", workflow.HANDLING),
        ("reassign_due", workflow.RETURNED),
        ("supplement_due", workflow.WAITING),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            Matter.objects.filter(pk=matter.pk).update(state=state, **{field: None})
    with pytest.raises(IntegrityError), transaction.atomic():
        Matter.objects.filter(pk=matter.pk).update(extension_requested_days=2, extension_decide_by=None)


@pytest.mark.django_db
def test_the_review_queue_and_the_list_show_an_unaccepted_matter(
    client, login, actors, enterprise, town, county_office_user
):
    with clock.travel(MON):
        matter = make_matter(enterprise=enterprise, received_by=town, title="迟迟未受理")
    login(county_office_user)
    with clock.travel(datetime.date(2026, 3, 9)):
        queue = client.get(reverse("admin:liaison_matter_queue"))
        listing = client.get(reverse("admin:liaison_matter_changelist") + "?due=overdue")
    assert queue.status_code == 200
    overdue = queue.content.decode().split('id="q-overdue"')[1].split('id="q-near_due"')[0]
    assert matter.tracking_number in overdue and "受理" in overdue and "已逾期 3 个工作日" in overdue
    page = listing.content.decode()
    assert matter.tracking_number in page and "2026-03-04" in page and "已逾期 3 个工作日" in page


@pytest.mark.django_db
def test_the_deadline_mail_chases_acceptance_and_counts_working_days(
    actors, enterprise, town, town_staff_user, county_office_user
):
    with clock.travel(datetime.date(2026, 3, 5)):  # Thursday: accept by Monday 9 March
        matter = make_matter(enterprise=enterprise, received_by=town, title="未受理事项")
    with clock.travel(datetime.date(2026, 3, 12)):  # Thursday: 3 working days late, 7 calendar days
        call_command("liaison_deadlines", stdout=io.StringIO())
    to_town = [m for m in mail.outbox if town_staff_user.email in m.to]
    assert len(to_town) == 1
    line = next(line for line in to_town[0].body.splitlines() if matter.tracking_number in line)
    assert "受理" in line and "已逾期 3 个工作日" in line
    assert any(matter.tracking_number in m.body for m in mail.outbox if county_office_user.email in m.to)


@pytest.mark.django_db
def test_the_county_office_is_chased_for_its_own_clocks(
    actors, enterprise, town, department_staff_user, county_office_user
):
    with clock.travel(MON):
        returned = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.RETURNED)
    with clock.travel(datetime.date(2026, 3, 6)):
        call_command("liaison_deadlines", stdout=io.StringIO())
    office = [m for m in mail.outbox if county_office_user.email in m.to]
    line = next(line for line in office[0].body.splitlines() if returned.tracking_number in line and "退回" in line)
    assert "已逾期 2 个工作日" in line


@pytest.mark.django_db
def test_dry_run_changes_nothing(enterprise, town):
    held = HeldUpload(original_name="a.pdf", mime_type="application/pdf", size=3)
    held.file.save("a.pdf", ContentFile(b"pdf"), save=False)
    held.save()
    HeldUpload.objects.filter(pk=held.pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    out = io.StringIO()
    call_command("liaison_deadlines", "--dry-run", "--any-day", stdout=out)
    assert HeldUpload.objects.filter(pk=held.pk).exists() and not mail.outbox
    assert "1 held uploads would be removed" in out.getvalue()
    call_command("liaison_deadlines", "--any-day", stdout=io.StringIO())
    assert not HeldUpload.objects.filter(pk=held.pk).exists()


@pytest.mark.django_db
def test_a_due_date_in_an_unconfirmed_year_is_marked_estimated(
    client, login, actors, enterprise, town, county_office_user
):
    from portal.core import workdays

    workdays.clear_cache()
    with clock.travel(datetime.date(2026, 12, 30)):
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town, title="跨年事项"), workflow.HANDLING)
        assert matter.due_date == datetime.date(2027, 1, 7)  # 31 Dec, 4–7 Jan: 元旦 skipped
        login(county_office_user)
        page = client.get(reverse("admin:liaison_matter_changelist")).content.decode()
    assert "2027-01-07（预计）" in page


@pytest.mark.django_db
def test_unit_to_unit_reasons_are_internal_unless_the_official_shows_them(
    client, login, actors, enterprise, town, town_staff_user, department_staff_user, enterprise_user
):
    from liaison.models import MatterEvent

    with clock.travel(MON):
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.ACCEPTED)
        login(town_staff_user)
        url = reverse("admin:liaison_matter_act", args=[matter.pk, "request_referral"])
        assert 'name="public"' in client.get(url).content.decode()
        client.post(url, {"reason": "本镇无权审批用地"})
        matter = actors.perform(fresh(matter), "assign", reason="请县自然资源局牵头")
        login(department_staff_user)
        client.post(
            reverse("admin:liaison_matter_act", args=[matter.pk, "return_assignment"]),
            {"reason": "已向企业说明：本事项由县住建局办理", "public": "on"},
        )
    events = {e.action: e for e in MatterEvent.objects.filter(matter=matter)}
    assert not events["request_referral"].is_public and not events["assign"].is_public
    assert events["return_assignment"].is_public
    login(enterprise_user)
    page = client.get(matter.get_absolute_url()).content.decode()
    assert "本镇无权审批用地" not in page and "请县自然资源局牵头" not in page
    assert "已向企业说明" in page


@pytest.mark.django_db
def test_the_enterprise_contact_is_not_labelled_as_a_town_official(
    login, enterprise, enterprise_user, town, town_staff_user
):
    from liaison.services import matter_submit_online

    matter, _created = matter_submit_online(
        user=enterprise_user,
        enterprise=enterprise,
        title="线上提交",
        description="说明",
        category="other",
        urgency="normal",
        contact_name="王经理",
        contact_phone="13800000000",
        idempotency_key=None,
    )
    event = matter.events.get(action="create")
    assert event.actor_unit is None and event.actor_name == "王经理"
    page = login(town_staff_user).get(reverse("admin:liaison_matter_change", args=[matter.pk])).content.decode()
    assert "王经理（企业）" in page and f"王经理（{town.name}）" not in page


@pytest.mark.django_db
def test_assigning_to_a_unit_nobody_can_act_for_needs_a_named_phone_contact(
    client, login, actors, enterprise, town, county_office_user, other_department
):
    from liaison.models import MatterEvent

    with clock.travel(MON):
        matter = actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.REFERRAL_REQUESTED)
        login(county_office_user)
        url = reverse("admin:liaison_matter_act", args=[matter.pk, "assign"])
        form = client.get(url).content.decode()
        assert f"{other_department.name}（无人办理，需电话通知）" in form
        assert f"{actors.department.name}（无人办理" not in form
        refused = client.post(url, {"reason": "请牵头", "lead_unit": other_department.pk, "workdays": 5})
        assert refused.status_code == 400 and "没有可用的工作人员账号" in refused.content.decode()
        assert "请牵头" in refused.content.decode()  # nothing typed is lost
        assert fresh(matter).state == workflow.REFERRAL_REQUESTED
        done = client.post(
            url,
            {
                "reason": "请牵头",
                "lead_unit": other_department.pk,
                "workdays": 5,
                "phone_contact": "李科长 0763-5812345",
            },
        )
    assert done.status_code == 302 and fresh(matter).lead_unit == other_department
    event = MatterEvent.objects.get(matter=matter, action="assign")
    assert "电话通知：李科长 0763-5812345" in event.reason and "请牵头" in event.reason


@pytest.mark.django_db
def test_the_figures_page_counts_each_clock(client, login, actors, enterprise, town, county_office_user):
    with clock.travel(MON):
        make_matter(enterprise=enterprise, received_by=town)
        actors.drive(make_matter(enterprise=enterprise, received_by=town), workflow.RETURNED)
    login(county_office_user)
    with clock.travel(datetime.date(2026, 3, 9)):
        page = client.get(reverse("admin:liaison_matter_figures")).content.decode()
    section = page.split('id="figures-clocks"')[1].split("</table>")[0]
    rows = {row.split("</th>")[0].split(">")[-1]: row for row in section.split('<th scope="row">')[1:]}
    assert "<td>1</td>" in rows["受理"].replace("受理</th>", "") and "<td>1</td>" in rows["退回后重新交办"]
