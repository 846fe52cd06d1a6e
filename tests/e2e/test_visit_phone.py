"""A town cadre logs a visit from a phone at the enterprise (360 px wide): the enterprise found
by typing, the problem raised, the policies explained, a photo from the camera — in well under
two minutes, on a page that does not scroll sideways."""

import datetime
import time
from zoneinfo import ZoneInfo

import pytest
import segno

from .conftest import PageProblems, admin_login
from .workspace import pick_by_search

pytestmark = [pytest.mark.e2e]

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}


def _no_sideways_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_visit_with_a_camera_photo_is_logged_from_a_phone(new_context, e2e_db, tmp_path):
    from portal.models import Enterprise
    from visits.models import Attachment, Visit

    with e2e_db():
        enterprise = Enterprise.objects.using("e2e").filter(town__name="太和镇").order_by("id").first()
    photo = tmp_path / "site.png"
    segno.make("现场照片").save(str(photo), kind="png", scale=8)

    page = new_context(**PHONE).new_page()
    problems = PageProblems()
    problems.attach(page)
    admin_login(page, "taihe_staff")
    started = time.monotonic()
    page.goto("/admin/visits/visit/add/")
    assert _no_sideways_scroll(page), "the visit form fits a phone's width"
    camera = page.locator("#id_photos-0-file")
    assert camera.get_attribute("accept") == "image/*" and camera.get_attribute("capture") is not None

    pick_by_search(page, "id_enterprise", enterprise.name)
    page.fill("#id_date", datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date().isoformat())
    page.fill("#id_met_persons", "张丽（行政经理）")
    page.fill("#id_problems-0-title", "用电报装排期过长")
    page.select_option("#id_problems-0-category", index=1)
    page.fill("#id_problems-0-description", "新增生产线需增容，供电部门排期三个月。")
    page.fill("#id_policies_explained", "讲解了技术改造奖补和中小微企业贷款贴息政策。")
    camera.set_input_files(str(photo))
    page.fill("#id_photos-0-caption", "车间现场")
    page.screenshot(path=str(tmp_path / "visit-360.png"), full_page=True)
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    assert "/change/" in page.url, page.locator("#content").inner_text()[:800]
    assert time.monotonic() - started < 120
    assert _no_sideways_scroll(page)

    with e2e_db():
        visit = Visit.objects.using("e2e").filter(enterprise=enterprise).order_by("-id").first()
        kept = list(Attachment.objects.using("e2e").filter(visit=visit).values_list("kind", "caption", "content_type"))
        raised = list(visit.problems.using("e2e").values_list("title", flat=True))
    assert kept == [("photo", "车间现场", "image/png")]
    assert raised == ["用电报装排期过长"] and "贴息" in visit.policies_explained
    assert not problems.server_errors and not problems.console, (problems.server_errors, problems.console)
