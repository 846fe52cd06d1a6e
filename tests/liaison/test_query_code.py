"""The query code is a secret like a password: stored hashed, shown once, never filterable in
the admin, replaced (never revealed) when lost; only the enterprise rates a reply."""

import re

import pytest
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.urls import reverse

from liaison import workflow
from liaison.models import Matter

from .factories import make_matter


def _lookup(client, matter, code):
    return client.post(reverse("liaison:track"), {"tracking_number": matter.tracking_number, "query_code": code})


@pytest.mark.django_db
def test_the_query_code_is_stored_hashed_and_still_opens_the_matter(client, matter):
    code = matter.issued_query_code
    stored = Matter.objects.values_list("query_code", flat=True).get(pk=matter.pk)
    assert code not in stored and identify_hasher(stored)
    assert _lookup(client, matter, code).status_code == 302
    assert _lookup(client, matter, code[:-1] + ("A" if code[-1] != "A" else "B")).status_code == 404


@pytest.mark.parametrize(
    "lookup", ["query_code__startswith", "query_code", "query_code__regex", "matter__query_code__startswith"]
)
@pytest.mark.django_db
def test_no_admin_list_filters_on_the_query_code(login, town_staff_user, matter, lookup):
    client = login(town_staff_user)
    url = reverse("admin:liaison_matter_changelist")
    response = client.get(url, {"tracking_number": matter.tracking_number, lookup: "A"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_every_registered_admin_refuses_lookups_on_secret_fields(rf, town_staff_user):
    from django.contrib import admin

    request = rf.get("/")
    request.user = town_staff_user
    for model, model_admin in admin.site._registry.items():
        for lookup in ("query_code__startswith", "matter__query_code", "user__password__startswith"):
            assert not model_admin.lookup_allowed(lookup, "A", request), (model, lookup)


@pytest.mark.django_db
def test_an_official_holding_the_code_cannot_rate(login, actors, matter, town_staff_user):
    code = matter.issued_query_code
    matter = actors.drive(matter, workflow.REPLIED)
    client = login(town_staff_user)
    assert _lookup(client, matter, code).status_code == 302
    response = client.post(reverse("liaison:track_act", args=[matter.tracking_number]), {"action": "rate", "rating": 5})
    assert response.status_code in (403, 404, 409)
    assert Matter.objects.get(pk=matter.pk).state == workflow.REPLIED


@pytest.mark.django_db
def test_the_code_is_shown_once_after_submission(client, matter):
    session = client.session
    session["liaison_tracking_grants"] = [matter.pk]
    session["liaison_just_submitted"] = {"pk": matter.pk, "code": matter.issued_query_code}
    session.save()
    first = client.get(reverse("liaison:submitted")).content.decode()
    assert matter.issued_query_code in first
    second = client.get(reverse("liaison:submitted"))
    assert matter.issued_query_code not in second.content.decode()


@pytest.mark.django_db
def test_a_lost_code_is_replaced_and_sent_to_the_contact_on_file(client, matter, django_capture_on_commit_callbacks):
    old = matter.issued_query_code
    Matter.objects.filter(pk=matter.pk).update(contact_email="boss@example.com")
    url = reverse("liaison:forgot_code")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, {"tracking_number": matter.tracking_number})
        unknown = client.post(url, {"tracking_number": "ZQ20990101ABCDEF"})
    # the same answer either way: the page reveals neither the code nor whether the number exists
    assert known.status_code == unknown.status_code == 200
    strip = re.compile(r"csrfmiddlewaretoken\" value=\"[^\"]+\"")
    assert strip.sub("", known.content.decode()) == strip.sub("", unknown.content.decode())
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["boss@example.com"]
    codes = re.findall(r"\b[A-Z2-9]{8}\b", mail.outbox[0].body)
    assert codes, mail.outbox[0].body
    new = codes[0]
    assert new != old
    assert _lookup(client, matter, old).status_code == 404
    assert _lookup(client, matter, new).status_code == 302


@pytest.mark.django_db
def test_a_matter_without_mail_on_file_gets_no_new_code(client, enterprise, town, county_office_unit):
    matter = make_matter(enterprise=enterprise, received_by=town)
    Matter.objects.filter(pk=matter.pk).update(contact_email="")
    before = Matter.objects.values_list("query_code", flat=True).get(pk=matter.pk)
    client.post(reverse("liaison:forgot_code"), {"tracking_number": matter.tracking_number})
    assert Matter.objects.values_list("query_code", flat=True).get(pk=matter.pk) == before
    assert mail.outbox == []
