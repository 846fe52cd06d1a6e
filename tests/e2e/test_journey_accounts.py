"""Journey: an enterprise registers with its credit code, its town confirms the account in
the officials' workspace, and the enterprise user then sees 我的企业 and can act."""

import secrets

import pytest

from .conftest import admin_login, demo_password, site_login

pytestmark = [pytest.mark.e2e]


def unregistered_taihe_enterprise(e2e_db):
    from portal.models import Enterprise

    with e2e_db():
        enterprise = (
            Enterprise.objects.using("e2e").filter(town__name="太和镇", accounts__isnull=True).order_by("-id").first()
        )
    assert enterprise is not None, "the demo county has enterprises in 太和镇 without accounts"
    return enterprise


def register_and_confirm(new_context, e2e_db):
    """Steps 1 and 2 of the journey (also the start of the full matter journey in
    test_journey_matters.py): returns (the person's page, username, password, enterprise)."""
    enterprise = unregistered_taihe_enterprise(e2e_db)
    username = "e2e_" + secrets.token_hex(4)
    password = "Qingxin-E2E-" + secrets.token_hex(4)

    # 1. The enterprise registers; it is logged in at once but cannot act yet.
    person = new_context().new_page()
    person.goto("/")
    person.get_by_role("link", name="注册").first.click()
    assert person.locator("h1").inner_text() == "注册企业账号"
    person.fill("#id_uscc", enterprise.uscc.lower())  # typed in lower case: still found
    person.fill("#id_real_name", "赵测试")
    person.fill("#id_position", "办公室主任")
    person.fill("#id_phone", "13912345678")
    person.fill("#id_username", username)
    person.fill("#id_password1", password)
    person.fill("#id_password2", password)
    person.locator("main form button[type=submit]").click()
    person.wait_for_url("**/my/")
    main = person.locator("main").inner_text()
    assert enterprise.name in main
    assert "太和镇" in main and "待确认" in main or "等待" in main

    # 2. 太和镇's staff confirm it in the workspace.
    official = new_context().new_page()
    admin_login(official, "taihe_staff")
    official.goto(f"/admin/portal/enterpriseaccount/?status=pending&q={username}")
    row = official.locator("#result_list tbody tr", has_text="赵测试")
    assert row.count() == 1
    row.locator("input.action-select").check()
    official.select_option("select[name=action]", "confirm_accounts")
    official.locator("button[name=index], input[name=index]").first.click()
    official.wait_for_load_state()
    assert (
        "已确认" in official.locator(".messagelist").inner_text()
        or "确认" in official.locator(".messagelist").inner_text()
    )
    return person, username, password, enterprise


def test_enterprise_registers_is_confirmed_by_its_town_and_logs_in(new_context, e2e_db):
    person, username, password, enterprise = register_and_confirm(new_context, e2e_db)

    # 3. The user, on a fresh login, sees the enterprise as confirmed.
    person.context.clear_cookies()
    site_login(person, username, password)
    person.goto("/my/")
    assert person.locator("h1").inner_text() == "我的企业"
    facts = person.locator("dl.facts").inner_text()
    assert enterprise.uscc in facts and "已确认" in facts


def test_another_towns_official_cannot_see_the_pending_account(new_context, e2e_db):
    """山塘镇's staff do not see (and so cannot confirm) 太和镇's pending accounts."""
    page = new_context().new_page()
    admin_login(page, "shantang_staff")
    page.goto("/admin/portal/enterpriseaccount/?q=enterprise_pending")
    assert page.locator("#result_list tbody tr").count() == 0


def test_wrong_password_keeps_the_user_on_the_login_page_with_a_message(page):
    page.goto("/accounts/login/")
    page.fill("#id_username", "enterprise")
    page.fill("#id_password", demo_password() + "x")
    page.locator("main form button[type=submit]").click()
    assert "/accounts/login/" in page.url
    assert page.locator("main").inner_text().count("用户名") >= 1
    assert page.input_value("#id_username") == "enterprise"  # nothing typed is lost
