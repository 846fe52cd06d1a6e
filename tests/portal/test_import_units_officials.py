"""import_units and import_officials (formats.md): rows, re-import, welcome links, 联系企业."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from portal.core.imports import OfficialImporter, UnitImporter
from portal.models import Official, Unit
from portal.core.onboarding import user_for_welcome_token, welcome_token
from tests.factories import EnterpriseFactory, valid_uscc
from visits.models import LiaisonAssignment

UNIT_HEADER = "单位名称,类型,简称,统一社会信用代码,第一责任人,职务,排序\n"
OFFICIAL_HEADER = "姓名,用户名,单位,角色,职务,手机,邮箱,联系企业\n"


def _csv(header, rows):
    return io.BytesIO(("\ufeff" + header + "".join(",".join(r) + "\n" for r in rows)).encode())


@pytest.fixture
def units(db):
    result = UnitImporter().run(
        _csv(
            UNIT_HEADER,
            [
                ["清新县人民政府", "县政府", "县政府", "", "梁志强", "县长", "1"],
                ["清新县人民政府办公室", "县政府办", "县政府办", "", "", "", "2"],
                ["太和镇", "镇", "", "", "", "", "10"],
                ["笔架林场", "镇", "", "", "", "", "11"],
                ["清新县发展和改革局", "部门", "县发改局", "", "", "", "30"],
            ],
        )
    )
    assert result.ok, result.errors
    return {u.name: u for u in Unit.objects.all()}


def test_units_import_creates_each_kind_and_reimport_updates(units):
    assert units["笔架林场"].kind == Unit.Kind.TOWN
    assert units["清新县人民政府办公室"].kind == Unit.Kind.COUNTY_OFFICE
    assert units["清新县发展和改革局"].short_name == "县发改局"
    result = UnitImporter().run(_csv(UNIT_HEADER, [["太和镇", "镇", "太和", "", "黄志明", "党委书记", "5"]]))
    assert (result.created, result.updated) == (0, 1)
    town = Unit.objects.get(name="太和镇")
    assert (town.short_name, town.principal_name, town.sort_order) == ("太和", "黄志明", 5)
    assert Unit.objects.count() == 5


def test_units_import_rejects_bad_rows_in_chinese(db):
    result = UnitImporter().run(
        _csv(
            UNIT_HEADER,
            [
                ["太和镇", "乡", "", "", "", "", ""],
                ["县发改局", "部门", "", "91350100M000100Y44", "", "", ""],
                ["县人社局", "部门", "", "", "", "", "第一"],
                ["县商务局", "部门", "", valid_uscc(7).lower(), "", "", ""],
            ],
        )
    )
    errors = dict(result.errors)
    assert "类型" in errors[2] and "乡" in errors[2]
    assert "校验码" in errors[3]
    assert "整数" in errors[4]
    assert Unit.objects.get(name="县商务局").code == valid_uscc(7)


def test_a_unit_named_twice_in_one_file_is_rejected_with_both_line_numbers(db):
    result = UnitImporter().run(
        _csv(
            UNIT_HEADER,
            [
                ["太和镇", "镇", "", "", "", "", ""],
                ["县发改局", "部门", "", "", "", "", ""],
                [" 太和镇 ", "部门", "", "", "", "", ""],
            ],
        )
    )
    assert result.created == 2
    assert result.errors[0][0] == 4 and "第 2 行" in result.errors[0][1] and "第 4 行" in result.errors[0][1]
    assert Unit.objects.get(name="太和镇").kind == Unit.Kind.TOWN


def test_officials_import_creates_accounts_without_password(units, django_capture_on_commit_callbacks):
    result = OfficialImporter().run(
        _csv(
            OFFICIAL_HEADER,
            [
                [
                    "陈晓东",
                    "countyoffice",
                    "清新县人民政府办公室",
                    "县政府办",
                    "督查室主任",
                    "",
                    "chen@example.gov.cn",
                    "",
                ],
                ["林海燕", "taihe_staff", "太和镇", "单位工作人员", "经济发展办干部", "13800000000", "", ""],
            ],
        )
    )
    assert result.ok, result.errors
    user = get_user_model().objects.get(username="taihe_staff")
    assert user.is_staff and not user.has_usable_password()
    assert user.groups.filter(name="单位工作人员").exists()
    assert user.official.unit.name == "太和镇" and user.official.phone == "13800000000"


def test_new_official_with_email_gets_a_one_time_link_that_sets_the_password_and_leads_to_the_authenticator(
    client, units, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        OfficialImporter().run(
            _csv(
                OFFICIAL_HEADER,
                [["陈晓东", "countyoffice", "清新县人民政府办公室", "县政府办", "", "", "chen@example.gov.cn", ""]],
            )
        )
    assert len(mail.outbox) == 1
    assert "countyoffice" in mail.outbox[0].body
    url = re.search(r"https?://\S+/accounts/welcome/\S+/", mail.outbox[0].body).group(0)
    path = url.split("//", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and "countyoffice" in page.content.decode()
    weak = client.post("/" + path, {"new_password1": "short", "new_password2": "short"})
    assert weak.status_code == 400
    done = client.post("/" + path, {"new_password1": "Qingxin-Office-2026", "new_password2": "Qingxin-Office-2026"})
    assert done.status_code == 302 and done.url == reverse("portal:otp_setup")
    assert get_user_model().objects.get(username="countyoffice").check_password("Qingxin-Office-2026")
    client.logout()
    again = client.get("/" + path)
    assert again.status_code == 404  # used once, dead


def test_a_dry_run_sends_no_mail(units, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = OfficialImporter().run(
            _csv(
                OFFICIAL_HEADER,
                [["陈晓东", "countyoffice", "清新县人民政府办公室", "县政府办", "", "", "chen@example.gov.cn", ""]],
            ),
            dry_run=True,
        )
    assert result.created == 1 and not callbacks and not mail.outbox


def test_forged_and_foreign_tokens_open_nothing(units):
    OfficialImporter().run(_csv(OFFICIAL_HEADER, [["林海燕", "taihe_staff", "太和镇", "单位工作人员", "", "", "", ""]]))
    user = get_user_model().objects.get(username="taihe_staff")
    token = welcome_token(user)
    assert user_for_welcome_token(token) == user
    assert user_for_welcome_token(token[:-2] + "xx") is None
    assert user_for_welcome_token("1.abc:xyz:zzz") is None


def test_officials_reimport_updates_role_and_group_and_rejects_bad_rows(units):
    rows = [["林海燕", "taihe_staff", "太和镇", "单位工作人员", "", "", "", ""]]
    OfficialImporter().run(_csv(OFFICIAL_HEADER, rows))
    result = OfficialImporter().run(
        _csv(
            OFFICIAL_HEADER,
            [
                ["林海燕", "Taihe_Staff", "太和镇", "单位负责人", "镇长", "", "", ""],
                ["坏角色", "bad1", "太和镇", "局长", "", "", "", ""],
                ["坏单位", "bad2", "火星镇", "单位工作人员", "", "", "", ""],
                ["坏名", "有 空格", "太和镇", "单位工作人员", "", "", "", ""],
                ["错配", "bad3", "太和镇", "县政府办", "", "", "", ""],
                ["坏邮箱", "bad4", "太和镇", "单位工作人员", "", "", "not-mail", ""],
            ],
        )
    )
    assert (result.created, result.updated) == (0, 1)
    official = Official.objects.get(user__username="taihe_staff")
    assert official.role == Official.Role.UNIT_HEAD and official.post == "镇长"
    assert list(official.user.groups.values_list("name", flat=True)) == ["单位负责人"]
    errors = dict(result.errors)
    assert "局长" in errors[3] and "火星镇" in errors[4] and "用户名" in errors[5]
    assert "县政府办" in errors[6] and "not-mail" in errors[7]
    assert not get_user_model().objects.filter(username__startswith="bad").exists()


def test_an_enterprise_users_name_cannot_be_taken_over(units, enterprise_user):
    result = OfficialImporter().run(
        _csv(OFFICIAL_HEADER, [["冒名", enterprise_user.username, "太和镇", "单位工作人员", "", "", "", ""]])
    )
    assert result.created == 0 and result.updated == 0 and result.errors
    assert not Official.objects.filter(user=enterprise_user).exists()


def test_liaison_enterprises_follow_the_forms_rules(units):
    town = units["太和镇"]
    key = [EnterpriseFactory(town=town, is_key=True) for _ in range(3)]
    ordinary = EnterpriseFactory(town=town)
    elsewhere = EnterpriseFactory(town=units["笔架林场"])
    result = OfficialImporter().run(
        _csv(
            OFFICIAL_HEADER,
            [
                [
                    "梁志强",
                    "leader_liang",
                    "清新县人民政府",
                    "县领导",
                    "县长",
                    "",
                    "",
                    f"{key[0].uscc}；{key[1].uscc.lower()}",
                ],
                ["何国强", "leader_he", "清新县人民政府", "县领导", "", "", "", key[2].uscc],  # only one: 2–3 rule
                ["林海燕", "taihe_staff", "太和镇", "单位工作人员", "", "", "", f"{ordinary.uscc};{key[0].uscc}"],
                ["罗文杰", "taihe_2", "太和镇", "单位工作人员", "", "", "", elsewhere.uscc],  # outside the town
                ["苏敏", "taihe_3", "太和镇", "单位工作人员", "", "", "", "91441827XXXXXXXXX1"],
            ],
        )
    )
    errors = dict(result.errors)
    assert set(errors) == {3, 5, 6}
    assert "2" in errors[3] and "3" in errors[3]
    assert elsewhere.name in errors[5]
    assert "91441827XXXXXXXXX1" in errors[6]
    assert set(
        LiaisonAssignment.objects.filter(official__user__username="leader_liang").values_list("enterprise", flat=True)
    ) == {key[0].pk, key[1].pk}
    assert LiaisonAssignment.objects.filter(official__user__username="taihe_staff").count() == 2
    assert not Official.objects.filter(user__username="leader_he").exists()  # the row is all or nothing
    # Re-import with a smaller set ends the dropped assignment instead of adding a duplicate.
    OfficialImporter().run(
        _csv(OFFICIAL_HEADER, [["林海燕", "taihe_staff", "太和镇", "单位工作人员", "", "", "", ordinary.uscc]])
    )
    open_ones = LiaisonAssignment.objects.filter(official__user__username="taihe_staff", end_date__isnull=True)
    assert list(open_ones.values_list("enterprise", flat=True)) == [ordinary.pk]


def test_command_writes_the_sheets_of_officials_without_email(tmp_path, units, capsys):
    upload = tmp_path / "officials.csv"
    upload.write_bytes(
        _csv(
            OFFICIAL_HEADER,
            [
                ["林海燕", "taihe_staff", "太和镇", "单位工作人员", "", "", "", ""],
                ["黄志明", "taihe_head", "太和镇", "单位负责人", "", "", "", ""],
            ],
        ).getvalue()
    )
    sheets = tmp_path / "sheets.pdf"
    call_command("import_officials", str(upload), "--sheets", str(sheets))
    out = capsys.readouterr().out
    assert "2 名新用户没有邮箱" in out
    data = sheets.read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", data)) == 2


def test_admin_pages_import_officials_and_print_sheets_for_the_county_office_only(
    login, county_office_user, town_staff_user, units
):
    upload = _csv(OFFICIAL_HEADER, [["罗文杰", "taihe_new", "太和镇", "单位工作人员", "", "", "", ""]])
    upload.name = "o.csv"
    assert login(town_staff_user).get(reverse("admin:portal_official_import")).status_code == 403
    client = login(county_office_user)
    response = client.post(reverse("admin:portal_official_import"), {"file": upload, "dry_run": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "welcome-sheets.pdf?ids=" in html
    sheet_url = re.search(r'href="([^"]*welcome-sheets\.pdf\?ids=[0-9,]+)"', html).group(1)
    pdf = client.get(sheet_url.replace("&amp;", "&"))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    report = client.get(reverse("admin:portal_official_import_report"))
    assert report.status_code == 200 and report.content[:2] == b"PK"
    template = client.get(reverse("admin:portal_official_import_template"))
    assert template.status_code == 200 and template.content[:2] == b"PK"


def test_unit_import_page_and_template(login, county_office_user, units):
    client = login(county_office_user)
    response = client.get(reverse("admin:portal_unit_import"))
    assert response.status_code == 200 and "template.xlsx" in response.content.decode()
