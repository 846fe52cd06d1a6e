"""The editing workflow: edits to the current edition wait for the county office."""

import subprocess

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from guide import services
from portal.core.workflow import ActionRefused, history_of
from guide.downloads import edition_build_files
from guide.models import GuideEdition, LeaderDuty, LoanProduct, ServiceItem
from tests.guide.factories import LeaderDutyFactory, LoanProductFactory, ServiceItemFactory

SECRET = "未经审核的新材料清单"


def pdf_text(data, tmp_path):
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout.decode()


def docx_text(data, tmp_path):
    path = tmp_path / "x.docx"
    path.write_bytes(data)
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def all_downloads(client, item):
    edition = item.edition
    urls = [
        f"/guide/editions/{edition.slug}/guide.pdf",
        f"/guide/editions/{edition.slug}/guide.docx",
        f"/guide/editions/{edition.slug}/departments/{item.department_id}.pdf",
        f"/guide/editions/{edition.slug}/departments/{item.department_id}.docx",
        f"/guide/items/{item.pk}/download.pdf",
        f"/guide/items/{item.pk}/download.docx",
    ]
    out = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        out[url] = b"".join(response.streaming_content)
    return out


def downloads_text(client, item, tmp_path):
    texts = []
    for url, data in all_downloads(client, item).items():
        texts.append(pdf_text(data, tmp_path) if url.endswith(".pdf") else docx_text(data, tmp_path))
    return texts


@pytest.fixture
def item(edition, department):
    return ServiceItemFactory(edition=edition, department=department, name="食品经营许可")


def test_unapproved_edit_is_invisible_on_page_and_in_every_download_until_approved(
    client, item, department_staff_user, county_office_user, tmp_path, django_capture_on_commit_callbacks
):
    edition_build_files(edition=item.edition)
    revision = services.item_start_revision(item=item, user=department_staff_user)
    revision.conditions = SECRET
    revision.save()
    revision.materials.create(name=SECRET, form="original", copies=1)
    services.item_submit(item=revision, user=department_staff_user)

    page = client.get(item.get_absolute_url()).content.decode()
    assert SECRET not in page
    # Rebuilding now (e.g. another item approved) must still print approved content only.
    edition_build_files(edition=item.edition)
    for text in downloads_text(client, item, tmp_path):
        assert "食品经营许可" in text
        assert SECRET not in text

    with django_capture_on_commit_callbacks(execute=True):
        approved = services.item_approve(item=revision, user=county_office_user)
    assert approved.pk == item.pk  # the item keeps its address
    assert not ServiceItem.objects.filter(pk=revision.pk).exists()
    assert SECRET in client.get(item.get_absolute_url()).content.decode()
    for text in downloads_text(client, item, tmp_path):
        assert SECRET in text


def test_department_cannot_approve_and_other_department_cannot_revise(
    item, department_staff_user, department_head_user, other_department, county_office_user
):
    from tests.factories import OfficialFactory

    outsider = OfficialFactory(unit=other_department).user
    with pytest.raises(PermissionDenied):
        services.item_start_revision(item=item, user=outsider)
    revision = services.item_start_revision(item=item, user=department_staff_user)
    services.item_submit(item=revision, user=department_staff_user)
    for user in (department_staff_user, department_head_user, outsider):
        with pytest.raises(PermissionDenied):
            services.item_approve(item=revision, user=user)


def test_starting_a_revision_twice_returns_the_same_draft(item, department_staff_user):
    first = services.item_start_revision(item=item, user=department_staff_user)
    second = services.item_start_revision(item=item, user=department_staff_user)
    assert first.pk == second.pk
    assert first.materials.count() == item.materials.count()


def test_return_needs_a_reason_and_sends_the_draft_back(item, department_staff_user, county_office_user):
    revision = services.item_start_revision(item=item, user=department_staff_user)
    services.item_submit(item=revision, user=department_staff_user)
    with pytest.raises(ActionRefused):
        services.item_return(item=revision, user=county_office_user, note="  ")
    services.item_return(item=revision, user=county_office_user, note="材料名称不规范")
    revision.refresh_from_db()
    assert revision.status == ServiceItem.Status.DRAFT and revision.review_note == "材料名称不规范"
    with pytest.raises(ActionRefused):
        services.item_approve(item=revision, user=county_office_user)


def test_new_item_in_current_edition_is_not_public_until_approved(
    client, edition, department, department_staff_user, county_office_user
):
    new = services.item_create(edition=edition, department=department, user=department_staff_user, name="新增事项")
    assert client.get(new.get_absolute_url()).status_code == 404
    services.item_submit(item=new, user=department_staff_user)
    assert client.get(new.get_absolute_url()).status_code == 404
    services.item_approve(item=new, user=county_office_user, build_files=False)
    assert client.get(new.get_absolute_url()).status_code == 200


def test_department_cannot_create_items_for_another_unit(edition, other_department, department_staff_user):
    with pytest.raises(PermissionDenied):
        services.item_create(edition=edition, department=other_department, user=department_staff_user, name="越权")


def test_promised_time_limit_above_legal_is_refused_by_the_database(edition, department):
    item = ServiceItemFactory.build(edition=edition, department=department, legal_time_limit=5, promised_time_limit=6)
    with pytest.raises(ValidationError) as exc:
        item.full_clean()
    assert "promised_time_limit" in exc.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceItem.objects.create(
            edition=edition, department=department, name="x", legal_time_limit=5, promised_time_limit=6
        )


def test_only_one_edition_is_current(edition):
    with pytest.raises(IntegrityError), transaction.atomic():
        GuideEdition.objects.create(title="2027年版", slug="2027", status=GuideEdition.Status.CURRENT)


def test_new_edition_is_a_deep_copy_and_publishing_swaps_in_one_step(
    client, item, county_office_user, department_staff_user, django_capture_on_commit_callbacks
):
    LeaderDutyFactory(edition=item.edition)
    LoanProductFactory(edition=item.edition)
    pending = services.item_start_revision(item=item, user=department_staff_user)
    pending.conditions = SECRET
    pending.save()
    with pytest.raises(PermissionDenied):
        services.edition_prepare(source=item.edition, title="2027年版", slug="2027", user=department_staff_user)
    new = services.edition_prepare(source=item.edition, title="2027年版", slug="2027", user=county_office_user)
    copy = ServiceItem.objects.get(edition=new, name=item.name)
    assert copy.pk != item.pk and copy.conditions == item.conditions  # approved content, not the pending edit
    assert copy.materials.count() == item.materials.count() and copy.steps.count() == item.steps.count()
    assert LeaderDuty.objects.filter(edition=new).count() == 1 and LoanProduct.objects.filter(edition=new).count() == 1
    # Editing the copy changes nothing public.
    copy.name = "食品经营许可（2027）"
    copy.save()
    assert client.get(item.get_absolute_url()).status_code == 200
    assert client.get(copy.get_absolute_url()).status_code == 404

    with django_capture_on_commit_callbacks(execute=True):
        services.edition_publish(edition=new, user=county_office_user)
    item.edition.refresh_from_db()
    assert item.edition.status == GuideEdition.Status.ARCHIVED
    assert client.get(item.get_absolute_url()).status_code == 404
    assert client.get(copy.get_absolute_url()).status_code == 200
    # The old edition stays downloadable.
    response = client.get(f"/guide/editions/{item.edition.slug}/guide.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with pytest.raises(ActionRefused):
        services.edition_publish(edition=new, user=county_office_user)


def test_marking_reviewed_clears_the_flag(edition, department, department_staff_user):
    import datetime

    old = ServiceItemFactory(edition=edition, department=department, last_reviewed=datetime.date(2020, 1, 1))
    assert old.review_overdue and ServiceItem.objects.review_overdue().filter(pk=old.pk).exists()
    services.item_mark_reviewed(item=old, user=department_staff_user)
    old.refresh_from_db()
    assert not old.review_overdue
    assert not ServiceItem.objects.review_overdue().filter(pk=old.pk).exists()


def test_county_office_withdraws_a_published_item(client, item, department_staff_user, county_office_user):
    with pytest.raises(PermissionDenied):
        services.item_delete(item=item, user=department_staff_user, build_files=False)
    services.item_delete(item=item, user=county_office_user, build_files=False)
    assert client.get(f"/guide/items/{item.pk}/").status_code == 404


def test_every_step_is_recorded_with_who_when_and_why(item, department_staff_user, county_office_user):
    revision = services.item_start_revision(item=item, user=department_staff_user)
    services.item_submit(item=revision, user=department_staff_user)
    services.item_return(item=revision, user=county_office_user, note="材料名称不规范")
    services.item_submit(item=revision, user=department_staff_user)
    assert [(e.action, e.actor, e.reason) for e in history_of(revision)] == [
        ("submit", department_staff_user, ""),
        ("return", county_office_user, "材料名称不规范"),
        ("submit", department_staff_user, ""),
    ]
    services.item_approve(item=revision, user=county_office_user)
    # the revision is folded into its item, which keeps the approval in its own record
    assert [(e.action, e.actor) for e in history_of(item)] == [("approve", county_office_user)]


def test_submitting_a_stale_copy_twice_is_refused_by_the_locked_row(item, department_staff_user):
    revision = services.item_start_revision(item=item, user=department_staff_user)
    stale = ServiceItem.objects.get(pk=revision.pk)
    services.item_submit(item=revision, user=department_staff_user)
    with pytest.raises(ActionRefused) as refused:
        services.item_submit(item=stale, user=department_staff_user)  # still "draft" in memory
    assert refused.value.code == "state"
    assert history_of(revision).count() == 1


def test_publishing_an_edition_records_the_edition_and_its_items(item, county_office_user):
    new = services.edition_prepare(source=item.edition, title="2027年版", slug="2027", user=county_office_user)
    copy = ServiceItem.objects.get(edition=new, name=item.name)
    services.edition_publish(edition=new, user=county_office_user, build_files=False)
    assert [e.action for e in history_of(item.edition)] == ["archive"]
    assert [e.action for e in history_of(new)] == ["publish"]
    assert [(e.action, e.from_state, e.to_state) for e in history_of(copy)] == [
        ("approve_with_edition", "draft", "approved")
    ]
