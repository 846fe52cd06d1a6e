"""Themes on import: the standard 政府信息公开 subject categories ship with the portal; the
county office's import creates a theme it does not know yet and says so; others are refused."""

from policies.imports import PolicyImporter
from policies.models import Policy, Theme
from portal.core.importing import format_report

HEADER = "标题,发布机构,层级,发布日期,正文,主题分类\n"


def run(rows, **kwargs):
    text = HEADER + "".join(",".join(r) + "\n" for r in rows)
    return PolicyImporter(**kwargs).run(text.encode("utf-8-sig"), filename="p.csv")


def test_standard_subject_categories_ship_beside_the_enterprise_themes(db):
    names = set(Theme.objects.values_list("name", flat=True))
    assert {"综合政务", "农业、林业、水利", "财政、金融、审计", "公安、安全、司法", "税收优惠"} <= names


def test_standard_categories_match_with_or_without_the_separators(county_government):
    result = run([["农业办法", "县人民政府", "县", "2024-01-02", "正文", "农业林业水利；财政、金融、审计"]])
    assert result.ok, result.errors
    assert set(Policy.objects.get().themes.values_list("name", flat=True)) == {"农业、林业、水利", "财政、金融、审计"}


def test_county_office_import_creates_an_unknown_theme_and_reports_it(county_government, county_office_user):
    result = run(
        [
            ["甲", "县人民政府", "县", "2024-01-02", "正文", "乡村振兴"],
            ["乙", "县人民政府", "县", "2024-01-03", "正文", "乡村振兴；综合政务"],
        ],
        user=county_office_user,
    )
    assert result.ok and result.created == 2, result.errors
    assert Theme.objects.filter(name="乡村振兴").count() == 1
    report = "\n".join(format_report(result))
    assert "新建主题分类“乡村振兴”" in report and "第 2 行" in report


def test_a_new_theme_in_a_dry_run_is_not_kept(county_government, county_office_user):
    text = HEADER + "甲,县人民政府,县,2024-01-02,正文,乡村振兴\n"
    result = PolicyImporter(user=county_office_user).run(text.encode(), filename="p.csv", dry_run=True)
    assert result.created == 1 and result.notes
    assert not Theme.objects.filter(name="乡村振兴").exists()


def test_other_importers_are_refused_a_new_theme_with_a_clear_message(
    county_government, department, department_staff_user
):
    result = run(
        [["办法", department.name, "县", "2024-01-02", "正文", "乡村振兴"]],
        owner_unit=department,
        user=department_staff_user,
    )
    assert result.created == 0
    message = result.errors[0][1]
    assert "乡村振兴" in message and "县政府办" in message and "综合政务" in message
    assert not Theme.objects.filter(name="乡村振兴").exists()
