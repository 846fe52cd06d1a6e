"""Journey (docs/go-live.md): from an empty database to a live county, through the pages.

setup_county on a database with no demo data prints the first county-office link; the office
opens it, sets its password and authenticator, and imports units, enterprises, officials,
policies and guide items from the county's own files (dry run first); a cadre opens the
account from the printed sheet; the public site shows the imported documents."""

import base64
import re
import subprocess

import pytest

from .conftest import (
    _database_url,
    _maintenance_connection,
    _run,
    collect_static,
    free_port,
    gunicorn,
    PYTHON,
    server_environment,
)

pytestmark = [pytest.mark.e2e]


def _uscc(n):
    from tests.factories import valid_uscc

    return valid_uscc(9000 + n)


@pytest.fixture(scope="module")
def empty_county(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """A fresh migrated database with no demo data, its first account made by setup_county,
    and gunicorn serving it: yields (base URL, the printed one-time link)."""
    from django.db import connections

    from .conftest import _ensure_test_database

    _ensure_test_database(request, django_db_blocker)
    settings_dict = dict(connections["default"].settings_dict)
    name = f"{settings_dict['NAME']}_golive"
    with django_db_blocker.unblock():
        connections.close_all()
        conn = _maintenance_connection(settings_dict)
        with conn.cursor() as cur:
            cur.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                [settings_dict["NAME"]],
            )
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            # Migrated afresh, as a new county's would be (a copy of the test database may have
            # been flushed by a transactional test: no role groups, no themes).
            cur.execute(f'CREATE DATABASE "{name}"')
        conn.close()
    root = tmp_path_factory.mktemp("golive")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = server_environment(
        _database_url(settings_dict, name), MEDIA_ROOT=str(root / "media"), SITE_BASE_URL=base_url, COUNTY_NAME="清新县"
    )
    _run([PYTHON, "manage.py", "migrate", "--noinput", "--verbosity", "0"], env, "migrate")
    out = _run(
        [
            PYTHON,
            "manage.py",
            "setup_county",
            "--first-time",
            "--no-qr",
            "--username",
            "office_chen",
            "--name",
            "陈晓东",
        ],
        env,
        "setup_county",
    ).stdout
    link = re.search(r"https?://\S+/accounts/welcome/\S+/", out).group(0)
    collect_static(env, root / "static")
    with gunicorn(env, root / "static", port=port, log_path=root / "gunicorn.log") as url:
        yield url, link
    with django_db_blocker.unblock():
        conn = _maintenance_connection(settings_dict)
        with conn.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.close()


def _csv(tmp_path, name, header, rows):
    path = tmp_path / name
    path.write_text("\ufeff" + header + "\n" + "".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    return path


def _import(page, link_text, path, *, dry_run):
    page.goto("/admin/")
    page.locator("#golive-steps").get_by_role("link", name=link_text).click()
    page.set_input_files("input[name=file]", str(path))
    page.locator("input[name=dry_run]").set_checked(dry_run)
    page.locator("#content-main form input[type=submit]").click()
    page.wait_for_load_state()
    return page.locator(".import-report").inner_text()


def _totp(secret):
    from django_otp.oath import TOTP

    return f"{TOTP(base64.b32decode(secret)).token():06d}"


def test_an_empty_database_becomes_a_live_county_through_the_workspace(browser, empty_county, tmp_path):
    base_url, link = empty_county
    context = browser.new_context(
        base_url=base_url, locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(20000)
    page = context.new_page()
    errors = []
    page.on("response", lambda r: r.status >= 500 and errors.append(f"{r.status} {r.url}"))

    # 1. The first county-office account: password, then the authenticator.
    page.goto(link)
    assert "office_chen" in page.locator("main").inner_text()
    page.fill("#id_new_password1", "Qingxin-Office-2026!")
    page.fill("#id_new_password2", "Qingxin-Office-2026!")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/two-factor/")
    secret = page.locator("main code").inner_text().strip()
    page.fill("input[name=token]", _totp(secret))
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/accounts/two-factor/recovery-codes/")  # next: recovery codes for a lost phone
    page.goto("/admin/")
    page.screenshot(path=str(tmp_path / "index-1280.png"), full_page=True)
    steps = page.locator("#golive-steps").inner_text()
    assert "单位" in steps and "企业" in steps and "政策" in steps

    # 2. Units: a dry run saves nothing, then the import.
    units = _csv(
        tmp_path,
        "units.csv",
        "单位名称,类型,简称,排序",
        [
            ["太和镇", "镇", "太和", "10"],
            ["山塘镇", "镇", "山塘", "11"],
            ["笔架林场", "镇", "", "12"],
            ["清新县发展和改革局", "部门", "县发改局", "30"],
            ["清新县市场监督管理局", "部门", "县市场监管局", "31"],
            ["太和镇", "镇", "", "13"],
        ],
    )
    report = _import(page, "导入单位", units, dry_run=True)
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(tmp_path / "import-360.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), "fits a phone"
    page.set_viewport_size({"width": 1280, "height": 900})
    assert "试导入" in report and "第 2 行" in report and "第 7 行" in report  # the duplicate, both lines
    report = _import(page, "导入单位", units, dry_run=False)
    assert "新增 5 条" in report

    # 3. Enterprises.
    enterprises = _csv(
        tmp_path,
        "enterprises.csv",
        "企业名称,统一社会信用代码,所属镇,行业,规模,重点企业",
        [
            ["清远市太和精密制造有限公司", _uscc(1), "太和镇", "制造业", "中型", "是"],
            ["清远市太和食品有限公司", _uscc(2).lower(), "太和镇", "制造业", "小型", "是"],
            ["清远市山塘物流有限公司", _uscc(3), "山塘镇", "", "小型", "否"],
        ],
    )
    assert "新增 3 条" in _import(page, "导入企业", enterprises, dry_run=False)

    # 4. Officials: a county leader with two key enterprises, a town cadre with one, a department head.
    officials = _csv(
        tmp_path,
        "officials.csv",
        "姓名,用户名,单位,角色,职务,邮箱,联系企业",
        [
            ["梁志强", "leader_liang", "清新县人民政府", "县领导", "县长", "", f"{_uscc(1)}；{_uscc(2)}"],
            ["林海燕", "taihe_lin", "太和镇", "单位工作人员", "经济发展办干部", "", _uscc(2)],
            ["谢永红", "fgj_xie", "清新县发展和改革局", "单位负责人", "局长", "xie@example.gov.cn", ""],
        ],
    )
    report = _import(page, "导入工作人员", officials, dry_run=False)
    assert "新增 3 条" in report, report
    sheet_link = page.locator("a[href*='welcome-sheets.pdf']")
    assert "2" in sheet_link.inner_text()
    pdf = page.request.get(sheet_link.get_attribute("href"))
    assert pdf.ok and pdf.body()[:4] == b"%PDF"
    (tmp_path / "sheets.pdf").write_bytes(pdf.body())
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "sheets.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "taihe_lin" in text and "Qingxin" not in text  # no password on the sheet

    # 5. Policies, one carrying a subject the portal does not know yet.
    policies = _csv(
        tmp_path,
        "policies.csv",
        "标题,发布机构,层级,发布日期,正文,文号,主题分类",
        [
            [
                "清新县促进民营经济发展若干措施",
                "清新县人民政府",
                "县",
                "2026-03-01",
                "第一条 总则。",
                "清新府〔2026〕5号",
                "综合政务；工业交通",
            ],
            [
                "清新县乡村产业振兴扶持办法",
                "清新县人民政府",
                "县",
                "2026-04-01",
                "第一条 目的。",
                "清新府〔2026〕9号",
                "农业林业水利；乡村振兴",
            ],
        ],
    )
    report = _import(page, "导入政策", policies, dry_run=False)
    assert "新增 2 条" in report and "新建主题分类“乡村振兴”" in report, report

    # 6. Guide items: the import starts the edition and says so.
    items = _csv(
        tmp_path,
        "items.csv",
        "部门,事项名称,事项类型,法定办结时限,承诺办结时限,收费标准",
        [["清新县市场监督管理局", "食品经营许可", "行政许可", "20", "10", "不收费"]],
    )
    report = _import(page, "导入办事事项", items, dry_run=False)
    assert "新增 1 条" in report and "新建" in report, report

    # Every step has records now: the workspace no longer shows the go-live list.
    page.goto("/admin/")
    assert page.locator("#golive-steps").count() == 0

    # 7. The cadre opens the account from the printed sheet (the link, as typed or scanned).
    printed = text.split("taihe_lin", 1)[1].split("http", 1)[1].split("请妥善", 1)[0]
    cadre_link = "http" + re.sub(r"\s+", "", printed)  # the link, over as many printed lines as it takes
    assert "/accounts/welcome/" in cadre_link
    cadre = browser.new_context(base_url=base_url, locale="zh-CN", viewport={"width": 360, "height": 740}).new_page()
    cadre.goto(cadre_link)
    cadre.fill("#id_new_password1", "Taihe-Cadre-2026!")
    cadre.fill("#id_new_password2", "Taihe-Cadre-2026!")
    cadre.locator("main form button[type=submit]").click()
    cadre.wait_for_url("**/admin/")

    # 8. The public site shows the imported documents.
    public = browser.new_context(base_url=base_url, locale="zh-CN").new_page()
    public.goto("/policies/")
    assert "清新县促进民营经济发展若干措施" in public.locator("main").inner_text()
    assert not errors, errors
