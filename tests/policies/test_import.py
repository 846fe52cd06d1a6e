"""import_policies (formats.md): headers, natural keys, errors in Chinese, dry run."""

import pytest
from django.core.management import CommandError, call_command

from policies.imports import PolicyImporter
from policies.models import Policy

HEADER = "标题,发布机构,层级,发布日期,正文,文号,主题分类,有效性,适用行业,申报开始,申报截止\n"


def run(text, **kwargs):
    return PolicyImporter(**kwargs).run(text.encode("utf-8-sig"), filename="p.csv", dry_run=kwargs.pop("dry", False))


def test_import_creates_then_updates_by_doc_number(county_government, town):
    csv = HEADER + (
        '测试办法,广东省人民政府,省,2024-01-02,"第一段\n第二段",粤府〔2024〕1号,金融信贷；税收优惠,有效,制造业,'
        "2024-01-05,2024-02-05\n"
        f"镇里的办法,{town.name},镇,2024-03-01,正文,太府〔2024〕2号,,已废止,,,\n"
    )
    result = run(csv)
    assert result.ok and result.created == 2, result.errors
    policy = Policy.objects.get(doc_number="粤府〔2024〕1号")
    assert policy.issuer_name == "广东省人民政府" and policy.level == "provincial" and policy.industries == ["C"]
    assert policy.is_public and policy.index_number
    assert sorted(policy.themes.values_list("name", flat=True)) == ["税收优惠", "金融信贷"]
    assert Policy.objects.get(doc_number="太府〔2024〕2号").unit == town
    number = policy.index_number
    result = run(csv.replace("第一段", "修改后的第一段"))
    assert result.created == 0 and result.updated == 2
    policy.refresh_from_db()
    assert policy.body.startswith("修改后的第一段") and policy.index_number == number


def test_bad_rows_are_reported_in_chinese_with_row_numbers(county_government):
    csv = HEADER + (
        "好的,县人民政府,县,2024-01-02,正文,,,,,,\n"
        "坏层级,县人民政府,区,2024-01-02,正文,,,,,,\n"
        "坏日期,县人民政府,县,2024/13/02,正文,,,,,,\n"
        "坏主题,县人民政府,县,2024-01-02,正文,,,无效吗,,,\n"
        "坏窗口,县人民政府,县,2024-01-02,正文,,,,,2024-02-01,2024-01-01\n"
    )
    result = run(csv)
    assert result.created == 1
    assert [row for row, _m in result.errors] == [3, 4, 5, 6]
    assert "层级" in result.errors[0][1]


def test_wrong_header_imports_nothing(tmp_path, county_government):
    path = tmp_path / "bad.csv"
    path.write_text("标题,正文\n甲,乙\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_policies", str(path))
    assert not Policy.objects.exists()


def test_dry_run_saves_nothing(tmp_path, county_government):
    path = tmp_path / "ok.csv"
    path.write_text(HEADER + "甲办法,县人民政府,县,2024-01-02,正文,,,,,,\n", encoding="utf-8")
    call_command("import_policies", str(path), "--dry-run")
    assert not Policy.objects.exists()
    call_command("import_policies", str(path))
    assert Policy.objects.count() == 1


def test_unit_may_not_import_another_units_documents(town, other_town):
    csv = HEADER + f"别人的,{other_town.name},镇,2024-01-02,正文,,,,,,\n"
    result = run(csv, owner_unit=town)
    assert result.created == 0 and len(result.errors) == 1
