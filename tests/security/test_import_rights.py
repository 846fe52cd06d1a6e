"""Issue 12 items 2 and 4: imports run with the importing user's rights, row by row."""

import datetime
import io

import pytest
from django.urls import reverse

from policies.models import Policy
from portal.models import Enterprise
from tests.factories import EnterpriseFactory, valid_uscc
from visits.models import FinancingNeed

HEADER = "企业名称,统一社会信用代码,所属镇,行业,规模,重点企业,地址,联系人,联系电话\n"


def _upload(rows, header=HEADER, name="e.csv"):
    text = header + "".join(",".join(r) + "\n" for r in rows)
    upload = io.BytesIO(("\ufeff" + text).encode())
    upload.name = name
    return upload


def _import(client, url_name, upload, dry_run):
    return client.post(reverse(url_name), {"file": upload, "dry_run": "on" if dry_run else ""})


@pytest.fixture
def shantang_enterprise(other_town):
    enterprise = EnterpriseFactory(town=other_town, name="山塘精密制造有限公司", uscc=valid_uscc(7))
    FinancingNeed.objects.create(enterprise=enterprise, amount=100, purpose="设备", term_months=12)
    return enterprise


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_town_cannot_take_over_another_towns_enterprise_by_import(
    login, town_staff_user, town, shantang_enterprise, dry_run
):
    client = login(town_staff_user)
    response = _import(
        client,
        "admin:portal_enterprise_import",
        _upload(
            [
                ["新名称有限公司", shantang_enterprise.uscc, town.name, "", "", "", "", "", ""],
                ["太和本地企业", valid_uscc(8), town.name, "", "", "", "", "", ""],
            ]
        ),
        dry_run,
    )
    html = response.content.decode()
    assert response.status_code == 200
    # The refusal is reported for its row, in Chinese; the town's own row still imports.
    assert "第 2 行" in html and "只能导入本镇" in html
    assert "第 3 行" not in html
    shantang_enterprise.refresh_from_db()
    assert shantang_enterprise.town.name == "山塘镇"
    assert shantang_enterprise.name == "山塘精密制造有限公司"
    assert Enterprise.objects.filter(uscc=valid_uscc(8)).exists() is (not dry_run)


def test_a_town_cannot_create_an_enterprise_in_another_town(login, town_staff_user, other_town):
    client = login(town_staff_user)
    response = _import(
        client,
        "admin:portal_enterprise_import",
        _upload([["外镇企业", valid_uscc(9), other_town.name, "", "", "", "", "", ""]]),
        False,
    )
    assert "第 2 行" in response.content.decode()
    assert not Enterprise.objects.filter(uscc=valid_uscc(9)).exists()


def test_the_county_office_imports_into_any_town(login, county_office_user, town, shantang_enterprise):
    client = login(county_office_user)
    _import(
        client,
        "admin:portal_enterprise_import",
        _upload([["迁入企业", shantang_enterprise.uscc, town.name, "", "", "", "", "", ""]]),
        False,
    )
    shantang_enterprise.refresh_from_db()
    assert shantang_enterprise.town == town


POLICY_HEADER = "标题,发布机构,层级,发布日期,正文\n"


def test_unit_staff_import_policies_as_drafts_for_review(login, department_staff_user, department):
    client = login(department_staff_user)
    response = _import(
        client,
        "admin:policies_policy_import",
        _upload(
            [["关于支持企业发展的若干措施", department.name, "县", "2026-03-02", "第一条 支持企业。"]],
            header=POLICY_HEADER,
            name="p.csv",
        ),
        False,
    )
    assert response.status_code == 200, response.content.decode()[:1000]
    policy = Policy.objects.get(title="关于支持企业发展的若干措施")
    assert policy.status == Policy.Status.DRAFT
    assert policy.published_at is None
    assert not Policy.objects.published().filter(pk=policy.pk).exists()


def test_the_unit_head_imports_policies_published(login, department_head_user, department):
    client = login(department_head_user)
    _import(
        client,
        "admin:policies_policy_import",
        _upload(
            [["关于促进消费的通知", department.name, "县", "2026-03-02", "正文。"]], header=POLICY_HEADER, name="p.csv"
        ),
        False,
    )
    policy = Policy.objects.get(title="关于促进消费的通知")
    assert policy.status == Policy.Status.PUBLISHED
    assert policy.published_at.date() == datetime.date(2026, 3, 2)


def test_unit_staff_cannot_overwrite_a_published_policy_by_import(
    login, department_head_user, department_staff_user, department
):
    _import(
        login(department_head_user),
        "admin:policies_policy_import",
        _upload([["已发布文件", department.name, "县", "2026-03-02", "原文。"]], header=POLICY_HEADER, name="p.csv"),
        False,
    )
    response = _import(
        login(department_staff_user),
        "admin:policies_policy_import",
        _upload([["已发布文件", department.name, "县", "2026-03-02", "篡改。"]], header=POLICY_HEADER, name="p.csv"),
        False,
    )
    assert "第 2 行" in response.content.decode()
    assert Policy.objects.get(title="已发布文件").body == "原文。"


OFFICIAL_HEADER = "姓名,用户名,单位,角色\n"


def test_an_official_import_grants_no_role_beyond_the_importers_rights(
    town_head_user, county_office_user, county_office_unit, town
):
    from portal.core.imports import OfficialImporter
    from portal.models import Official

    rows = [
        ["冒名者", "fake_office", county_office_unit.name, "县政府办"],
        ["太和新人", "taihe_new", town.name, "单位工作人员"],
    ]
    result = OfficialImporter(user=town_head_user).run(_upload(rows, header=OFFICIAL_HEADER))
    assert [row for row, _message in result.errors] == [2, 3]  # a unit head has no add_official at all
    assert not Official.objects.filter(user__username="fake_office").exists()
    result = OfficialImporter(user=county_office_user).run(_upload(rows, header=OFFICIAL_HEADER))
    assert result.ok, result.errors
    assert Official.objects.get(user__username="fake_office").role == Official.Role.COUNTY_OFFICE
