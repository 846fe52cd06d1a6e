"""Every import rejects a natural key seen earlier in the same file (both line numbers in the
report), and offers an XLSX template with headers, an example row and the allowed values."""

import io

import openpyxl
import pytest
from django.urls import reverse

from guide.imports import ServiceItemImporter
from guide.models import GuideEdition, ServiceItem
from policies.imports import PolicyImporter
from policies.models import Policy
from portal.core.import_files import template_xlsx
from portal.core.imports import EnterpriseImporter, OfficialImporter, UnitImporter
from portal.models import Enterprise
from tests.factories import valid_uscc


def _csv(header, rows):
    return io.BytesIO(("\ufeff" + header + "\n" + "".join(",".join(r) + "\n" for r in rows)).encode())


def _duplicate_error(result, line, first):
    message = dict(result.errors)[line]
    assert f"第 {first} 行" in message and f"第 {line} 行" in message, message


def test_enterprise_code_repeated_in_lower_case_is_rejected_not_merged(town):
    code = valid_uscc(1)
    result = EnterpriseImporter().run(
        _csv(
            "企业名称,统一社会信用代码,所属镇",
            [["第一家", code, town.name], ["第二家", f" {code.lower()} ", town.name]],
        )
    )
    assert result.created == 1 and result.updated == 0
    _duplicate_error(result, 3, 2)
    assert Enterprise.objects.get(uscc=code).name == "第一家"


def test_policy_repeated_by_each_natural_key_is_rejected(county_government):
    header = "标题,发布机构,层级,发布日期,正文,索引号,文号"
    result = PolicyImporter().run(
        _csv(
            header,
            [
                ["甲", "广东省人民政府", "省", "2024-01-02", "正文", "", "粤府〔2024〕1号"],
                ["乙", "广东省人民政府", "省", "2024-01-03", "正文", "", "粤府〔2024〕1号"],
                ["丙", "县人民政府", "县", "2024-01-02", "正文", "x-1", ""],
                ["丁", "县人民政府", "县", "2024-01-05", "正文", "X-1", ""],
                ["戊", "县人民政府", "县", "2024-01-02", "正文", "", ""],
                ["戊", "县人民政府", "县", "2024-01-02", "另一正文", "", ""],
            ],
        )
    )
    assert result.created == 3
    _duplicate_error(result, 3, 2)
    _duplicate_error(result, 5, 4)
    _duplicate_error(result, 7, 6)
    assert Policy.objects.get(doc_number="粤府〔2024〕1号").title == "甲"


def test_service_item_repeated_is_rejected(department):
    edition = GuideEdition.objects.create(title="2027年版", slug="2027", status=GuideEdition.Status.DRAFT)
    result = ServiceItemImporter(edition=edition).run(
        _csv(
            "部门,事项名称,承诺办结时限",
            [[department.name, "食品经营许可", "10"], [department.name, "食品经营许可 ", "5"]],
        )
    )
    assert result.created == 1
    _duplicate_error(result, 3, 2)
    assert ServiceItem.objects.get(edition=edition).promised_time_limit == 10


def test_official_username_repeated_in_another_case_is_rejected(town):
    result = OfficialImporter().run(
        _csv(
            "姓名,用户名,单位,角色",
            [["甲", "lin", town.name, "单位工作人员"], ["乙", "LIN", town.name, "单位工作人员"]],
        )
    )
    assert result.created == 1
    _duplicate_error(result, 3, 2)


@pytest.mark.parametrize(
    "importer", [UnitImporter, OfficialImporter, EnterpriseImporter, PolicyImporter, ServiceItemImporter]
)
def test_template_has_headers_an_example_row_and_allowed_values(importer):
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(importer)))
    data, notes = book.worksheets
    headers = [c.value for c in data[1]]
    assert headers[: len(importer.required_headers)] == list(importer.required_headers)
    assert set(headers) == set(importer.required_headers) | set(importer.optional_headers)
    example = dict(zip(headers, [c.value for c in data[2]]))
    assert all(example[h] for h in importer.required_headers)
    for header, values in importer.choices.items():
        assert example.get(header) in (None, "", *values)
    assert data.data_validations.dataValidation or not importer.choices
    noted = {row[0].value: row[2].value for row in notes.iter_rows(min_row=2) if row[0].value in headers}
    for header, values in importer.choices.items():
        assert values[0] in noted[header]


def test_the_templates_example_row_imports_cleanly(db, county_government):
    """The example a county copies from must itself be a valid row (units: no lookup needed)."""
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx(UnitImporter)))
    buffer = io.BytesIO()
    book.save(buffer)
    result = UnitImporter().run(io.BytesIO(buffer.getvalue()), filename="t.xlsx")
    assert result.ok and result.created == 1


def test_every_import_page_links_its_template_and_report(login, county_office_user, town):
    client = login(county_office_user)
    for name in ("portal_unit", "portal_official", "portal_enterprise", "policies_policy"):
        page = client.get(reverse(f"admin:{name}_import"))
        assert page.status_code == 200, name
        assert reverse(f"admin:{name}_import_template") in page.content.decode()
        assert client.get(reverse(f"admin:{name}_import_report")).status_code == 404  # none yet
    upload = _csv("企业名称,统一社会信用代码,所属镇", [["甲", "bad", town.name]])
    upload.name = "e.csv"
    client.post(reverse("admin:portal_enterprise_import"), {"file": upload, "dry_run": "on"})
    report = client.get(reverse("admin:portal_enterprise_import_report"))
    book = openpyxl.load_workbook(io.BytesIO(report.content))
    cells = [c.value for row in book.active.iter_rows() for c in row]
    assert 2 in cells and any("18" in str(c) for c in cells)
