"""Journey: a confirmed enterprise raises a matter with an attachment, gets its tracking
number and query code, follows it, and downloads its file — which is served as a download,
never rendered inline. A file that is not what its name says is refused with a message, and
what was typed is kept."""
import pytest

from .conftest import site_login

pytestmark = [pytest.mark.e2e]

PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
       b"trailer<</Root 1 0 R>>\n%%EOF\n")
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
    raise_matter(page, "厂区道路破损影响货车通行", [{"name": "现场照片说明.pdf", "mimeType": "application/pdf",
                                                     "buffer": PDF}])
    assert "/matters/submitted/" in page.url, page.locator("main").inner_text()[:800]
    codes = page.locator("strong.code").all_inner_texts()
    assert len(codes) == 2 and all(codes), codes
    tracking_number = codes[0]

    page.get_by_role("link", name="跟踪此事项").click() if page.get_by_role("link", name="跟踪此事项").count() else \
        page.goto(f"/matters/track/{tracking_number}/")
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
