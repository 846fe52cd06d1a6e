"""Journey: a matter in daily operation, with the queue worker running and every mail read.

In Chromium against the production-style server, with `manage.py task_worker` beside it
delivering mail to an SMTP server the test reads (and text messages to a file):

太和镇's staff log a visit with a problem the enterprise raised → the problem becomes a
matter → the town accepts it and asks the county office to refer it (提请交办) → the county
office assigns it (交办) to 县市场监督管理局 → that bureau returns it (退回) with a reason → the
county office assigns it again, to 县发展和改革局 → the bureau asks for an extension (延期) and
the county office approves it → the bureau replies (答复) → the enterprise rates it 差评 with a
reason in 我的企业 → the county office reopens it (重办) → the bureau replies again → the
enterprise rates it 满意 → the bureau archives it (归档).

After each step: the page shows the new state, and the worker has delivered exactly the mails
the step calls for — to the right people, with a Chinese subject carrying the tracking number,
the new due date where the deadline moved, and never a unit-to-unit (internal) reason in what
the enterprise receives.
"""

import datetime
import re
import secrets
from zoneinfo import ZoneInfo

import pytest

from .conftest import PageProblems, admin_login, county_office_totp, site_login
from .workspace import (
    action_label,
    matter_events,
    messages_text,
    open_matter_from_list,
    pick_by_search,
    shown_state,
    state_label,
    zh,
)

pytestmark = [pytest.mark.e2e]

FIRST_UNIT, SECOND_UNIT = "县市场监督管理局", "县发展和改革局"  # scjg_staff's, fgj_* (portal/demo.py)
# The officials in the journey, given an address here (the demo officials have none).
OFFICIALS = ["countyoffice", "taihe_head", "taihe_staff", "scjg_staff", "fgj_head", "fgj_staff"]
ENTERPRISE = "enterprise@example.com"  # the demo enterprise's confirmed account (portal/demo.py)
CJK = re.compile(r"[\u4e00-\u9fff]")


def address(username):
    return f"{username}@qingxin.example.gov.cn"


@pytest.fixture
def user_page(new_context):
    """A logged-in page per user; fails the test on server and console errors on any of them."""
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


def act(page, action, reason=None, select=None, fill=None):
    """On a matter's admin page, open the action's page, fill it in, send it; the page comes
    back to the matter with the action's success message."""
    page.locator(f"#matter-steps a.step-button[href$='/act/{action}/']").click()
    page.wait_for_load_state()
    assert page.locator(".errornote").count() == 0, page.locator("#content").inner_text()[:600]
    for field, label in (select or {}).items():
        page.select_option(f"#id_{field}", label=label)
    for field, value in (fill or {}).items():
        page.fill(f"#id_{field}", str(value))
    if reason is not None:
        page.fill("#id_reason", reason)
    page.locator("#content-main form input[type=submit]").click()
    page.wait_for_load_state()
    assert "/act/" not in page.url, page.locator("#content").inner_text()[:800]
    assert any(action_label(action) in text for text in messages_text(page)), messages_text(page)


class Mailbox:
    """The mails (and text messages) about one matter, step by step."""

    def __init__(self, mail, tracking_number, mobile):
        self.mail, self.number, self.mobile = mail, tracking_number, mobile
        self.seen_mails, self.seen_texts = 0, 0
        self.enterprise_mails = []

    def step(self):
        """Wait for the worker to run every job due, then return the new mails about the matter
        as {recipient: mail} (one mail per address) and the new text messages."""
        self.mail.drain()
        mails = self.mail.mails(self.number)
        new, self.seen_mails = mails[self.seen_mails :], len(mails)
        texts = self.mail.texts(self.number)
        new_texts, self.seen_texts = texts[self.seen_texts :], len(texts)
        by_recipient = {}
        for message in new:
            assert len(message.to) == 1, f"one mail per address: {message.to}"
            assert message.to[0] not in by_recipient, f"{message.to[0]} mailed twice: {new}"
            by_recipient[message.to[0]] = message
            assert self.number in message.subject, message.subject
            assert CJK.search(message.subject), f"the subject is in Chinese: {message.subject}"
        self.enterprise_mails += [m for m in new if m.to == [ENTERPRISE]]
        return by_recipient, new_texts

    def expect(self, officials=(), enterprise=None, text_has=()):
        """The step mailed exactly `officials` (addresses) and, if `enterprise` (its subject), the
        enterprise, whose mail and text message contain each of `text_has`."""
        mails, texts = self.step()
        expected = set(officials) | ({ENTERPRISE} if enterprise else set())
        assert set(mails) == expected, f"mailed {sorted(mails)}, expected {sorted(expected)}"
        if enterprise:
            to_enterprise = mails[ENTERPRISE]
            assert to_enterprise.subject == enterprise, to_enterprise.subject
            for part in text_has:
                assert part in to_enterprise.body, (part, to_enterprise.body)
            assert len(texts) == 1 and texts[0][0] == self.mobile, texts
            for part in text_has:
                if re.fullmatch(r"\d{4}-\d{2}-\d{2}", part):
                    assert part in texts[0][1], (part, texts[0][1])
        else:
            assert texts == [], f"no text message to the enterprise at this step: {texts}"
        return mails


def officials_of(e2e_db, unit_name, but):
    """The addresses of a unit's active officials who act on matters (unit_name None: the
    county office's), but the one who acted:
    who must be told (liaison/notifications.py). The demo's units have more officials than the
    journey's logins (e.g. 太和镇's cadres)."""
    from portal.models import Official

    with e2e_db():
        officials = (
            Official.objects.using("e2e")
            .filter(user__is_active=True)
            .exclude(user__email="")
            .exclude(user__username=but)
        )
        if unit_name is None:  # the county office
            officials = officials.filter(role=Official.Role.COUNTY_OFFICE)
        else:
            officials = officials.filter(unit__name=unit_name).exclude(role=Official.Role.COUNTY_LEADER)
        addresses = {email.lower() for email in officials.values_list("user__email", flat=True)}
    assert addresses, f"nobody in {unit_name} to tell"
    return addresses


def subject_for_officials(number, action):
    from django.utils.translation import gettext as _
    from django.utils.translation import override

    from liaison.notifications import NOTICES

    with override("zh-hans"):
        label = str(NOTICES[action].subject or action_label(action))
        return _("Matter %(number)s: %(action)s") % {"number": number, "action": label}


def subject_for_enterprise(number, action):
    from liaison.notifications import ENTERPRISE_NOTICES

    return zh(ENTERPRISE_NOTICES[action].subject) % {"number": number}


def rate(person, title, rating, reason):
    person.goto("/my/")
    person.get_by_role("link", name=title).first.click()
    person.wait_for_load_state()
    person.check(f"input[name=rating][value='{rating}']")
    person.fill("#id_reason", reason)
    person.locator("section[aria-labelledby=rate-heading] button[type=submit]").click()
    person.wait_for_load_state()
    return person.locator("main")


def test_a_matter_through_return_extension_poor_rating_and_reopening_with_every_mail_checked(user_page, e2e_db, mail):
    from django.contrib.auth import get_user_model

    from liaison.models import Matter, Rating
    from portal.core import sms
    from portal.models import EnterpriseAccount
    from visits.models import VisitProblem

    with e2e_db():
        for username in OFFICIALS:
            get_user_model().objects.using("e2e").filter(username=username).update(email=address(username))
        account = (
            EnterpriseAccount.objects.using("e2e").select_related("enterprise", "user").get(user__username="enterprise")
        )
        enterprise = account.enterprise
    assert account.user.email == ENTERPRISE
    token = secrets.token_hex(3)
    title = f"厂区污水管网接驳审批（走访 {token}）"
    today = datetime.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    # Unit-to-unit reasons: internal, never in the enterprise's mail or on its page.
    internal = {
        "request_referral": f"涉及管网规划，需县级部门牵头（内部 {token}-R）。",
        "return_assignment": f"管网接驳不属我局职能，应由发改局牵头（内部 {token}-T）。",
        "request_extension": f"需等待市级管网规划批复（内部 {token}-E）。",
    }

    # 1. 太和镇's staff log the visit with the problem; the problem becomes a matter.
    town = user_page("taihe_staff")
    town.goto("/admin/visits/visit/add/")
    pick_by_search(town, "id_enterprise", enterprise.name)
    town.fill("#id_date", today.isoformat())
    town.fill("#id_met_persons", "张丽（行政经理）")
    town.fill("#id_problems-0-title", title)
    town.select_option("#id_problems-0-category", value="transport")
    town.fill("#id_problems-0-description", "新建厂房污水需接入园区管网，接驳审批无人牵头，请协调。")
    town.locator("input[name=_continue]").click()
    town.wait_for_load_state()
    assert "/change/" in town.url, town.locator("#content").inner_text()[:800]
    town.locator("#problems-group a.button[href*='/to-matter/']").click()
    town.wait_for_load_state()
    town.check("#id_confirm")
    town.locator("main form button[type=submit]").click()
    town.wait_for_load_state()
    with e2e_db():
        problem = VisitProblem.objects.using("e2e").get(title=title)
    assert problem.matter_id is not None
    matter, _events = matter_events(e2e_db, problem.matter_id)
    number = matter.tracking_number
    assert problem.matter_label in town.locator("#problems-group").inner_text()
    box = Mailbox(mail, number, sms.mobile_number(matter.contact_phone))
    county_office = officials_of(e2e_db, None, but="")
    assert box.mobile, "the enterprise's contact has a mobile number (demo data)"
    # The town's other official is told a matter waits to be accepted (never the one who acted).
    mails = box.expect(officials=officials_of(e2e_db, "太和镇", but="taihe_staff"))
    assert mails[address("taihe_head")].subject == subject_for_officials(number, "create")
    assert f"{matter.accept_due:%Y-%m-%d}" in mails[address("taihe_head")].body

    # 2. The town accepts it: the enterprise is told, with the due date.
    assert open_matter_from_list(town, number) == 1
    act(town, "accept")
    assert shown_state(town) == state_label("accepted")
    matter, _events = matter_events(e2e_db, matter.pk)
    box.expect(enterprise=subject_for_enterprise(number, "accept"), text_has=[f"{matter.due_date:%Y-%m-%d}"])

    # 3. Outside its remit: the town asks the county office to refer it.
    act(town, "request_referral", reason=internal["request_referral"])
    assert shown_state(town) == state_label("referral_requested")
    mails = box.expect(officials=county_office)
    assert internal["request_referral"] in mails[address("countyoffice")].body

    # 4. The county office assigns it to 县市场监督管理局: the bureau and the enterprise are told.
    office = user_page("countyoffice")
    office.goto("/admin/liaison/matter/queue/")
    office.locator("#q-referral_requests").get_by_role("link", name=number).click()
    office.wait_for_load_state()
    act(office, "assign", select={"lead_unit": FIRST_UNIT})
    assert shown_state(office) == state_label("assigned")
    matter, _events = matter_events(e2e_db, matter.pk)
    mails = box.expect(
        officials=officials_of(e2e_db, FIRST_UNIT, but="countyoffice"),
        enterprise=subject_for_enterprise(number, "assign"),
        text_has=[FIRST_UNIT, f"{matter.due_date:%Y-%m-%d}"],
    )
    assert FIRST_UNIT in mails[address("scjg_staff")].body

    # 5. The bureau returns it with a reason: the county office must assign it again.
    first = user_page("scjg_staff")
    assert open_matter_from_list(first, number) == 1
    act(first, "return_assignment", reason=internal["return_assignment"])
    assert not any("不存在" in text for text in messages_text(first)), messages_text(first)
    mails = box.expect(officials=county_office)
    assert mails[address("countyoffice")].subject == subject_for_officials(number, "return_assignment")
    assert internal["return_assignment"] in mails[address("countyoffice")].body
    assert FIRST_UNIT in mails[address("countyoffice")].body

    # 6. The county office assigns it to 县发展和改革局: both of its officials and the enterprise.
    office.reload()
    assert shown_state(office) == state_label("returned")
    act(office, "assign", select={"lead_unit": SECOND_UNIT})
    assert shown_state(office) == state_label("assigned")
    matter, _events = matter_events(e2e_db, matter.pk)
    due_before_extension = matter.due_date
    mails = box.expect(
        officials=officials_of(e2e_db, SECOND_UNIT, but="countyoffice"),
        enterprise=subject_for_enterprise(number, "assign"),
        text_has=[SECOND_UNIT, f"{due_before_extension:%Y-%m-%d}"],
    )
    assert FIRST_UNIT not in mails[ENTERPRISE].body

    # 7. The bureau asks for an extension of 5 working days; the county office is asked.
    bureau = user_page("fgj_staff")
    assert open_matter_from_list(bureau, number) == 1
    act(bureau, "request_extension", reason=internal["request_extension"], fill={"days": 5})
    mails = box.expect(officials=county_office)
    assert internal["request_extension"] in mails[address("countyoffice")].body
    assert "5" in mails[address("countyoffice")].body

    # 8. The county office approves: the bureau and the enterprise get the new due date.
    office.reload()
    act(office, "approve_extension")
    matter, _events = matter_events(e2e_db, matter.pk)
    assert matter.due_date > due_before_extension and matter.extension_workdays == 5
    new_due = f"{matter.due_date:%Y-%m-%d}"
    mails = box.expect(
        officials=officials_of(e2e_db, SECOND_UNIT, but="countyoffice"),
        enterprise=subject_for_enterprise(number, "approve_extension"),
        text_has=[new_due],
    )
    assert new_due in mails[address("fgj_staff")].body

    # 9. The bureau replies: the enterprise gets the reply's text; no official needs to act.
    reply = f"已协调园区管委会开通污水管网接驳通道，请于本周内提交接驳申请。（{token}-1）"
    bureau.reload()
    act(bureau, "reply", reason=reply)
    assert shown_state(bureau) == state_label("replied")
    box.expect(enterprise=subject_for_enterprise(number, "reply"), text_has=[reply])

    # 10. The enterprise rates it 差评 with a reason: the county office must decide.
    person = user_page("enterprise", admin=False)
    poor_reason = f"答复只给了流程，接驳时间仍不确定。（{token}）"
    main = rate(person, title, Rating.UNSATISFIED, poor_reason)
    assert zh(Rating.UNSATISFIED.label) in main.locator("dl.facts").inner_text()
    timeline = main.locator("ol.timeline").inner_text()
    for text in internal.values():
        assert text not in timeline, f"an internal reason is on the enterprise's page: {text}"
    mails = box.expect(officials=county_office)
    assert mails[address("countyoffice")].subject == subject_for_officials(number, "rate")
    assert poor_reason in mails[address("countyoffice")].body

    # 11. The county office reopens it (重办): the bureau and the enterprise, with the new deadline.
    office.reload()
    assert shown_state(office) == state_label("rated")
    act(office, "reopen", reason="请发改局明确接驳时间后再次答复。", fill={"workdays": 5})
    assert shown_state(office) == state_label("assigned")
    matter, _events = matter_events(e2e_db, matter.pk)
    reopened_due = f"{matter.due_date:%Y-%m-%d}"
    box.expect(
        officials=officials_of(e2e_db, SECOND_UNIT, but="countyoffice"),
        enterprise=subject_for_enterprise(number, "reopen"),
        text_has=[reopened_due],
    )

    # 12. The bureau replies again; the enterprise rates it 满意 (nobody needs a mail).
    second_reply = f"接驳工程已排期，下周三施工队进场。（{token}-2）"
    bureau.reload()
    act(bureau, "reply", reason=second_reply)
    box.expect(enterprise=subject_for_enterprise(number, "reply"), text_has=[second_reply])
    main = rate(person, title, Rating.SATISFIED, "问题已解决。")
    assert zh(Rating.SATISFIED.label) in main.locator("dl.facts").inner_text()
    box.expect()

    # 13. The bureau archives it (归档); nobody is mailed.
    bureau.reload()
    act(bureau, "archive")
    assert shown_state(bureau) == state_label("archived")
    box.expect()

    matter, events = matter_events(e2e_db, matter.pk)
    assert [a for a, _s, _u in events] == [
        "create",
        "accept",
        "request_referral",
        "assign",
        "return_assignment",
        "assign",
        "request_extension",
        "approve_extension",
        "reply",
        "rate",
        "reopen",
        "reply",
        "rate",
        "archive",
    ]
    assert (matter.state, matter.first_rating, matter.rating) == ("archived", Rating.UNSATISFIED, Rating.SATISFIED)
    # What the enterprise received, all of it: never a unit-to-unit reason.
    assert len(box.enterprise_mails) == 7
    for message in box.enterprise_mails:
        for text in internal.values():
            assert text not in message.body, f"an internal reason reached the enterprise: {message.body}"
    for _mobile, text in mail.texts(number):
        for reason in internal.values():
            assert reason not in text
    with e2e_db():
        assert Matter.objects.using("e2e").get(pk=matter.pk).ratings.count() == 2
