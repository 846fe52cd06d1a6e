"""Admin: unit scoping, staff draft but cannot publish, change notes, 索引号 read-only."""

from django.urls import reverse

from policies.models import Policy

from .factories import DraftFactory, PolicyFactory


def _form_data(policy, **overrides):
    data = {
        "title": policy.title,
        "doc_number": policy.doc_number,
        "unit": policy.unit_id,
        "issuer_name": "",
        "level": policy.level,
        "keywords": "",
        "summary": policy.summary,
        "body": policy.body,
        "validity": policy.validity,
        "application_url": "",
        "application_contact": "",
        "change_note": "",
        "interpretations-TOTAL_FORMS": "0",
        "interpretations-INITIAL_FORMS": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "changes-TOTAL_FORMS": "0",
        "changes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_staff_see_only_their_units_policies(login, town, other_town, town_staff_user):
    PolicyFactory(unit=town, title="本镇政策")
    other = PolicyFactory(unit=other_town, title="别镇政策")
    client = login(town_staff_user)
    page = client.get(reverse("admin:policies_policy_changelist")).content.decode()
    assert "本镇政策" in page and "别镇政策" not in page
    assert client.get(reverse("admin:policies_policy_change", args=[other.pk])).status_code in (302, 404)


def test_staff_drafts_a_policy_for_their_own_unit(login, town, other_town, town_staff_user):
    client = login(town_staff_user)
    response = client.post(
        reverse("admin:policies_policy_add"),
        _form_data(Policy(title="别镇的办法", unit=other_town, level="town", body="正文", summary="摘要")),
    )
    assert response.status_code == 200 and not Policy.objects.filter(title="别镇的办法").exists()
    response = client.post(
        reverse("admin:policies_policy_add"),
        _form_data(Policy(title="新起草的办法", unit=town, level="town", body="正文", summary="摘要")),
    )
    assert response.status_code == 302
    policy = Policy.objects.get(title="新起草的办法")
    assert policy.unit == town and policy.status == Policy.Status.DRAFT and policy.created_by == town_staff_user


def test_staff_cannot_publish_through_the_admin(login, town, town_staff_user):
    draft = DraftFactory(unit=town)
    response = login(town_staff_user).post(reverse("admin:policies_policy_publish", args=[draft.pk]), {})
    assert response.status_code == 403
    assert Policy.objects.get(pk=draft.pk).status == Policy.Status.DRAFT


def test_head_publishes_and_withdraws_through_the_admin(login, town, town_head_user):
    draft = DraftFactory(unit=town)
    client = login(town_head_user)
    assert client.post(reverse("admin:policies_policy_publish", args=[draft.pk]), {}).status_code == 302
    assert Policy.objects.get(pk=draft.pk).status == Policy.Status.PUBLISHED
    response = client.post(reverse("admin:policies_policy_withdraw", args=[draft.pk]), {"reason": ""})
    assert response.status_code == 400 and "这个字段是必填项" in response.content.decode()
    client.post(reverse("admin:policies_policy_withdraw", args=[draft.pk]), {"reason": "内容有误"})
    assert Policy.objects.get(pk=draft.pk).status == Policy.Status.WITHDRAWN


def test_staff_cannot_change_a_published_policy(login, town, town_staff_user):
    policy = PolicyFactory(unit=town)
    response = login(town_staff_user).post(
        reverse("admin:policies_policy_change", args=[policy.pk]), _form_data(policy, title="偷偷改标题")
    )
    assert response.status_code == 403 or Policy.objects.get(pk=policy.pk).title != "偷偷改标题"
    assert Policy.objects.get(pk=policy.pk).title != "偷偷改标题"


def test_published_change_needs_a_note_which_is_listed(login, client, town, town_head_user):
    policy = PolicyFactory(unit=town, title="原标题")
    admin_client = login(town_head_user)
    url = reverse("admin:policies_policy_change", args=[policy.pk])
    response = admin_client.post(url, _form_data(policy, title="新标题"))
    assert response.status_code == 200 and "更新说明" in response.content.decode()
    assert Policy.objects.get(pk=policy.pk).title == "原标题"
    response = admin_client.post(url, _form_data(policy, title="新标题", change_note="更正标题"))
    assert response.status_code == 302
    assert Policy.objects.get(pk=policy.pk).title == "新标题"
    assert "更正标题" in client.get(policy.get_absolute_url()).content.decode()


def test_index_number_cannot_be_changed(login, town, town_head_user):
    policy = PolicyFactory(unit=town, index_number="ABC/2024-00001")
    url = reverse("admin:policies_policy_change", args=[policy.pk])
    login(town_head_user).post(url, _form_data(policy, index_number="HACK/1", change_note="x"))
    assert Policy.objects.get(pk=policy.pk).index_number == "ABC/2024-00001"


def test_published_policy_cannot_be_deleted(login, town, county_office_user):
    policy = PolicyFactory(unit=town)
    response = login(county_office_user).post(
        reverse("admin:policies_policy_delete", args=[policy.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert Policy.objects.filter(pk=policy.pk).exists()


def test_disclosure_report_page(login, town, county_office_user, town_staff_user):
    import datetime

    from django.utils import timezone

    PolicyFactory(
        unit=town, title="迟发的文件", written_on=datetime.date(2024, 1, 2), published_on=datetime.date(2024, 3, 1)
    )
    PolicyFactory(unit=town, title="没有解读的文件", published_on=timezone.localdate() - datetime.timedelta(days=30))
    page = login(county_office_user).get(reverse("admin:policies_policy_report")).content.decode()
    assert "迟发的文件" in page and "没有解读的文件" in page
    index = login(county_office_user).get(reverse("admin:index")).content.decode()
    assert reverse("admin:policies_policy_report") in index


def test_synonym_admin_for_the_county_office(login, county_office_user, town_staff_user):
    from django.core.management import call_command

    call_command("sync_roles", verbosity=0)
    url = reverse("admin:portal_searchsynonym_add")
    assert (
        login(county_office_user).post(url, {"term": "开票", "official_terms": "发票", "is_active": "on"}).status_code
        == 302
    )
    assert login(town_staff_user).get(url).status_code == 403


def test_change_page_offers_publish_only_to_those_who_may(login, town, town_head_user, town_staff_user):
    draft = DraftFactory(unit=town)
    url = reverse("admin:policies_policy_change", args=[draft.pk])
    publish = reverse("admin:policies_policy_publish", args=[draft.pk])
    assert publish in login(town_head_user).get(url).content.decode()
    page = login(town_staff_user).get(url)
    assert page.status_code == 200 and publish not in page.content.decode()
    add = login(town_staff_user).get(reverse("admin:policies_policy_add"))
    assert add.status_code == 200
    assert login(town_staff_user).get(reverse("admin:policies_policy_import")).status_code == 200


def test_the_publish_step_is_a_button_for_the_head_and_greyed_with_the_reason_for_staff(
    login, town, town_head_user, town_staff_user
):
    draft = DraftFactory(unit=town)
    url = reverse("admin:policies_policy_change", args=[draft.pk])
    publish = reverse("admin:policies_policy_publish", args=[draft.pk])
    head = login(town_head_user).get(url).content.decode()
    assert f'class="button step-button" href="{publish}"' in head
    staff = login(town_staff_user).get(url).content.decode()
    steps = staff.split('id="policy-steps"')[1].split("</section>")[0]
    assert "发布" in steps and "只有单位负责人或县政府办可以发布或撤回政策。" in steps and publish not in steps
