"""Intake: online (logged in or anonymous with the sum and honeypot), website errors, staff
recording; one matter per submission; errors keep what was typed and uploaded."""

import re
import uuid

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison import antiabuse
from liaison.models import HeldUpload, Matter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def _answer(page):
    """Read the anti-spam sum as a person would."""
    body = page.content.decode()
    a, b = re.search(r"(\d) \+ (\d)", body).groups()
    token = re.search(r'name="challenge" value="([^"]+)"', body).group(1)
    return token, str(int(a) + int(b))


def anonymous_data(page, **overrides):
    token, answer = _answer(page)
    data = {
        "title": "用电增容",
        "description": "新增生产线需要增容。",
        "category": "utilities",
        "urgency": "normal",
        "enterprise_name": "清新某某陶瓷有限公司",
        "contact_name": "陈先生",
        "contact_phone": "13800138000",
        "contact_email": "chen@example.com",
        "submission_token": str(uuid.uuid4()),
        "challenge": token,
        "answer": answer,
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_anonymous_submission_returns_number_and_code_and_mails_a_confirmation(
    client, county_office_unit, django_capture_on_commit_callbacks
):
    page = client.get(reverse("liaison:submit"))
    data = anonymous_data(page)
    data["attachments"] = [SimpleUploadedFile("说明.pdf", PDF)]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("liaison:submit"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    matter = Matter.objects.get()
    assert matter.received_by == county_office_unit and matter.channel == "online"
    assert matter.attachments.count() == 1
    done = client.get(response["Location"]).content.decode()
    code = re.search(r'<strong class="code">([A-Z0-9]{8})</strong>', done).group(1)
    assert matter.tracking_number in done and matter.check_query_code(code)
    assert len(mail.outbox) == 1 and code in mail.outbox[0].body


@pytest.mark.django_db
def test_a_resubmitted_form_makes_one_matter(client, county_office_unit):
    page = client.get(reverse("liaison:submit"))
    data = anonymous_data(page)
    first = client.post(reverse("liaison:submit"), data)
    second = client.post(reverse("liaison:submit"), data)  # double click / back and resend
    assert first.status_code == second.status_code == 302
    assert Matter.objects.count() == 1


@pytest.mark.django_db
def test_wrong_sum_or_honeypot_is_refused_and_nothing_typed_is_lost(client, county_office_unit):
    page = client.get(reverse("liaison:submit"))
    data = anonymous_data(page, answer="99")
    data["attachments"] = [SimpleUploadedFile("现场照片.png", PNG)]
    response = client.post(reverse("liaison:submit"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "新增生产线需要增容。" in body and "清新某某陶瓷有限公司" in body and "13800138000" in body
    assert "现场照片.png" in body  # the file is held, not lost
    assert Matter.objects.count() == 0
    held = re.search(r'name="held" value="([^"]+)"', body).group(1)
    assert HeldUpload.objects.count() == 1
    # corrected: the held file joins the matter without being chosen again
    token, answer = _answer(response)
    data.pop("attachments")
    data.update(challenge=token, answer=answer, held=held)
    response = client.post(reverse("liaison:submit"), data)
    assert response.status_code == 302
    matter = Matter.objects.get()
    assert [a.original_name for a in matter.attachments.all()] == ["现场照片.png"]
    assert HeldUpload.objects.count() == 0
    # honeypot filled: refused
    page = client.get(reverse("liaison:submit"))
    assert client.post(reverse("liaison:submit"), anonymous_data(page, website="http://spam")).status_code == 400
    assert Matter.objects.count() == 1


@pytest.mark.django_db
def test_a_forged_held_token_is_ignored(client, county_office_unit):
    page = client.get(reverse("liaison:submit"))
    data = anonymous_data(page, held="not-signed")
    assert client.post(reverse("liaison:submit"), data).status_code == 302
    assert Matter.objects.get().attachments.count() == 0
    assert signing.dumps([], salt="x")  # signing works in tests


@pytest.mark.django_db
def test_files_are_checked_by_content_not_name(client, county_office_unit):
    page = client.get(reverse("liaison:submit"))
    data = anonymous_data(page)
    data["attachments"] = [SimpleUploadedFile("病毒.pdf", b"MZ\x90\x00 this is an exe")]
    response = client.post(reverse("liaison:submit"), data)
    assert response.status_code == 400
    assert "病毒.pdf" in response.content.decode()
    assert Matter.objects.count() == 0


@pytest.mark.django_db
def test_files_over_the_size_limit_are_refused(client, county_office_unit, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    page = client.get(reverse("liaison:submit"))
    data = anonymous_data(page)
    data["attachments"] = [SimpleUploadedFile("大文件.pdf", PDF + b"0" * (1024 * 1024 + 1))]
    assert client.post(reverse("liaison:submit"), data).status_code == 400
    assert Matter.objects.count() == 0


@pytest.mark.django_db
def test_anonymous_submissions_are_rate_limited(client, county_office_unit, settings):
    settings.LIAISON_ANONYMOUS_SUBMISSIONS_PER_HOUR = 2
    statuses = []
    for _ in range(3):
        page = client.get(reverse("liaison:submit"))
        statuses.append(client.post(reverse("liaison:submit"), anonymous_data(page)).status_code)
    assert statuses == [302, 302, 400]
    assert Matter.objects.count() == 2


@pytest.mark.django_db
def test_confirmed_enterprise_user_submits_without_the_check_to_its_town(login, enterprise_user, enterprise, town):
    client = login(enterprise_user)
    page = client.get(reverse("liaison:submit"))
    assert 'name="answer"' not in page.content.decode()
    response = client.post(
        reverse("liaison:submit"),
        {
            "title": "招工难",
            "description": "缺普工80人",
            "category": "labour",
            "urgency": "urgent",
            "submission_token": str(uuid.uuid4()),
        },
    )
    assert response.status_code == 302
    matter = Matter.objects.get()
    assert matter.enterprise == enterprise and matter.received_by == town and matter.created_by == enterprise_user
    assert f">{matter.tracking_number}</a>" in client.get(reverse("liaison:mine")).content.decode()


@pytest.mark.django_db
def test_pending_account_must_pass_the_check(login, pending_enterprise_user, county_office_unit):
    client = login(pending_enterprise_user)
    page = client.get(reverse("liaison:submit"))
    assert 'name="answer"' in page.content.decode()


@pytest.mark.django_db
def test_site_error_report_is_due_in_three_working_days(client, county_office_unit):
    page = client.get(reverse("liaison:site_error"))
    token, answer = _answer(page)
    response = client.post(
        reverse("liaison:site_error"),
        {
            "page": "/policies/123/",
            "description": "附件下载失败",
            "contact_name": "李女士",
            "contact_phone": "",
            "contact_email": "",
            "submission_token": str(uuid.uuid4()),
            "challenge": token,
            "answer": answer,
        },
    )
    assert response.status_code == 302
    matter = Matter.objects.get()
    assert matter.channel == "site_error" and matter.category == "website" and matter.deadline_workdays == 3


@pytest.mark.django_db
def test_site_error_with_a_bad_answer_is_a_400_with_the_text_kept(client, county_office_unit):
    page = client.get(reverse("liaison:site_error"))
    token, _answer_ = _answer(page)
    response = client.post(
        reverse("liaison:site_error"),
        {
            "page": "/guide/",
            "description": "电话号码错误",
            "contact_name": "李女士",
            "submission_token": str(uuid.uuid4()),
            "challenge": token,
            "answer": "0",
        },
    )
    assert response.status_code == 400 and "电话号码错误" in response.content.decode()


@pytest.mark.django_db
def test_staff_record_a_phone_call_in_the_admin(login, town_staff_user, town, enterprise):
    client = login(town_staff_user)
    url = reverse("admin:liaison_matter_record")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "channel": "phone",
            "enterprise": enterprise.pk,
            "contact_name": "王经理",
            "contact_phone": "13900000000",
            "title": "道路破损",
            "description": "进厂道路破损",
            "category": "transport",
            "urgency": "normal",
            "received_by": town.pk,
        },
    )
    assert response.status_code == 302
    matter = Matter.objects.get()
    assert matter.channel == "phone" and matter.created_by == town_staff_user and matter.received_by == town
    # a town official cannot record for another unit
    response = client.post(
        url,
        {
            "channel": "complaint",
            "enterprise_name": "某公司",
            "contact_name": "王",
            "contact_phone": "1",
            "title": "t",
            "description": "d",
            "category": "complaint",
            "urgency": "normal",
            "received_by": county_office_unit_pk(town),
        },
    )
    assert response.status_code == 400


def county_office_unit_pk(town):
    from tests.factories import UnitFactory

    return UnitFactory(name="县政府办公室", kind="county_office").pk


def test_the_challenge_checks_its_signature():
    question, token = antiabuse.new_challenge()
    a, b = (int(x) for x in question.split(" + "))
    assert antiabuse.check_challenge(token, str(a + b))
    assert not antiabuse.check_challenge(token, str(a + b + 1))
    assert not antiabuse.check_challenge(token + "x", str(a + b))
