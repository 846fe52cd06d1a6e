import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from portal.core.imports import EnterpriseImporter
from portal.models import Enterprise
from tests.factories import valid_uscc

HEADER = "企业名称,统一社会信用代码,所属镇,行业,规模,重点企业,地址,联系人,联系电话,备注\n"


def _csv(rows, header=HEADER, bom=True):
    text = header + "".join(",".join(r) + "\n" for r in rows)
    return io.BytesIO(("\ufeff" if bom else "").encode() + text.encode())


@pytest.fixture
def code_a():
    return valid_uscc(1)


@pytest.fixture
def code_b():
    return valid_uscc(2)


def test_good_file_creates_enterprises_and_reports_unknown_columns(town, code_a, code_b):
    result = EnterpriseImporter().run(
        _csv(
            [
                ["甲公司", code_a, town.name, "制造业", "小型", "是", "太和路1号", "李四", "13800000000", "x"],
                ["乙公司", code_b.lower(), town.name, "", "", "", "", "", "", ""],
            ]
        )
    )
    assert result.ok, result.errors
    assert (result.created, result.updated) == (2, 0)
    assert result.unknown_columns == ["备注"]
    a = Enterprise.objects.get(uscc=code_a)
    assert (a.industry, a.scale, a.is_key, a.town) == ("C", "small", True, town)
    assert Enterprise.objects.filter(uscc=code_b).exists()  # lower case normalised


def test_bad_rows_are_reported_by_row_number_in_chinese_and_good_rows_still_import(town, code_a):
    result = EnterpriseImporter().run(
        _csv(
            [
                ["好公司", code_a, town.name, "", "", "", "", "", "", ""],
                ["坏代码", "91350100M000100Y44", town.name, "", "", "", "", "", "", ""],
                ["坏镇", valid_uscc(3), "火星镇", "", "", "", "", "", "", ""],
                ["坏规模", valid_uscc(4), town.name, "", "巨型", "", "", "", "", ""],
            ]
        )
    )
    assert result.created == 1
    rows = dict(result.errors)
    assert set(rows) == {3, 4, 5}
    assert "校验码" in rows[3]
    assert "火星镇" in rows[4]
    assert "巨型" in rows[5]


def test_reimport_updates_instead_of_duplicating(town, code_a):
    EnterpriseImporter().run(_csv([["旧名", code_a, town.name, "", "", "", "", "", "", ""]]))
    result = EnterpriseImporter().run(_csv([["新名", code_a, town.name, "", "", "是", "", "", "", ""]]))
    assert (result.created, result.updated) == (0, 1)
    assert Enterprise.objects.filter(uscc=code_a).count() == 1
    assert Enterprise.objects.get(uscc=code_a).name == "新名"


def test_a_wrong_header_imports_nothing(town, code_a):
    result = EnterpriseImporter().run(_csv([["甲", code_a, town.name]], header="名称,统一社会信用代码,所属镇\n"))
    assert result.header_errors and "企业名称" in result.header_errors[0]
    assert not Enterprise.objects.exists()


def test_dry_run_saves_nothing(town, code_a):
    result = EnterpriseImporter().run(_csv([["甲", code_a, town.name, "", "", "", "", "", "", ""]]), dry_run=True)
    assert result.created == 1 and result.dry_run
    assert not Enterprise.objects.exists()


def test_xlsx_files_import_too(town, code_a):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["统一社会信用代码", "企业名称", "所属镇", "规模"])  # any column order
    sheet.append([code_a, "表格公司", town.name, "中型"])
    buffer = io.BytesIO()
    book.save(buffer)
    result = EnterpriseImporter().run(io.BytesIO(buffer.getvalue()), filename="e.xlsx")
    assert result.ok and Enterprise.objects.get(uscc=code_a).scale == "medium"


def test_management_command_prints_the_report_and_fails_on_a_bad_header(tmp_path, town, code_a, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(_csv([["甲", code_a, town.name, "", "", "", "", "", "", ""]]).getvalue())
    call_command("import_enterprises", str(good), "--dry-run")
    assert "试导入" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("名称\n甲\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_enterprises", str(bad))


def test_admin_import_page_shows_the_report(login, town_staff_user, town, code_a):
    client = login(town_staff_user)
    upload = _csv(
        [["甲", code_a, town.name, "", "", "", "", "", "", ""], ["乙", "bad", town.name, "", "", "", "", "", "", ""]]
    )
    upload.name = "e.csv"
    response = client.post(reverse("admin:portal_enterprise_import"), {"file": upload, "dry_run": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "第 3 行" in html
    assert Enterprise.objects.filter(uscc=code_a).exists()
