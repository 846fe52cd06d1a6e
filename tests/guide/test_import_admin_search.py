"""Import/export, the admin workflow and scoping, and the site-wide search."""

import datetime
import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from guide import services
from guide.imports import ServiceItemImporter
from guide.models import GuideEdition, ServiceItem
from portal.core import search
from portal.core.workflow import history_of
from tests.guide.factories import ServiceItemFactory

HEADER = "部门,事项名称,事项类型,主题,申请材料,办理流程,法定办结时限,承诺办结时限,收费标准,咨询电话\n"


def csv_file(text):
    return io.BytesIO(("\ufeff" + HEADER + text).encode("utf-8"))


def test_import_into_a_draft_edition_creates_then_updates(db, department):
    edition = GuideEdition.objects.create(title="2027年版", slug="2027", status=GuideEdition.Status.DRAFT)
    row = f"{department.name},食品经营许可,行政许可,开办企业；生产经营,申请书；营业执照复印件,申请；受理；决定,20,10,不收费,0763-1\n"
    result = ServiceItemImporter(edition=edition).run(csv_file(row), filename="x.csv")
    assert result.ok and result.created == 1
    item = ServiceItem.objects.get(edition=edition, name="食品经营许可")
    assert item.topics == ["start_up", "operations"] and item.is_free
    assert [m.name for m in item.materials.all()] == ["申请书", "营业执照复印件"]
    assert [s.name for s in item.steps.all()] == ["申请", "受理", "决定"]
    row2 = row.replace(",20,10,不收费", ",20,5,工本费：10元/本")
    result = ServiceItemImporter(edition=edition).run(csv_file(row2), filename="x.csv")
    assert result.updated == 1 and result.created == 0
    item.refresh_from_db()
    assert item.promised_time_limit == 5 and not item.is_free and item.fees.get().standard == "10元/本"


def test_bad_rows_are_reported_in_chinese_and_nothing_else_is_lost(db, department):
    edition = GuideEdition.objects.create(title="2027年版", slug="2027", status=GuideEdition.Status.DRAFT)
    rows = (
        f"{department.name},好事项,,,,,10,5,,\n"
        f"不存在的局,坏事项1,,,,,,,,\n"
        f"{department.name},坏事项2,,,,,5,9,,\n"
        f"{department.name},坏事项3,奇怪类型,,,,,,,\n"
        f"{department.name},坏事项4,,,,,十,,,\n"
    )
    result = ServiceItemImporter(edition=edition).run(csv_file(rows), filename="x.csv")
    assert result.created == 1
    messages = dict(result.errors)
    assert set(messages) == {3, 4, 5, 6}
    assert "不是本县的单位" in messages[3] and "不能超过" in messages[4] and "事项类型" in messages[5]
    assert "整数" in messages[6]


def test_wrong_header_imports_nothing(db, department):
    result = ServiceItemImporter().run(io.BytesIO("名称\n一\n".encode()), filename="x.csv")
    assert result.header_errors and not result.created


def test_import_into_the_current_edition_waits_for_approval(client, edition, department, department_staff_user):
    item = ServiceItemFactory(edition=edition, department=department, name="食品经营许可")
    row = f"{department.name},食品经营许可,行政许可,开办企业,全新的材料清单,申请,20,3,不收费,0763-1\n"
    result = ServiceItemImporter(user=department_staff_user, edition=edition).run(csv_file(row), filename="x.csv")
    assert result.ok and result.updated == 1
    revision = ServiceItem.objects.get(revision_of=item)
    assert revision.status == ServiceItem.Status.SUBMITTED
    # submitted through the workflow, by the importing user
    assert [(e.action, e.actor) for e in history_of(revision)] == [("submit", department_staff_user)]
    assert "全新的材料清单" not in client.get(item.get_absolute_url()).content.decode()


def test_department_may_import_only_its_own_items(edition, department, other_department, department_staff_user):
    row = f"{other_department.name},别人的事项,,,,,,,,\n"
    result = ServiceItemImporter(user=department_staff_user, edition=edition).run(csv_file(row), filename="x.csv")
    assert result.errors and not result.created


def test_import_command_and_xlsx_export_round_trip(tmp_path, edition, department, county_office_user, login):
    ServiceItemFactory(edition=edition, department=department, name="企业设立登记")
    client = login(county_office_user)
    response = client.get("/admin/guide/serviceitem/export/")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("部门", "事项名称") and rows[1][1] == "企业设立登记"
    path = tmp_path / "items.xlsx"
    path.write_bytes(response.content)
    from django.core.management import call_command

    out = io.StringIO()
    from django.utils import translation

    with translation.override("zh-hans"):
        call_command("import_service_items", str(path), "--dry-run", stdout=out)
    assert "新增 0 条，更新 1 条，退回 0 行" in out.getvalue()


def test_admin_import_view_is_scoped(edition, department, department_staff_user, login):
    client = login(department_staff_user)
    upload = SimpleUploadedFile("x.csv", (HEADER + f"{department.name},新事项,,,,,,,,\n").encode("utf-8"))
    response = client.post("/admin/guide/serviceitem/import/", {"file": upload})
    assert response.status_code == 200
    assert ServiceItem.objects.filter(name="新事项", status=ServiceItem.Status.SUBMITTED).exists()


# --- admin -------------------------------------------------------------------------------


def test_department_sees_only_its_items_and_cannot_edit_a_published_one(
    edition, department, other_department, department_staff_user, login
):
    mine = ServiceItemFactory(edition=edition, department=department, name="本单位事项")
    theirs = ServiceItemFactory(edition=edition, department=other_department, name="外单位事项")
    client = login(department_staff_user)
    html = client.get("/admin/guide/serviceitem/").content.decode()
    assert "本单位事项" in html and "外单位事项" not in html
    assert client.get(f"/admin/guide/serviceitem/{theirs.pk}/change/").status_code in (302, 404)
    page = client.get(f"/admin/guide/serviceitem/{mine.pk}/change/")
    assert page.status_code == 200 and "提出修改" in page.content.decode()
    response = client.post(f"/admin/guide/serviceitem/{mine.pk}/change/", {"name": "偷改"})
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.name == "本单位事项"
    assert client.post(f"/admin/guide/serviceitem/{theirs.pk}/revise/").status_code == 404


def test_admin_revise_submit_approve_round(
    client, edition, department, department_staff_user, county_office_user, login, django_capture_on_commit_callbacks
):
    item = ServiceItemFactory(edition=edition, department=department, name="食品经营许可")
    staff = login(department_staff_user)
    response = staff.post(f"/admin/guide/serviceitem/{item.pk}/revise/")
    revision = ServiceItem.objects.get(revision_of=item)
    assert response.url.endswith(f"/{revision.pk}/change/")
    assert staff.get(f"/admin/guide/serviceitem/{revision.pk}/change/").status_code == 200
    staff.post(f"/admin/guide/serviceitem/{revision.pk}/submit/")
    staff.post(f"/admin/guide/serviceitem/{revision.pk}/approve/")  # refused for the department
    assert ServiceItem.objects.filter(pk=revision.pk, status=ServiceItem.Status.SUBMITTED).exists()
    office = login(county_office_user)
    with django_capture_on_commit_callbacks(execute=False):
        office.post(f"/admin/guide/serviceitem/{revision.pk}/approve/")
    assert not ServiceItem.objects.filter(pk=revision.pk).exists()


def test_review_overdue_filter_and_dashboard_links(edition, department, department_staff_user, login):
    ServiceItemFactory(
        edition=edition, department=department, name="久未复核事项", last_reviewed=datetime.date(2020, 1, 1)
    )
    ServiceItemFactory(edition=edition, department=department, name="新近复核事项")
    client = login(department_staff_user)
    html = client.get("/admin/guide/serviceitem/?review=overdue").content.decode()
    assert "久未复核事项" in html and "新近复核事项" not in html
    index = client.get("/admin/").content.decode()
    assert "超过12个月未复核" in index


def test_return_view_requires_a_reason(edition, department, department_staff_user, county_office_user, login):
    item = ServiceItemFactory(edition=edition, department=department, status=ServiceItem.Status.SUBMITTED)
    assert login(department_staff_user).get(f"/admin/guide/serviceitem/{item.pk}/return/").status_code == 403
    office = login(county_office_user)
    response = office.post(f"/admin/guide/serviceitem/{item.pk}/return/", {"note": ""})
    assert response.status_code == 400
    office.post(f"/admin/guide/serviceitem/{item.pk}/return/", {"note": "请补充收费依据"})
    item.refresh_from_db()
    assert item.status == ServiceItem.Status.DRAFT and item.review_note == "请补充收费依据"


# --- search ------------------------------------------------------------------------------


def kinds_and_keys(query):
    return {(hit.kind, hit.key) for hit in search.search(query).hits}


def test_published_items_are_found_by_the_site_search_and_drafts_are_not(
    edition, department, department_staff_user, county_office_user, django_capture_on_commit_callbacks
):
    item = ServiceItemFactory(edition=edition, department=department, name="排污许可证核发")
    services.item_index(item=item)
    assert ("service_item", str(item.pk)) in kinds_and_keys("排污许可")
    revision = services.item_start_revision(item=item, user=department_staff_user)
    revision.name = "排污许可证核发"
    revision.conditions = "危险废物焚烧炉"
    revision.save()
    services.item_submit(item=revision, user=department_staff_user)
    assert not kinds_and_keys("焚烧炉")
    with django_capture_on_commit_callbacks(execute=True):
        services.item_approve(item=revision, user=county_office_user, build_files=False)
    assert ("service_item", str(item.pk)) in kinds_and_keys("焚烧炉")
    with django_capture_on_commit_callbacks(execute=True):
        services.item_delete(item=item, user=county_office_user, build_files=False)
    assert not kinds_and_keys("排污许可")


def test_export_keeps_formula_text_inert_and_the_import_reads_it_back(
    tmp_path, edition, department, county_office_user, login
):
    ServiceItemFactory(edition=edition, department=department, name="企业设立登记", conditions="=1+1 不是公式")
    response = login(county_office_user).get("/admin/guide/serviceitem/export/")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    cell = next(c for c in next(sheet.iter_rows(min_row=2)) if c.value and "不是公式" in str(c.value))
    assert cell.data_type == "s" and cell.value == "'=1+1 不是公式"
    from portal.core.importing import read_table

    headers, rows = read_table(response.content, "items.xlsx")
    assert "=1+1 不是公式" in rows[0]
