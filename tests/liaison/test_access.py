"""Who sees what: one rule (Matter.objects.visible_to) for admin, pages, downloads and
exports; the tracking number opens a matter only together with its query code."""

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison import workflow
from liaison.models import Matter

from .factories import make_matter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def visible(user):
    return set(Matter.objects.visible_to(user).values_list("pk", flat=True))


@pytest.fixture
def assigned(actors, matter):
    return actors.drive(matter, workflow.ASSIGNED)


@pytest.mark.django_db
def test_receiving_lead_and_cooperating_units_see_it_others_do_not(
    actors, assigned, other_department, town_staff_user, department_staff_user, other_town_staff_user
):
    from tests.factories import OfficialFactory

    coop_user = OfficialFactory(unit=other_department).user
    assert assigned.pk not in visible(coop_user)
    matter = actors.perform(
        actors.drive(
            make_matter(enterprise=assigned.enterprise, received_by=assigned.received_by), workflow.REFERRAL_REQUESTED
        ),
        "assign",
        cooperating_units=[other_department],
    )
    assert matter.pk in visible(coop_user)
    assert assigned.pk in visible(town_staff_user)
    assert assigned.pk in visible(department_staff_user)
    assert assigned.pk not in visible(other_town_staff_user)


@pytest.mark.django_db
def test_county_office_sees_all(assigned, county_office_user, other_enterprise, other_town):
    other = make_matter(enterprise=other_enterprise, received_by=other_town)
    assert {assigned.pk, other.pk} <= visible(county_office_user)


@pytest.mark.django_db
def test_enterprise_sees_only_its_own_and_pending_or_anonymous_see_nothing(
    assigned, enterprise_user, pending_enterprise_user, other_enterprise, other_town
):
    other = make_matter(enterprise=other_enterprise, received_by=other_town)
    assert visible(enterprise_user) == {assigned.pk}
    assert other.pk not in visible(enterprise_user)
    assert visible(pending_enterprise_user) == set()
    assert set(Matter.objects.visible_to(AnonymousUser())) == set()


@pytest.mark.django_db
def test_county_leader_sees_liaison_enterprises_through_the_hook(
    assigned, county_leader_user, other_enterprise, other_town, monkeypatch
):
    other = make_matter(enterprise=other_enterprise, received_by=other_town)
    assert visible(county_leader_user) == set()
    config = apps.get_app_config("visits")
    monkeypatch.setattr(
        type(config),
        "liaison_leader_enterprise_ids",
        lambda self, user: [assigned.enterprise_id] if user == county_leader_user else [],
        raising=False,
    )
    assert visible(county_leader_user) == {assigned.pk}
    assert other.pk not in visible(county_leader_user)


@pytest.mark.django_db
def test_tracking_number_needs_its_own_query_code(client, assigned, other_enterprise, other_town):
    other = make_matter(enterprise=other_enterprise, received_by=other_town)
    url = reverse("liaison:track")
    # a guessed or borrowed code does not open the matter
    for number, code in [
        (assigned.tracking_number, other.issued_query_code),
        (assigned.tracking_number, ""),
        (assigned.tracking_number, "ABCDEFGH"),
    ]:
        response = client.post(url, {"tracking_number": number, "query_code": code})
        assert response.status_code in (400, 404)
        assert assigned.title not in response.content.decode()
    # without the lookup, the detail URL is a 404, even with the right number
    assert client.get(reverse("liaison:track_detail", args=[assigned.tracking_number])).status_code == 404
    response = client.post(
        url, {"tracking_number": assigned.tracking_number.lower(), "query_code": assigned.issued_query_code}
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200 and assigned.title in page.content.decode()
    # the grant covers that matter only
    assert client.get(reverse("liaison:track_detail", args=[other.tracking_number])).status_code == 404


@pytest.mark.django_db
def test_public_timeline_hides_internal_notes(client, actors, assigned):
    actors.perform(assigned, "note", reason="内部研判意见", public=False)
    actors.perform(assigned, "note", reason="已安排现场查看", public=True)
    client.post(
        reverse("liaison:track"),
        {"tracking_number": assigned.tracking_number, "query_code": assigned.issued_query_code},
    )
    body = client.get(reverse("liaison:track_detail", args=[assigned.tracking_number])).content.decode()
    assert "已安排现场查看" in body and "内部研判意见" not in body


@pytest.mark.django_db
def test_lookups_are_rate_limited(client, assigned, settings):
    settings.LIAISON_TRACKING_LOOKUPS_PER_HOUR = 3
    from django.core.cache import cache

    cache.clear()
    statuses = [
        client.post(reverse("liaison:track"), {"tracking_number": "ZQX", "query_code": "X"}).status_code
        for _ in range(5)
    ]
    assert statuses[-1] == 429 and 429 not in statuses[:3]
    cache.clear()


@pytest.mark.django_db
def test_enterprise_pages_refuse_another_enterprise_s_matter(
    login, enterprise_user, other_enterprise, other_town, assigned
):
    other = make_matter(enterprise=other_enterprise, received_by=other_town)
    client = login(enterprise_user)
    assert client.get(reverse("liaison:mine_detail", args=[assigned.tracking_number])).status_code == 200
    assert client.get(reverse("liaison:mine_detail", args=[other.tracking_number])).status_code == 404
    assert client.get(reverse("liaison:track_detail", args=[other.tracking_number])).status_code == 404
    listing = client.get(reverse("liaison:mine")).content.decode()
    assert assigned.tracking_number in listing and other.tracking_number not in listing


@pytest.mark.django_db
def test_admin_hides_other_units_matters(login, assigned, other_town_staff_user, town_staff_user):
    url = reverse("admin:liaison_matter_change", args=[assigned.pk])
    assert login(other_town_staff_user).get(url).status_code in (302, 404)
    assert login(town_staff_user).get(url).status_code == 200
    listing = login(other_town_staff_user).get(reverse("admin:liaison_matter_changelist")).content.decode()
    assert assigned.tracking_number not in listing


@pytest.mark.django_db
def test_attachments_download_only_for_those_who_may_see(
    client, login, enterprise, town, enterprise_user, other_town_staff_user, town_staff_user
):
    matter = make_matter(
        enterprise=enterprise,
        received_by=town,
        attachments=[SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")],
    )
    attachment = matter.attachments.get()
    url = attachment.get_absolute_url()
    # The URL names the file by its random UUID, never by a sequential id.
    assert url.split("/")[-2] == str(attachment.public_id)
    assert f"/{matter.pk}/" not in url and f"/{attachment.pk}/" not in url
    assert client.get(url).status_code == 404
    assert login(other_town_staff_user).get(url).status_code == 404
    response = login(town_staff_user).get(url)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF
    response = login(enterprise_user).get(url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_public_urls_never_carry_the_sequential_id(assigned):
    assert str(assigned.pk) != assigned.tracking_number
    assert f"/{assigned.pk}/" not in assigned.get_absolute_url()


@pytest.mark.django_db
def test_the_tracking_code_holder_rates_the_reply_and_nothing_else(client, actors, matter):
    code = matter.issued_query_code
    matter = actors.drive(matter, workflow.REPLIED)
    act = reverse("liaison:track_act", args=[matter.tracking_number])
    assert client.post(act, {"action": "rate", "rating": 5}).status_code == 404  # no lookup yet
    client.post(reverse("liaison:track"), {"tracking_number": matter.tracking_number, "query_code": code})
    assert client.post(act, {"action": "accept"}).status_code == 404
    assert client.post(act, {"action": "rate", "rating": 1, "reason": ""}).status_code == 400
    assert client.post(act, {"action": "rate", "rating": 5}).status_code == 302
    matter = Matter.objects.get(pk=matter.pk)
    assert matter.state == workflow.RATED and matter.rating == 5
    assert client.post(act, {"action": "rate", "rating": 4}).status_code == 409  # already rated
