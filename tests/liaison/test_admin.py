"""The officials' pages: transition forms, the review queue, figures, ledgers; fixed query
counts on the queue and on the unit's list."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from liaison import workflow
from liaison.models import Matter

from .factories import make_matter


@pytest.mark.django_db
def test_change_page_shows_the_timeline_and_the_allowed_actions(login, actors, matter, town_staff_user):
    matter = actors.drive(matter, workflow.ACCEPTED)
    body = login(town_staff_user).get(reverse("admin:liaison_matter_change", args=[matter.pk])).content.decode()
    assert reverse("admin:liaison_matter_act", args=[matter.pk, "handle_self"]) in body
    assert reverse("admin:liaison_matter_act", args=[matter.pk, "assign"]) not in body  # county office only
    assert 'id="matter-timeline"' in body


@pytest.mark.django_db
def test_action_page_performs_the_transition(login, actors, matter, town_staff_user):
    matter = actors.drive(matter, workflow.ACCEPTED)
    client = login(town_staff_user)
    url = reverse("admin:liaison_matter_act", args=[matter.pk, "request_referral"])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400  # the reason is required
    assert Matter.objects.get(pk=matter.pk).state == workflow.ACCEPTED
    response = client.post(url, {"reason": "涉及用地审批，超出本镇职权"})
    assert response.status_code == 302
    assert Matter.objects.get(pk=matter.pk).state == workflow.REFERRAL_REQUESTED


@pytest.mark.django_db
def test_illegal_action_page_refuses_with_a_message_not_a_500(login, actors, matter, town_staff_user):
    client = login(town_staff_user)
    url = reverse("admin:liaison_matter_act", args=[matter.pk, "reply"])
    response = client.post(url, {"reason": "已答复"})
    assert response.status_code == 400
    assert Matter.objects.get(pk=matter.pk).state == workflow.RECEIVED
    assert 'class="errornote"' in response.content.decode()
    assert client.post(reverse("admin:liaison_matter_act", args=[matter.pk, "nonsense"])).status_code == 404


@pytest.mark.django_db
def test_county_office_assigns_with_lead_and_cooperating_units(
    login, actors, matter, county_office_user, department, other_department
):
    matter = actors.drive(matter, workflow.REFERRAL_REQUESTED)
    client = login(county_office_user)
    response = client.post(
        reverse("admin:liaison_matter_act", args=[matter.pk, "assign"]),
        {"reason": "请牵头办理", "lead_unit": department.pk, "cooperating_units": [other_department.pk], "workdays": 5},
    )
    assert response.status_code == 302
    matter = Matter.objects.get(pk=matter.pk)
    assert matter.lead_unit == department and list(matter.cooperating_units.all()) == [other_department]


@pytest.mark.django_db
def test_other_units_cannot_open_action_pages(login, actors, matter, other_town_staff_user):
    url = reverse("admin:liaison_matter_act", args=[matter.pk, "accept"])
    assert login(other_town_staff_user).get(url).status_code == 404


@pytest.mark.django_db
def test_review_queue_is_for_the_county_office_only(login, town_staff_user, county_office_user, actors, matter):
    actors.drive(matter, workflow.REFERRAL_REQUESTED)
    assert login(town_staff_user).get(reverse("admin:liaison_matter_queue")).status_code == 403
    body = login(county_office_user).get(reverse("admin:liaison_matter_queue")).content.decode()
    assert matter.tracking_number in body and "理由说明" in body


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _populate(actors, enterprise, town, n):
    for state in (workflow.REFERRAL_REQUESTED, workflow.RETURNED, workflow.RATED, workflow.ASSIGNED):
        for _ in range(n):
            m = actors.drive(make_matter(enterprise=enterprise, received_by=town), state)
            if state == workflow.ASSIGNED:
                actors.perform(m, "supervise")


@pytest.mark.django_db
def test_review_queue_runs_a_fixed_number_of_queries(login, county_office_user, actors, enterprise, town):
    client = login(county_office_user)
    _populate(actors, enterprise, town, 1)
    url = reverse("admin:liaison_matter_queue")
    client.get(url)  # warm the session and caches
    few = _count_queries(client, url)
    _populate(actors, enterprise, town, 3)
    many = _count_queries(client, url)
    assert few == many
    assert many <= 25


@pytest.mark.django_db
def test_unit_matter_list_runs_a_fixed_number_of_queries(login, town_staff_user, actors, enterprise, town):
    client = login(town_staff_user)
    _populate(actors, enterprise, town, 1)
    url = reverse("admin:liaison_matter_changelist")
    client.get(url)
    few = _count_queries(client, url)
    _populate(actors, enterprise, town, 3)
    many = _count_queries(client, url)
    assert few == many
    assert many <= 20


@pytest.mark.django_db
def test_figures_page_shows_definitions(login, county_office_user, town_staff_user, actors, matter):
    actors.drive(matter, workflow.RATED)
    body = login(county_office_user).get(reverse("admin:liaison_matter_figures")).content.decode()
    assert "<caption>" in body and "<svg" in body and 'class="definitions"' in body
    assert login(town_staff_user).get(reverse("admin:liaison_matter_figures")).status_code == 200


@pytest.mark.django_db
def test_ledgers_as_xlsx_and_csv_with_bom(
    login, county_office_user, town_staff_user, other_town_staff_user, actors, enterprise, town
):
    complaint = actors.drive(
        make_matter(
            enterprise=enterprise, received_by=town, channel="complaint", category="complaint", title="窗口推诿"
        ),
        workflow.REPLIED,
    )
    other = make_matter(enterprise=enterprise, received_by=town, title="用地问题")
    client = login(county_office_user)
    url = reverse("admin:liaison_matter_ledgers")
    today = timezone.localdate(complaint.received_at)  # the ledger filters by local date
    params = {"kind": "complaints", "start": today.replace(month=1, day=1), "end": today, "format": "csv"}
    response = client.get(url, params)
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][1] == complaint.tracking_number
    response = client.get(url, {**params, "kind": "matters", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    numbers = {row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert numbers == {complaint.tracking_number, other.tracking_number}
    # another town's official gets an empty ledger, not these rows
    response = login(other_town_staff_user).get(url, {**params, "kind": "matters"})
    assert complaint.tracking_number.encode() not in b"".join(response.streaming_content)
    # a unit cannot ask for another unit's ledger
    response = login(other_town_staff_user).get(url, {**params, "unit": town.pk})
    assert response.status_code == 400


@pytest.mark.django_db
def test_admin_index_links_the_custom_pages(login, county_office_user):
    body = login(county_office_user).get(reverse("admin:index")).content.decode()
    assert reverse("admin:liaison_matter_queue") in body and reverse("admin:liaison_matter_figures") in body


@pytest.mark.django_db
def test_history_link_leads_to_the_timeline(login, town_staff_user, matter):
    response = login(town_staff_user).get(reverse("admin:liaison_matter_history", args=[matter.pk]))
    assert response.status_code == 302 and response["Location"].endswith("#matter-timeline")


@pytest.mark.django_db
def test_county_leader_sees_the_list_but_no_action_buttons(login, county_leader_user, actors, matter, monkeypatch):
    from django.apps import apps

    config = apps.get_app_config("visits")
    monkeypatch.setattr(
        type(config), "liaison_leader_enterprise_ids", lambda self, user: [matter.enterprise_id], raising=False
    )
    client = login(county_leader_user)
    assert matter.tracking_number in client.get(reverse("admin:liaison_matter_changelist")).content.decode()
    body = client.get(reverse("admin:liaison_matter_change", args=[matter.pk])).content.decode()
    assert reverse("admin:liaison_matter_act", args=[matter.pk, "accept"]) not in body


FORMULA_TITLE = '=HYPERLINK("http://x","y")'


@pytest.mark.django_db
def test_ledgers_keep_formula_titles_as_text_and_dates_as_local_date_cells(login, county_office_user, enterprise, town):
    from liaison import clock

    # received at 23:30 UTC: already the next day in Shanghai, the date the ledger must show
    late = timezone.now().astimezone(datetime.timezone.utc).replace(hour=23, minute=30) - datetime.timedelta(days=1)
    with clock.travel(late):
        matter = make_matter(
            enterprise=enterprise, received_by=town, channel="complaint", category="complaint", title=FORMULA_TITLE
        )
    local_day = timezone.localdate(matter.received_at)
    Matter.objects.filter(pk=matter.pk).update(due_date=local_day + datetime.timedelta(days=7))
    matter.refresh_from_db()
    assert local_day != matter.received_at.astimezone(datetime.timezone.utc).date()
    client = login(county_office_user)
    url = reverse("admin:liaison_matter_ledgers")
    params = {"kind": "matters", "start": local_day, "end": local_day, "format": "xlsx"}
    sheet = load_workbook(io.BytesIO(client.get(url, params).content)).active
    row = next(r for r in sheet.iter_rows(min_row=3) if r[1].value == matter.tracking_number)
    title = next(c for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value)
    assert title.data_type == "s" and title.value == "'" + FORMULA_TITLE
    assert row[2].is_date and row[2].value.date() == local_day
    assert row[10].is_date and row[10].value.date() == matter.due_date
    response = client.get(url, {**params, "kind": "complaints", "format": "csv"})
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    complaint = next(r for r in rows if r[1] == matter.tracking_number)
    assert complaint[2] == local_day.isoformat()
    assert complaint[5].startswith("'=HYPERLINK(")
