"""Public pages: browse, checklist item page, leaders, contacts, credit; constant query counts."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from guide.models import ServiceItem
from portal.core import workdays
from portal.models import CalendarAdjustment, Unit
from tests.factories import UnitFactory
from tests.guide.factories import LeaderDutyFactory, LoanProductFactory, ServiceItemFactory


def make_items(edition, count):
    units = [UnitFactory(name=f"县测试局{n}", kind=Unit.Kind.DEPARTMENT) for n in range(min(count, 3))]
    return [ServiceItemFactory(edition=edition, department=units[n % len(units)]) for n in range(count)]


@pytest.fixture(autouse=True)
def warm_calendar_cache(db):
    workdays.clear_cache()
    workdays.is_workday(datetime.date(2026, 1, 5))


@pytest.mark.parametrize("count", [1, 6])
def test_guide_home_and_browsing_use_a_constant_number_of_queries(client, edition, count, django_assert_num_queries):
    items = make_items(edition, count)
    client.get("/guide/")  # warm the site-wide caches (context processors)
    with django_assert_num_queries(4):
        assert client.get("/guide/").status_code == 200
    with django_assert_num_queries(5):
        response = client.get(f"/guide/?department={items[0].department_id}")
    assert items[0].name in response.content.decode()
    with django_assert_num_queries(5):
        response = client.get("/guide/?topic=start_up")
    assert all(i.name in response.content.decode() for i in items)


@pytest.mark.parametrize("materials", [0, 8])
def test_item_page_reads_as_a_checklist_with_constant_queries(
    client, edition, department, materials, django_assert_num_queries
):
    item = ServiceItemFactory(edition=edition, department=department, is_free=False)
    for n in range(materials):
        item.materials.create(name=f"附加材料{n}", form="copy", copies=2)
    client.get("/guide/")
    with django_assert_num_queries(5):
        response = client.get(item.get_absolute_url())
    html = response.content.decode()
    for text in ("营业执照复印件", "提交申请", "工本费", "10元/本", item.place, item.phone, item.legal_basis):
        assert text in html
    expected = workdays.add_workdays(timezone.localdate(), item.promised_time_limit)
    assert f"{expected.year}年{expected.month}月{expected.day}日" in html
    assert 'href="/guide/items/%d/download.pdf"' % item.pk in html


def test_expected_completion_date_honours_calendar_adjustments(client, edition, department):
    item = ServiceItemFactory(edition=edition, department=department, legal_time_limit=1, promised_time_limit=1)
    before = workdays.add_workdays(timezone.localdate(), 1)
    CalendarAdjustment.objects.create(date=before, is_workday=False, name="临时停止办公")
    after = workdays.add_workdays(timezone.localdate(), 1)
    assert after > before
    html = client.get(item.get_absolute_url()).content.decode()
    assert f"{after.year}年{after.month}月{after.day}日" in html


def test_free_item_says_free_of_charge(client, edition, department):
    item = ServiceItemFactory(edition=edition, department=department, is_free=True)
    assert "不收费" in client.get(item.get_absolute_url()).content.decode()


def test_drafts_revisions_and_unknown_filters_answer_404(client, edition, department, department_staff_user):
    from guide import services

    draft = ServiceItemFactory(edition=edition, department=department, status=ServiceItem.Status.DRAFT)
    assert client.get(draft.get_absolute_url()).status_code == 404
    approved = ServiceItemFactory(edition=edition, department=department)
    revision = services.item_start_revision(item=approved, user=department_staff_user)
    assert client.get(revision.get_absolute_url()).status_code == 404
    assert client.get(f"/guide/items/{revision.pk}/download.pdf").status_code == 404
    assert client.get("/guide/?topic=nonsense").status_code == 404
    assert client.get("/guide/?department=999999").status_code == 404
    assert client.get(f"/guide/items/{approved.pk}/download.exe").status_code == 404


def test_leaders_contacts_credit_and_raise_pages(client, edition, department, django_assert_num_queries):
    LeaderDutyFactory(edition=edition, name="周美玲")
    town = UnitFactory(name="太和镇", kind=Unit.Kind.TOWN, service_phone="0763-5830100")
    LeaderDutyFactory(edition=edition, unit=town, level="town", name="黄志明", post="党委书记")
    LoanProductFactory(edition=edition, name="经营快贷")
    LoanProductFactory(edition=edition, name="善新贷")
    client.get("/guide/")
    with django_assert_num_queries(2):
        html = client.get("/guide/leaders/").content.decode()
    assert "周美玲" in html and "黄志明" in html
    with django_assert_num_queries(1):
        html = client.get("/guide/contacts/").content.decode()
    assert "0763-5830100" in html and department.name in html
    with django_assert_num_queries(2):
        html = client.get("/guide/credit/").content.decode()
    assert "经营快贷" in html and "善新贷" in html
    assert client.get("/guide/raise-a-matter/").status_code == 200


def test_pages_without_an_edition_say_so(client, db):
    assert "尚未" in client.get("/guide/").content.decode()
    assert client.get("/guide/leaders/").status_code == 200
    assert client.get("/guide/credit/").status_code == 200


def test_archived_edition_page_lists_its_chapters(client, edition, department, county_office_user):
    from guide import services

    ServiceItemFactory(edition=edition, department=department)
    new = services.edition_prepare(source=edition, title="2027年版", slug="2027", user=county_office_user)
    services.edition_publish(edition=new, user=county_office_user, build_files=False)
    html = client.get("/guide/editions/2026/").content.decode()
    assert department.name in html
    assert client.get("/guide/editions/").status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_edition_pages_and_raise_page_use_constant_queries(client, edition, count, django_assert_num_queries):
    make_items(edition, count)
    client.get("/guide/")
    with django_assert_num_queries(1):
        assert client.get("/guide/editions/").status_code == 200
    with django_assert_num_queries(3):
        assert client.get("/guide/editions/2026/").status_code == 200
    with django_assert_num_queries(1):
        assert client.get("/guide/raise-a-matter/").status_code == 200


def test_a_date_in_a_year_no_calendar_confirms_is_marked_as_an_estimate(client, edition, department):
    """30 working days from 2 Dec 2026 fall in 2027, whose adjusted working days nobody has
    published yet: 元旦 is deducted (not a day early), and the page says 预计 instead of
    claiming every holiday was deducted."""
    import time_machine

    item = ServiceItemFactory(edition=edition, department=department, legal_time_limit=30, promised_time_limit=30)
    expected = workdays.add_workdays(datetime.date(2026, 12, 2), 30)
    assert expected == datetime.date(2027, 1, 14)  # 1 Jan 2027 is 元旦, not a working day
    with time_machine.travel(datetime.datetime(2026, 12, 2, 10, 0, tzinfo=datetime.timezone.utc)):
        html = client.get(item.get_absolute_url()).content.decode()
    assert "2027年1月14日" in html and "预计" in html and "尚未公布" in html and "已扣除法定节假日" not in html


def _material_with_files(item):
    from django.core.files.base import ContentFile

    material = item.materials.first()
    material.blank_form.save("申请书.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    material.sample.save("申请书样表.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    material.save()
    return material


def test_blank_forms_and_samples_download_through_the_guide(
    client, edition, department, login, department_staff_user, other_department
):
    from tests.guide.factories import ServiceItemFactory

    item = ServiceItemFactory(edition=edition, department=department)
    material = _material_with_files(item)
    page = client.get(item.get_absolute_url()).content.decode()
    assert "/media/" not in page
    for field in ("blank_form", "sample"):
        url = getattr(material, field).url
        assert url in page and not url.startswith("/media/")
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_files_of_an_unpublished_item_are_for_its_unit_only(
    client, edition, department, other_department, login, department_staff_user
):
    from guide.models import ServiceItem
    from tests.factories import OfficialFactory
    from tests.guide.factories import ServiceItemFactory

    item = ServiceItemFactory(edition=edition, department=department, status=ServiceItem.Status.DRAFT)
    url = _material_with_files(item).blank_form.url
    assert client.get(url).status_code == 404
    other = OfficialFactory(unit=other_department).user
    assert login(other).get(url).status_code == 404
    assert login(department_staff_user).get(url).status_code == 200


def test_a_blank_form_must_be_a_real_document(edition, department):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.guide.factories import ServiceItemFactory

    material = ServiceItemFactory(edition=edition, department=department).materials.first()
    material.blank_form = SimpleUploadedFile("申请书.pdf", b"<html><script>alert(1)</script></html>")
    with pytest.raises(ValidationError):
        material.full_clean()
