"""Journey: a confirmed enterprise raises a matter with an attachment, gets its tracking
number and query code, follows it, and downloads its file — which is served as a download,
never rendered inline. A file that is not what its name says is refused with a message, and
what was typed is kept. And the whole of it from the start: an enterprise registers, its town
confirms it, it raises a matter with a file, the town handles and replies, and the enterprise
sees the reply and rates it."""

import pytest

from .conftest import admin_login, site_login
from .test_journey_accounts import register_and_confirm
from .workspace import act, action_label, matter_events, open_matter_from_list, shown_state, state_label, zh

pytestmark = [pytest.mark.e2e]

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def raise_matter(page, title, files):
    page.goto("/matters/new/")
    if page.url.rstrip("/").endswith("/matters") or page.locator("#id_title").count() == 0:
        pytest.skip("raising matters online has not landed")
    page.fill("#id_title", title)
    page.fill("#id_description", "厂区门前道路破损严重，货车进出困难，请协调尽快修复。")
    page.locator("#id_category").select_option(index=1)
    page.set_input_files("#id_attachments", files)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def test_enterprise_raises_a_matter_with_an_attachment_and_follows_it(new_context):
    page = new_context(accept_downloads=True).new_page()
    site_login(page, "enterprise")
    raise_matter(
        page, "厂区道路破损影响货车通行", [{"name": "现场照片说明.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    assert "/matters/submitted/" in page.url, page.locator("main").inner_text()[:800]
    codes = page.locator("strong.code").all_inner_texts()
    assert len(codes) == 2 and all(codes), codes
    tracking_number = codes[0]

    page.get_by_role("link", name="跟踪此事项").click() if page.get_by_role(
        "link", name="跟踪此事项"
    ).count() else page.goto(f"/matters/track/{tracking_number}/")
    main = page.locator("main").inner_text()
    assert tracking_number in main and "厂区道路破损影响货车通行" in main

    link = page.locator("main a[download]", has_text="现场照片说明.pdf")
    assert link.count() == 1
    response = page.context.request.get(link.get_attribute("href"))
    assert response.status == 200
    assert response.body() == PDF
    assert response.headers["content-disposition"].startswith("attachment")
    assert "html" not in response.headers["content-type"]
    assert response.headers.get("x-content-type-options") == "nosniff"


def test_a_file_whose_content_is_not_what_its_name_says_is_refused_and_the_form_kept(new_context):
    page = new_context().new_page()
    site_login(page, "enterprise")
    raise_matter(page, "附件类型检查", [{"name": "通知.pdf", "mimeType": "application/pdf", "buffer": HTML_AS_PDF}])
    assert "/matters/submitted/" not in page.url
    assert page.locator(".invalid-feedback, .alert-error, .errorlist").count() >= 1
    assert page.input_value("#id_title") == "附件类型检查"  # nothing typed is lost


def test_a_new_enterprise_registers_raises_a_matter_with_a_file_and_rates_the_towns_reply(new_context, e2e_db):
    from liaison.models import Matter, Rating

    # Registers with its credit code; 太和镇 confirms the account.
    person, username, password, enterprise = register_and_confirm(new_context, e2e_db)
    person.context.clear_cookies()
    site_login(person, username, password)

    # Raises a matter with a file.
    raise_matter(
        person, "夜间施工噪声审批咨询", [{"name": "施工计划.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    assert "/matters/submitted/" in person.url, person.locator("main").inner_text()[:800]
    tracking_number = person.locator("strong.code").first.inner_text().strip()
    with e2e_db():
        matter = Matter.objects.using("e2e").select_related("received_by").get(tracking_number=tracking_number)
    assert (matter.enterprise_id, matter.channel, matter.received_by.name) == (enterprise.pk, "online", "太和镇")

    # The town sees it with its file, accepts it, handles it itself and replies.
    town = new_context().new_page()
    admin_login(town, "taihe_staff")
    assert open_matter_from_list(town, tracking_number) == 1
    assert "施工计划.pdf" in town.locator("#content-main").inner_text()
    act(town, "accept")
    act(town, "handle_self")
    assert shown_state(town) == state_label("handling")
    reply = "夜间施工须提前三个工作日向镇综合执法办备案，材料清单已发至贵司联系人邮箱。"
    act(town, "reply", reason=reply)
    assert shown_state(town) == state_label("replied")

    # The enterprise finds the reply under 我的诉求 and rates it.
    person.goto("/matters/mine/")
    person.get_by_role("link", name=tracking_number).click()
    person.wait_for_load_state()
    main = person.locator("main")
    assert reply in main.inner_text()
    assert state_label("replied") in main.locator("dl.facts").inner_text()
    assert main.locator("a[download]", has_text="施工计划.pdf").count() == 1
    # Unsatisfied needs a reason: refused with a message, then sent with one.
    person.check(f"input[name=rating][value='{Rating.UNSATISFIED}']")
    person.locator("section[aria-labelledby=rate-heading] button[type=submit]").click()
    person.wait_for_load_state()
    assert person.locator("#id_reason").count() == 1 and person.locator(".invalid-feedback, .errorlist").count() >= 1
    person.check(f"input[name=rating][value='{Rating.FAIRLY_SATISFIED}']")
    person.fill("#id_reason", "答复清楚，希望办理时间再短一些。")
    person.locator("section[aria-labelledby=rate-heading] button[type=submit]").click()
    person.wait_for_load_state()
    facts = person.locator("main dl.facts").inner_text()
    assert state_label("rated") in facts and zh(Rating.FAIRLY_SATISFIED.label) in facts
    assert action_label("rate") in person.locator("main ol.timeline").inner_text()

    matter, events = matter_events(e2e_db, matter.pk)
    assert (matter.state, matter.rating, matter.reply) == ("rated", Rating.FAIRLY_SATISFIED, reply)
    assert [a for a, _s, _u in events] == ["create", "accept", "handle_self", "reply", "rate"]
    assert [u for _a, _s, u in events] == [username, "taihe_staff", "taihe_staff", "taihe_staff", username]
