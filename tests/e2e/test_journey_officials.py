"""Journey through the officials' workspace, in Chromium against the production-style server:

太和镇's staff visit an enterprise of their town and log the visit with a problem it raised;
the problem becomes a matter (the one button per problem); the town accepts it and, the
problem being outside its remit, asks the county office to refer it (提请交办); the county
office finds it in its review queue and assigns it to 县发展和改革局 (交办); that bureau's
staff reply (答复/办结); every step shows on the matter's timeline; the enterprise sees the
reply in 我的企业 and rates it (好差评).

Every step goes through the pages an official or the enterprise uses; the outcome of each is
checked on the page (state names as shown) and in the server's database (alias "e2e").
"""

import datetime
import secrets
from zoneinfo import ZoneInfo

import pytest

from .conftest import PageProblems, admin_login, county_office_totp, site_login
from .workspace import (
    act,
    action_label,
    matter_events,
    open_matter_from_list,
    pick_by_search,
    shown_state,
    state_label,
    zh,
)

pytestmark = [pytest.mark.e2e]

LEAD_UNIT = "县发展和改革局"  # fgj_staff's unit (portal/demo.py DEMO_OFFICIALS)


@pytest.fixture
def user_page(new_context):
    """A logged-in page per user, each in its own browser context; fails the test on server
    errors and console errors (CSP violations, script errors) on any of them."""
    watched = []

    def open_for(username, *, admin=True):
        page = new_context().new_page()
        problems = PageProblems()
        problems.attach(page)
        watched.append((username, problems))
        if not admin:
            site_login(page, username)
        elif username == "countyoffice":
            admin_login(page, username, totp=county_office_totp())
        else:
            admin_login(page, username)
        return page

    yield open_for
    for username, problems in watched:
        assert not problems.server_errors, f"server errors for {username}: {problems.server_errors}"
        assert not problems.console, f"console errors for {username}: {problems.console}"


def test_a_visit_problem_goes_from_town_to_county_office_to_a_department_and_back_to_the_enterprise(user_page, e2e_db):
    from liaison.models import Rating
    from portal.models import EnterpriseAccount

    with e2e_db():
        enterprise = (
            EnterpriseAccount.objects.using("e2e")
            .select_related("enterprise__town")
            .get(user__username="enterprise")
            .enterprise
        )
    assert enterprise.town.name == "太和镇", "the demo enterprise login belongs to 太和镇"
    token = secrets.token_hex(3)
    problem_title = f"园区道路货车通行受限（走访 {token}）"
    today = datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()

    # 1. 太和镇's staff log the visit, with the problem the enterprise raised.
    town = user_page("taihe_staff")
    town.goto("/admin/visits/visit/add/")
    pick_by_search(town, "id_enterprise", enterprise.name)
    town.fill("#id_date", today.isoformat())
    town.fill("#id_met_persons", "张丽（行政经理）")
    assert town.locator("input[name=team]:checked").count() == 1, "the official who logs it went"
    town.fill("#id_problems-0-title", problem_title)
    town.select_option("#id_problems-0-category", value="transport")
    town.fill("#id_problems-0-description", "进厂道路限高限重，货车只能绕行十余公里，请协调调整通行方案。")
    town.locator("input[name=_continue]").click()
    town.wait_for_load_state()
    assert "/change/" in town.url, town.locator("#content").inner_text()[:800]

    # 2. The problem becomes a matter: one button on the visit's page, one confirmation.
    town.locator("#problems-group a.button[href*='/to-matter/']").click()
    town.wait_for_load_state()
    assert town.locator("h1").inner_text().strip()
    town.check("#id_confirm")
    town.locator("main form button[type=submit]").click()
    town.wait_for_load_state()
    assert "/admin/visits/visit/" in town.url
    from visits.models import VisitProblem

    with e2e_db():
        problem = VisitProblem.objects.using("e2e").get(title=problem_title)
    assert problem.matter_id is not None
    assert problem.matter_label in town.locator("#problems-group").inner_text(), "the visit shows the matter's number"
    assert not town.locator("#problems-group a.button[href*='/to-matter/']").count(), "handed over once only"
    matter, events = matter_events(e2e_db, problem.matter_id)
    tracking_number = matter.tracking_number
    assert (matter.channel, matter.state, matter.enterprise_id) == ("visit", "received", enterprise.pk)
    assert matter.received_by.name == "太和镇"

    # 3. The town accepts it and, outside its remit, asks the county office to refer it.
    assert open_matter_from_list(town, tracking_number) == 1
    assert shown_state(town) == state_label("received")
    act(town, "accept")
    assert shown_state(town) == state_label("accepted")
    act(town, "request_referral", reason="涉及交通管制和道路规划，需县发展和改革局牵头协调。")
    assert shown_state(town) == state_label("referral_requested")

    # The bureau cannot see it before it is assigned to them.
    bureau = user_page("fgj_staff")
    assert open_matter_from_list(bureau, tracking_number) == 0

    # 4. The county office finds it in its review queue and assigns it to the bureau.
    office = user_page("countyoffice")
    office.goto("/admin/")
    office.locator("#dashboard-links a[href$='/admin/liaison/matter/queue/']").click()
    office.wait_for_load_state()
    section = office.locator("#q-referral_requests")
    assert tracking_number in section.inner_text()
    assert "县发展和改革局牵头协调" in section.inner_text(), "the queue shows why the town asks"
    section.get_by_role("link", name=tracking_number).click()
    office.wait_for_load_state()
    assert shown_state(office) == state_label("referral_requested")
    act(office, "assign", lead_unit=LEAD_UNIT)
    assert shown_state(office) == state_label("assigned")
    assert LEAD_UNIT in office.locator(".fieldBox.field-lead_unit .readonly").inner_text()
    matter, _events = matter_events(e2e_db, matter.pk)
    assert (matter.state, matter.lead_unit.name, matter.responsible_unit.name) == ("assigned", LEAD_UNIT, LEAD_UNIT)
    assert matter.due_date is not None

    # 5. The bureau's staff now find it in their list and reply.
    reply = f"已会同交通运输部门调整园区货车通行时段，自下周一起货车可经园区大道直接进厂。（{token}）"
    assert open_matter_from_list(bureau, tracking_number) == 1
    assert shown_state(bureau) == state_label("assigned")
    act(bureau, "reply", reason=reply)
    assert shown_state(bureau) == state_label("replied")

    # 6. Every step is on the matter's timeline, with who did it.
    timeline = bureau.locator("#matter-timeline tbody tr")
    steps = ["create", "accept", "request_referral", "assign", "reply"]
    assert timeline.count() == len(steps), timeline.all_inner_texts()
    for row, step in zip(timeline.all(), steps):
        assert action_label(step) in row.inner_text(), (step, row.inner_text())
    assert "林海燕" in timeline.nth(1).inner_text() and "陈晓东" in timeline.nth(3).inner_text()
    assert "邓伟" in timeline.nth(4).inner_text() and reply in timeline.nth(4).inner_text()
    matter, events = matter_events(e2e_db, matter.pk)
    assert [(a, s) for a, s, _u in events] == [
        ("create", "received"),
        ("accept", "accepted"),
        ("request_referral", "referral_requested"),
        ("assign", "assigned"),
        ("reply", "replied"),
    ]
    assert [u for _a, _s, u in events] == ["taihe_staff", "taihe_staff", "taihe_staff", "countyoffice", "fgj_staff"]

    # 7. The enterprise sees the reply in 我的企业 and rates it.
    person = user_page("enterprise", admin=False)
    person.goto("/my/")
    person.get_by_role("link", name=problem_title).click()
    person.wait_for_load_state()
    main = person.locator("main")
    assert tracking_number in main.inner_text()
    assert reply in main.inner_text()
    assert state_label("replied") in main.locator("dl.facts").inner_text()
    assert action_label("reply") in main.locator("ol.timeline").inner_text()
    person.check(f"input[name=rating][value='{Rating.SATISFIED}']")
    person.fill("#id_reason", "协调及时，问题已解决。")
    person.locator("section[aria-labelledby=rate-heading] button[type=submit]").click()
    person.wait_for_load_state()
    facts = person.locator("main dl.facts").inner_text()
    assert state_label("rated") in facts and zh(Rating.SATISFIED.label) in facts
    assert person.locator("section[aria-labelledby=rate-heading]").count() == 0, "rated once only"
    matter, events = matter_events(e2e_db, matter.pk)
    assert (matter.state, matter.rating) == ("rated", Rating.SATISFIED)
    assert events[-1][:2] == ("rate", "rated")

    # The county office sees the rating on the timeline too.
    office.reload()
    assert action_label("rate") in office.locator("#matter-timeline tbody tr").last.inner_text()
    assert shown_state(office) == state_label("rated")
