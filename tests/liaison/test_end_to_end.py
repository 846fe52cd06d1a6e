"""One matter through every step, as the enterprise, the receiving town, the county office
and the lead department, with the enterprise's own view checked after each step."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from liaison.models import Matter

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.mark.django_db
def test_a_matter_from_submission_to_archive(
    login,
    enterprise_user,
    town_staff_user,
    county_office_user,
    department_staff_user,
    department,
    other_department,
    town,
    county_office_unit,
):
    def as_enterprise():
        client = login(enterprise_user)
        page = client.get(reverse("liaison:mine_detail", args=[matter.tracking_number]))
        assert page.status_code == 200
        return client, page.content.decode()

    def act(user, action, **data):
        client = login(user)
        response = client.post(reverse("admin:liaison_matter_act", args=[matter.pk, action]), data)
        assert response.status_code == 302, response.content.decode()[-3000:]
        return Matter.objects.get(pk=matter.pk)

    # 1. the enterprise raises it online; its town receives it
    client = login(enterprise_user)
    response = client.post(
        reverse("liaison:submit"),
        {
            "title": "扩建厂房用地报批",
            "description": "二期厂房用地报批两个月无进展。",
            "category": "land",
            "urgency": "normal",
            "submission_token": str(uuid.uuid4()),
            "attachments": [SimpleUploadedFile("红线图.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    matter = Matter.objects.get()
    assert matter.received_by == town
    _, page = as_enterprise()
    assert "红线图.pdf" in page and matter.get_state_display() in page

    # 2. the town accepts it (受理) and, outside its remit, asks the county office to refer it
    matter = act(town_staff_user, "accept", reason="")
    _, page = as_enterprise()
    assert str(Matter.State.ACCEPTED.label) in page
    matter = act(town_staff_user, "request_referral", reason="用地审批属县自然资源局职权")
    _, page = as_enterprise()
    assert "用地审批属县自然资源局职权" not in page  # unit-to-unit text is internal by default

    # 3. the county office assigns a lead and a cooperating unit (交办)
    matter = act(
        county_office_user,
        "assign",
        reason="请牵头办理",
        lead_unit=department.pk,
        cooperating_units=[other_department.pk],
        workdays=5,
    )
    assert matter.state == "assigned" and matter.due_date
    _, page = as_enterprise()
    assert department.name in page

    # 4. the department notes progress (internal and public) and asks the enterprise for more
    act(department_staff_user, "note", reason="内部：需请示分管领导")
    act(department_staff_user, "note", reason="已安排现场踏勘", public="on")
    matter = act(department_staff_user, "request_supplement", reason="请补充规划红线图原件扫描件")
    client, page = as_enterprise()
    assert "已安排现场踏勘" in page and "内部：需请示分管领导" not in page
    assert 'value="resume"' in page  # the supplement form

    # 5. the enterprise answers: the clock runs again
    response = client.post(
        reverse("liaison:mine_act", args=[matter.tracking_number]),
        {"action": "resume", "message": "已上传扫描件", "attachments": [SimpleUploadedFile("扫描件.pdf", PDF)]},
    )
    assert response.status_code == 302
    matter = Matter.objects.get(pk=matter.pk)
    assert matter.state == "assigned" and matter.attachments.count() == 2

    # 6. extension asked by the department, approved by the county office (not shown to the enterprise)
    due = matter.due_date
    matter = act(department_staff_user, "request_extension", reason="需报市局审批", days=3)
    matter = act(county_office_user, "approve_extension", reason="")
    assert matter.due_date > due and matter.extension_workdays == 3
    _, page = as_enterprise()
    assert "需报市局审批" not in page

    # 7. the department replies
    matter = act(department_staff_user, "reply", reason="用地已报市政府审批，预计本月底批复。")
    client, page = as_enterprise()
    assert "用地已报市政府审批" in page and 'value="rate"' in page

    # 8. the enterprise is unsatisfied: a reason is required
    url = reverse("liaison:mine_act", args=[matter.tracking_number])
    assert client.post(url, {"action": "rate", "rating": 2, "reason": ""}).status_code == 400
    assert client.post(url, {"action": "rate", "rating": 2, "reason": "批复时间过长"}).status_code == 302
    matter = Matter.objects.get(pk=matter.pk)
    assert matter.state == "rated" and matter.rating == 2

    # 9. the county office reopens it (重办); the department replies again; the enterprise is satisfied
    queue = login(county_office_user).get(reverse("admin:liaison_matter_queue")).content.decode()
    assert "批复时间过长" in queue
    matter = act(county_office_user, "reopen", reason="请加快协调", workdays=3)
    assert matter.state == "assigned"
    _, page = as_enterprise()
    assert "请加快协调" in page
    matter = act(department_staff_user, "reply", reason="已取得批复，请到自然资源局领取。")
    client, page = as_enterprise()
    assert client.post(url, {"action": "rate", "rating": 4, "reason": ""}).status_code == 302

    # 10. archived (归档); the enterprise still sees the full public timeline
    matter = act(department_staff_user, "archive", reason="")
    assert matter.state == "archived"
    _, page = as_enterprise()
    assert "用地审批属县自然资源局职权" not in page  # the referral request stayed internal
    for text in ("已安排现场踏勘", "已取得批复", str(Matter.State.ARCHIVED.label)):
        assert text in page
    actions = list(matter.events.values_list("action", flat=True))
    assert actions == [
        "create",
        "accept",
        "request_referral",
        "assign",
        "note",
        "note",
        "request_supplement",
        "resume",
        "request_extension",
        "approve_extension",
        "reply",
        "rate",
        "reopen",
        "reply",
        "rate",
        "archive",
    ]
