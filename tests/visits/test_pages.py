"""The enterprise file (一企一档), financing totals, uploads and the admin index links."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.models import FinancialInstitution
from visits.models import Attachment, FinancingMatch, FinancingNeed, MatchmakingEvent
from portal.core.uploads import check_upload as validate_upload

from .factories import AssignmentFactory, MeetingFactory, VisitFactory, VisitProblemFactory


def _fill(town, enterprise, official, n):
    for i in range(n):
        visit = VisitFactory(
            unit=town, enterprise=enterprise, date=datetime.date(2026, 1 + i % 9, 3), officials=[official]
        )
        VisitProblemFactory(visit=visit)
        meeting = MeetingFactory(unit=town, date=datetime.date(2026, 2, 1 + i))
        meeting.enterprises_attending.add(enterprise)
        FinancingNeed.objects.create(enterprise=enterprise, amount=100 + i, purpose="流动资金", term_months=12)


def test_enterprise_file_in_time_order(login, town_staff_user, town, enterprise):
    AssignmentFactory(official=town_staff_user.official, enterprise=enterprise)
    VisitFactory(
        unit=town,
        enterprise=enterprise,
        date=datetime.date(2026, 3, 1),
        officials=[town_staff_user.official],
        met_persons="甲",
    )
    meeting = MeetingFactory(unit=town, date=datetime.date(2026, 4, 1), title="四月座谈会")
    meeting.enterprises_attending.add(enterprise)
    response = login(town_staff_user).get(reverse("visits:enterprise_file", args=[enterprise.pk]))
    assert response.status_code == 200
    kinds = [kind for _date, kind, _obj in response.context["file"]["entries"]]
    assert kinds == ["meeting", "visit"]
    assert town_staff_user.official.name in response.content.decode()


def test_enterprise_file_query_count_is_fixed(login, town_staff_user, town, enterprise):
    client = login(town_staff_user)
    url = reverse("visits:enterprise_file", args=[enterprise.pk])
    _fill(town, enterprise, town_staff_user.official, 1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    _fill(town, enterprise, town_staff_user.official, 5)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(one) == len(many)


def test_another_towns_enterprise_file_is_not_found(login, town_staff_user, other_enterprise):
    response = login(town_staff_user).get(reverse("visits:enterprise_file", args=[other_enterprise.pk]))
    assert response.status_code == 404


def test_departments_may_open_any_enterprise_file(login, department_staff_user, other_enterprise):
    assert (
        login(department_staff_user).get(reverse("visits:enterprise_file", args=[other_enterprise.pk])).status_code
        == 200
    )


def test_financing_totals_per_event_institution_and_town(
    login, county_office_user, town, enterprise, county_office_unit
):
    bank = FinancialInstitution.objects.create(name="测试农商银行")
    event = MatchmakingEvent.objects.create(
        title="春季政银企对接会", date=datetime.date(2026, 3, 20), unit=county_office_unit
    )
    need = FinancingNeed.objects.create(enterprise=enterprise, amount=800, purpose="技改", term_months=36, event=event)
    FinancingMatch.objects.create(
        need=need, institution=bank, event=event, outcome="loan", credit_amount=600, loan_amount=500
    )
    other = FinancingNeed.objects.create(enterprise=enterprise, amount=200, purpose="周转", term_months=12, event=event)
    FinancingMatch.objects.create(
        need=other, institution=bank, event=event, outcome="failed", failure_reason="抵押物不足"
    )
    response = login(county_office_user).get(reverse("visits:financing_totals"))
    totals = response.context["totals"]
    assert totals["by_event"][0].need_amount == 1000 and totals["by_event"][0].loans == 500
    row = totals["by_institution"][0]
    assert (row["matches"], row["loan_count"], row["failed"], row["loans"]) == (2, 1, 1, 500)
    assert totals["by_town"][0]["need_amount"] == 1000 and totals["by_town"][0]["credit"] == 600


def test_a_failed_match_needs_a_reason(enterprise):
    need = FinancingNeed.objects.create(enterprise=enterprise, amount=80, purpose="周转", term_months=6)
    match = FinancingMatch(need=need, institution=FinancialInstitution.objects.create(name="某银行"), outcome="failed")
    with pytest.raises(ValidationError):
        match.full_clean()


def test_uploads_are_checked_by_content():
    png = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n" + b"0" * 100)
    validate_upload(png)
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 an executable"))
    with pytest.raises(ValidationError):
        validate_upload(SimpleUploadedFile("report.pdf", b"\x89PNG\r\n\x1a\n0000"))  # name and content differ
    validate_upload(SimpleUploadedFile("minutes.pdf", b"%PDF-1.7 ..."))


def test_a_photo_must_be_an_image(town, enterprise):
    visit = VisitFactory(unit=town, enterprise=enterprise)
    attachment = Attachment(visit=visit, kind="photo", file=SimpleUploadedFile("x.pdf", b"%PDF-1.7 ..."))
    with pytest.raises(ValidationError):
        attachment.full_clean()


def test_admin_index_links_for_officials(login, town_staff_user):
    response = login(town_staff_user).get(reverse("admin:index"))
    assert reverse("visits:coverage") in response.content.decode()


def test_visit_attachments_download_for_those_who_see_the_visit(
    client, login, town, enterprise, town_staff_user, other_town_staff_user, settings, tmp_path
):
    settings.MEDIA_ROOT = str(tmp_path)
    visit = VisitFactory(unit=town, enterprise=enterprise, officials=[town_staff_user.official])
    attachment = Attachment(visit=visit, kind="document", file=SimpleUploadedFile("纪要.pdf", b"%PDF-1.7 ..."))
    attachment.full_clean()
    attachment.save()
    url = attachment.file.url
    assert not url.startswith("/media/")
    response = login(town_staff_user).get(url)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert login(other_town_staff_user).get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code in (302, 404)
    change = login(town_staff_user).get(reverse("admin:visits_visit_change", args=[visit.pk])).content.decode()
    assert url in change and "/media/" not in change
