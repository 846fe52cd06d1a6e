"""Mail to the officials who act next (liaison/notifications.py): each mapped step mails exactly
the right desks, once per address, in Chinese, after the commit; nobody else, never the actor."""

import pytest
from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from liaison import workflow
from liaison.models import Matter, Rating
from liaison.notifications import NOTICES
from liaison.services import actor_kinds, matter_submit_online, matter_transition
from portal.models import Official
from portal.core.workflow import ActionRefused
from tests.factories import OfficialFactory, UnitFactory

from .factories import make_matter


class Desk:
    """Everyone who could be mailed: the town (receiver), the department (lead), a cooperating
    department, the county office, and people who must never be (another town's staff, a
    county leader, a town official without an address, a deactivated one)."""

    def __init__(self, actors, **users):
        self.actors = actors
        self.users = users
        self.cooperating_unit = users.pop("cooperating_unit")

    def __getitem__(self, key):
        return self.users[key]

    def emails(self, *keys):
        return sorted(self.users[k].email for k in keys)

    def act(self, matter, action, who, **params):
        params.setdefault("reason", "理由说明")
        user = self.users[who] if isinstance(who, str) else who
        return matter_transition(matter=matter, action=action, user=user, **params)

    def at(self, matter, start):
        """Bring a fresh matter (received by the town) to `start`."""
        actors = self.actors
        if start in (workflow.RECEIVED, workflow.ACCEPTED, workflow.REFERRAL_REQUESTED):
            return actors.drive(matter, start)
        matter = actors.drive(matter, workflow.REFERRAL_REQUESTED)
        matter = self.act(
            matter,
            "assign",
            "office",
            lead_unit=actors.department,
            cooperating_units=[self.cooperating_unit],
            workdays=5,
        )
        if start == "assigned":
            return matter
        if start == "extension_requested":
            return self.act(matter, "request_extension", "dept_staff", days=3)
        if start == "supervised":
            return self.act(matter, "supervise", "office")
        if start == "waiting":
            return self.act(matter, "request_supplement", "dept_staff")
        matter = self.act(matter, "reply", "dept_staff", reason="已协调解决。")
        if start == "replied":
            return matter
        return self.act(matter, "rate", "enterprise", rating=Rating.UNSATISFIED, reason="未解决")


@pytest.fixture
def desk(
    actors,
    county_office_user,
    town,
    town_staff_user,
    town_head_user,
    department_staff_user,
    department_head_user,
    other_department,
    other_town_staff_user,
    county_leader_user,
    enterprise_user,
    county_office_unit,
):
    return Desk(
        actors,
        cooperating_unit=other_department,
        office=county_office_user,
        office_colleague=OfficialFactory(unit=county_office_unit, role=Official.Role.COUNTY_OFFICE).user,
        town_staff=town_staff_user,
        town_head=town_head_user,
        town_no_email=OfficialFactory(unit=town, user__email="").user,
        town_inactive=OfficialFactory(unit=town, user__is_active=False).user,
        dept_staff=department_staff_user,
        dept_head=department_head_user,
        coop_staff=OfficialFactory(unit=other_department, role=Official.Role.UNIT_STAFF).user,
        coop_head=OfficialFactory(unit=other_department, role=Official.Role.UNIT_HEAD).user,
        unrelated_dept=OfficialFactory(unit=UnitFactory(name="县人力资源和社会保障局")).user,
        other_town=other_town_staff_user,
        leader=county_leader_user,
        enterprise=enterprise_user,
    )


@pytest.fixture
def fresh_matter(desk, enterprise, town):
    return make_matter(enterprise=enterprise, received_by=town, created_by=desk["town_staff"])


def official_addresses(desk):
    return {u.email for k, u in desk.users.items() if k != "enterprise" and u.email}


def mailed_officials(desk):
    """Addresses of officials mailed (the enterprise's own mails are services' business)."""
    to = [address for message in mail.outbox for address in message.to]
    return sorted(a for a in to if a in official_addresses(desk))


OFFICE = ("office", "office_colleague")
DEPT = ("dept_staff", "dept_head")
DEPT_AND_COOP = ("dept_staff", "dept_head", "coop_staff", "coop_head")

# (start, action, actor, params, who is mailed, the workflow role they hold on the matter)
CASES = {
    "request_referral": (workflow.ACCEPTED, "request_referral", "town_staff", {}, OFFICE, "county_office"),
    "assign": (workflow.REFERRAL_REQUESTED, "assign", "office", {"workdays": 5}, DEPT_AND_COOP, "participant"),
    "reassign_after_return": ("returned", "assign", "office", {"workdays": 5}, DEPT_AND_COOP, "participant"),
    "return_assignment": ("assigned", "return_assignment", "dept_staff", {}, OFFICE, "county_office"),
    "request_extension": ("assigned", "request_extension", "dept_staff", {"days": 3}, OFFICE, "county_office"),
    "approve_extension": ("extension_requested", "approve_extension", "office", {}, DEPT, "handler"),
    "reject_extension": ("extension_requested", "reject_extension", "office", {}, DEPT, "handler"),
    "supervise": ("assigned", "supervise", "office", {}, DEPT, "handler"),
    "resume_by_enterprise": ("waiting", "resume", "enterprise", {"reason": "补充材料已上传。"}, DEPT, "handler"),
    "rate_unsatisfied": (
        "replied",
        "rate",
        "enterprise",
        {"rating": Rating.UNSATISFIED, "reason": "未解决"},
        OFFICE,
        "county_office",
    ),
    "rate_very_unsatisfied": (
        "replied",
        "rate",
        "enterprise",
        {"rating": Rating.VERY_UNSATISFIED, "reason": "敷衍"},
        OFFICE,
        "county_office",
    ),
    "reopen": ("rated_poor", "reopen", "office", {}, DEPT_AND_COOP, "participant"),
}


def _start(desk, matter, start):
    if start == "returned":
        matter = desk.at(matter, "assigned")
        return desk.act(matter, "return_assignment", "dept_staff")
    return desk.at(matter, start)


def test_every_mapped_action_has_a_case():
    mapped = {name for name, notice in NOTICES.items() if notice is not None} - {"create"}
    assert mapped <= {case[1] for case in CASES.values()}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_step_mails_exactly_the_officials_who_act_next(desk, fresh_matter, case, django_capture_on_commit_callbacks):
    start, action, who, params, expected, kind = CASES[case]
    matter = _start(desk, fresh_matter, start)
    if action == "assign":
        params = dict(params, lead_unit=desk.actors.department, cooperating_units=[desk.cooperating_unit])
    with django_capture_on_commit_callbacks(execute=True):
        matter = desk.act(matter, action, who, **params)
    assert mailed_officials(desk) == desk.emails(*expected)
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert desk[who].email not in mailed_officials(desk)
    # the recipients are exactly the people the workflow lets act on the matter in that role
    for key in expected:
        assert kind in actor_kinds(matter, desk[key])


@pytest.mark.django_db
def test_a_matter_arriving_in_a_units_inbox_mails_that_unit_but_not_who_recorded_it(
    desk, enterprise, town, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        matter = make_matter(enterprise=enterprise, received_by=town, created_by=desk["town_staff"], channel="phone")
    # the colleague, not the recorder, not the one without an address, not the deactivated one
    assert mailed_officials(desk) == desk.emails("town_head")
    assert matter.tracking_number in mail.outbox[0].subject


@pytest.mark.django_db
def test_an_online_submission_mails_the_enterprises_town(desk, enterprise, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        matter, created = matter_submit_online(
            user=desk["enterprise"],
            enterprise=enterprise,
            title="用电增容",
            description="新厂房需要增容。",
            category="land",
            urgency="normal",
            contact_name="张丽",
            contact_phone="13800138000",
            contact_email="zhangli@example.com",
            idempotency_key="7b0c5d4e-9d7c-4f1f-9a55-1f1f0b6a2c11",
        )
    assert created
    assert mailed_officials(desk) == desk.emails("town_staff", "town_head")
    # the enterprise gets its own confirmation (with the query code); the officials' mails do not have it
    officials_mails = [m for m in mail.outbox if m.to[0] in official_addresses(desk)]
    assert all(matter.issued_query_code not in m.subject + m.body for m in officials_mails)


@pytest.mark.django_db
def test_a_matter_for_the_county_office_mails_the_county_office(
    desk, enterprise, county_office_unit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_matter(enterprise=None, received_by=county_office_unit, channel="site_error", category="website")
    assert mailed_officials(desk) == desk.emails(*OFFICE)


UNMAPPED = [
    (workflow.RECEIVED, "accept", "town_staff", {}),
    (workflow.ACCEPTED, "handle_self", "town_staff", {}),
    ("assigned", "note", "dept_staff", {}),
    ("assigned", "request_supplement", "dept_staff", {}),
    ("assigned", "reply", "dept_staff", {}),
    ("rated_poor", "close", "office", {}),
    ("replied", "archive", "office", {}),
    ("supervised", "unsupervise", "office", {}),
    ("waiting", "resume", "dept_staff", {}),  # the unit resumed itself: it knows already
    ("replied", "rate", "enterprise", {"rating": Rating.SATISFIED}),  # satisfied: nothing to decide
]


@pytest.mark.django_db
@pytest.mark.parametrize("start,action,who,params", UNMAPPED, ids=[f"{a}-{w}" for _s, a, w, _p in UNMAPPED])
def test_steps_that_leave_nobody_waiting_mail_no_official(
    desk, fresh_matter, start, action, who, params, django_capture_on_commit_callbacks
):
    matter = desk.at(fresh_matter, start)
    with django_capture_on_commit_callbacks(execute=True):
        desk.act(matter, action, who, **params)
    assert mailed_officials(desk) == []


@pytest.mark.django_db
def test_the_mail_is_in_chinese_with_number_title_deadline_text_and_admin_link_but_no_query_code(
    desk, fresh_matter, django_capture_on_commit_callbacks
):
    matter = desk.at(fresh_matter, workflow.REFERRAL_REQUESTED)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):  # the actor reads English
        matter = desk.act(
            matter,
            "assign",
            "office",
            lead_unit=desk.actors.department,
            cooperating_units=[desk.cooperating_unit],
            workdays=5,
            reason="请牵头协调用地报批。",
        )
    message = next(m for m in mail.outbox if m.to == [desk["dept_head"].email])
    assert message.subject == f"事项 {matter.tracking_number}：交办"
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    url = settings.SITE_BASE_URL.rstrip("/") + reverse("admin:liaison_matter_change", args=[matter.pk])
    body = message.body
    for part in (
        matter.tracking_number,
        matter.title,
        matter.display_enterprise,
        f"{matter.due_date:%Y-%m-%d}",
        "5个工作日",
        "请牵头协调用地报批。",
        desk.actors.department.name,
        desk.cooperating_unit.name,
        url,
    ):
        assert part in body
    assert "请" in body and "Please" not in body
    code = fresh_matter.issued_query_code
    assert code not in body and code not in message.subject


@pytest.mark.django_db
def test_an_extension_request_tells_the_county_office_how_many_days(
    desk, fresh_matter, django_capture_on_commit_callbacks
):
    matter = desk.at(fresh_matter, "assigned")
    with django_capture_on_commit_callbacks(execute=True):
        desk.act(matter, "request_extension", "dept_staff", days=4, reason="需等待省厅批复。")
    body = mail.outbox[0].body
    assert "4" in body and "需等待省厅批复。" in body and desk.actors.department.name in body


@pytest.mark.django_db
def test_an_unsatisfied_rating_mail_names_the_rating_and_the_reason(
    desk, fresh_matter, django_capture_on_commit_callbacks
):
    matter = desk.at(fresh_matter, "replied")
    with django_capture_on_commit_callbacks(execute=True):
        desk.act(matter, "rate", "enterprise", rating=Rating.VERY_UNSATISFIED, reason="答复敷衍，问题仍在。")
    message = mail.outbox[0]
    assert "差评" in message.subject
    assert "非常不满意" in message.body and "答复敷衍，问题仍在。" in message.body


@pytest.mark.django_db
def test_the_enterprise_answering_with_its_tracking_number_mails_the_handling_unit(
    desk, fresh_matter, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import AnonymousUser

    matter = desk.at(fresh_matter, "waiting")
    with django_capture_on_commit_callbacks(execute=True):
        matter_transition(
            matter=matter, action="resume", user=AnonymousUser(), tracking_grant=True, reason="补充材料见附件。"
        )
    assert mailed_officials(desk) == desk.emails(*DEPT)


@pytest.mark.django_db
def test_the_mails_go_only_when_the_step_commits(desk, fresh_matter, django_capture_on_commit_callbacks):
    matter = desk.at(fresh_matter, workflow.ACCEPTED)
    with django_capture_on_commit_callbacks() as callbacks:
        desk.act(matter, "request_referral", "town_staff")
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert mailed_officials(desk) == desk.emails(*OFFICE)


@pytest.mark.django_db
def test_a_refused_step_sends_nothing(desk, fresh_matter, django_capture_on_commit_callbacks):
    matter = desk.at(fresh_matter, "replied")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ActionRefused):
            desk.act(matter, "assign", "town_staff", lead_unit=desk.actors.department)  # wrong state and role
        with pytest.raises(ActionRefused):
            desk.act(matter, "rate", "enterprise", rating=Rating.UNSATISFIED, reason="")  # 差评 needs a reason
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_step_rolled_back_with_its_surrounding_work_sends_nothing(
    desk, fresh_matter, django_capture_on_commit_callbacks
):
    matter = desk.at(fresh_matter, "waiting")
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(ActionRefused), transaction.atomic():
            desk.act(matter, "resume", "enterprise", reason="补充材料")
            raise ActionRefused("附件不合格", "attachment")  # as when the supplement's file is refused
    assert mail.outbox == []
    assert Matter.objects.get(pk=matter.pk).state == workflow.WAITING


@pytest.mark.django_db
def test_a_shared_mailbox_gets_one_mail_and_never_the_actors_own_step(
    desk, enterprise, town, fresh_matter, django_capture_on_commit_callbacks
):
    colleague = desk["office_colleague"]
    colleague.email = desk["office"].email.upper()
    colleague.save(update_fields=["email"])
    matter = desk.at(fresh_matter, workflow.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        desk.act(matter, "request_referral", "town_staff")
    assert len(mail.outbox) == 1 and mail.outbox[0].to[0].lower() == desk["office"].email
    mail.outbox.clear()
    head = desk["town_head"]
    head.email = desk["town_staff"].email
    head.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        make_matter(enterprise=enterprise, received_by=town, created_by=desk["town_staff"], channel="phone")
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_mail_failure_does_not_undo_or_break_the_step(
    desk, fresh_matter, settings, caplog, django_capture_on_commit_callbacks
):
    # A real SMTP connection to a loopback port nobody listens on (the queue's own tests show
    # the message arriving once the server is back).
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 2
    matter = desk.at(fresh_matter, workflow.ACCEPTED)
    with django_capture_on_commit_callbacks(execute=True):
        desk.act(matter, "request_referral", "town_staff")
    assert Matter.objects.get(pk=matter.pk).state == workflow.REFERRAL_REQUESTED
    assert "Connection refused" in caplog.text  # logged for the administrator


# ---------------------------------------------------------------------------- the enterprise
def with_contact(matter, *, email, phone):
    Matter.objects.filter(pk=matter.pk).update(contact_email=email, contact_phone=phone)
    return Matter.objects.get(pk=matter.pk)


def enterprise_mails(matter):
    return [m for m in mail.outbox if m.to == [matter.contact_email]]


@pytest.mark.parametrize(
    "action, start, params, expected",
    [
        ("accept", workflow.RECEIVED, {}, "已受理"),
        ("assign", workflow.REFERRAL_REQUESTED, {"workdays": 5}, "交办"),
        ("approve_extension", "extension_requested", {}, "延期"),
        ("reply", "assigned", {"reason": "已协调解决。"}, "已协调解决。"),
        ("reopen", "rated", {}, "重新办理"),
    ],
)
@pytest.mark.django_db
def test_the_enterprise_is_told_of_each_key_moment_by_mail_and_text_message_with_the_deadline(
    desk, enterprise, town, action, start, params, expected, django_capture_on_commit_callbacks
):
    from portal.core import sms

    matter = with_contact(
        make_matter(enterprise=enterprise, received_by=town, created_by=desk["town_staff"]),
        email="boss@example.com",
        phone="138 0013 8000",
    )
    matter = desk.at(matter, start)
    mail.outbox.clear()
    sms.outbox.clear()
    who = {"accept": "town_staff", "reply": "dept_staff"}.get(action, "office")
    if action == "assign":
        params = {**params, "lead_unit": desk.actors.department}
    with django_capture_on_commit_callbacks(execute=True):
        matter = desk.act(matter, action, who, **params)
    [message] = enterprise_mails(matter)
    assert matter.tracking_number in message.subject
    assert expected in message.subject + message.body
    assert matter.query_code not in message.body
    if action != "reply":
        assert f"{matter.due_date:%Y-%m-%d}" in message.body  # the (new) deadline
    [text] = sms.outbox
    assert text.mobile == "13800138000" and matter.tracking_number in text.text


@pytest.mark.django_db
def test_no_text_message_without_a_mobile_number_and_no_mail_without_an_address(
    desk, enterprise, town, django_capture_on_commit_callbacks
):
    from portal.core import sms

    # (nor an account of the enterprise with one: see the next test)
    desk["enterprise"].__class__.objects.filter(pk=desk["enterprise"].pk).update(email="")
    matter = with_contact(
        make_matter(enterprise=enterprise, received_by=town, created_by=desk["town_staff"]),
        email="",
        phone="0763-5812345",
    )
    mail.outbox.clear()
    sms.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        desk.act(matter, "accept", "town_staff")
    assert sms.outbox == [] and not [m for m in mail.outbox if not set(m.to) & official_addresses(desk)]


@pytest.mark.django_db
def test_the_enterprise_sees_its_deadline_in_its_list_of_matters(desk, enterprise, town, login, enterprise_user):
    matter = desk.at(
        make_matter(enterprise=enterprise, received_by=town, created_by=enterprise_user), workflow.ACCEPTED
    )
    html = login(enterprise_user).get(reverse("liaison:mine")).content.decode()
    assert f"{matter.due_date:%Y-%m-%d}" in html and "期限" in html


@pytest.mark.django_db
def test_a_matter_without_a_contact_address_mails_the_enterprises_confirmed_accounts(
    desk, enterprise, town, django_capture_on_commit_callbacks
):
    """A problem raised at a visit takes the enterprise's contact details, which often have no
    e-mail: the enterprise's confirmed accounts (who follow it in 我的企业) are told instead."""
    from portal.models import EnterpriseAccount
    from tests.factories import EnterpriseAccountFactory

    account = desk["enterprise"].enterprise_account
    assert account.enterprise == enterprise and account.status == EnterpriseAccount.Status.CONFIRMED
    EnterpriseAccountFactory(enterprise=enterprise, status=EnterpriseAccount.Status.PENDING)  # not yet: never
    matter = with_contact(
        make_matter(enterprise=enterprise, received_by=town, created_by=desk["town_staff"], channel="visit"),
        email="",
        phone="",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        desk.act(matter, "accept", "town_staff")
    [message] = [m for m in mail.outbox if not set(m.to) & official_addresses(desk)]
    assert message.to == [desk["enterprise"].email] and matter.tracking_number in message.subject
    # it never had a query code: the mail points to 我的企业, not to the tracking page
    assert (
        f"/matters/mine/{matter.tracking_number}/" in message.body
        and "查询码" not in message.body
        and "/matters/track/" not in message.body
    )
