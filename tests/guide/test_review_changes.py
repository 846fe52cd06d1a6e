"""The county office approving a guide revision sees what it changes in the published item."""

from tests.guide.factories import ServiceItemFactory

from guide.models import Material, ServiceItem


def test_the_revision_page_lists_only_what_changed(
    edition, department, department_staff_user, county_office_user, login
):
    item = ServiceItemFactory(
        edition=edition,
        department=department,
        name="食品经营许可",
        promised_time_limit=10,
        conditions="持有营业执照的食品经营者。",
    )
    Material.objects.create(item=item, name="申请书", sort_order=1)
    login(department_staff_user).post(f"/admin/guide/serviceitem/{item.pk}/revise/")
    revision = ServiceItem.objects.get(revision_of=item)
    revision.promised_time_limit = 5
    revision.conditions = "持有营业执照的食品经营者，或已取得名称预先核准的申请人。"
    revision.save()
    Material.objects.create(item=revision, name="营业执照复印件", sort_order=2)
    html = login(county_office_user).get(f"/admin/guide/serviceitem/{revision.pk}/change/").content.decode()
    table = html.split('id="changes-against-approved"')[1].split("</table>")[0]
    assert "<del>10</del><ins>5</ins>" in table
    assert "<ins>，或已取得名称预先核准的申请人</ins>" in table
    assert "<ins>营业执照复印件</ins>" in table or "营业执照复印件</ins>" in table
    assert "食品经营许可" not in table  # the name did not change


def test_the_review_queue_shows_how_long_each_submission_has_waited(edition, department, county_office_user, login):
    import datetime

    from django.utils import timezone

    item = ServiceItemFactory(
        edition=edition, department=department, name="排水许可", status=ServiceItem.Status.SUBMITTED
    )
    ServiceItem.objects.filter(pk=item.pk).update(submitted_at=timezone.now() - datetime.timedelta(days=3, hours=2))
    html = login(county_office_user).get("/admin/guide/serviceitem/?status=submitted").content.decode()
    assert "等待时长" in html and "3" in html.split("排水许可")[1].split("</tr>")[0]
