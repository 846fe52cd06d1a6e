"""Every state against every action: the table in liaison/workflow.py is the law."""

import datetime

import pytest

from liaison import clock, workflow
from liaison.models import Matter, MatterEvent, Rating
from liaison.services import matter_assign, matter_create, matter_rate, matter_reply, matter_transition
from portal.core.workflow import ActionRefused

from .factories import fresh

PAIRS = [(state, action) for state in workflow.ALL_STATES for action in workflow.ACTIONS]
LEGAL = [(s, a) for s, a in PAIRS if s in workflow.ACTIONS[a].sources]
ILLEGAL = [(s, a) for s, a in PAIRS if s not in workflow.ACTIONS[a].sources]


def _prepare(actors, matter, action):
    """Satisfy an action's own precondition (a pending extension, a supervision flag)."""
    if action in ("approve_extension", "reject_extension"):
        if matter.state == workflow.WAITING:
            matter = matter  # requested before the pause below
        else:
            matter = actors.perform(matter, "request_extension")
    if action == "unsupervise":
        matter = actors.perform(matter, "supervise")
    return matter


@pytest.mark.django_db
@pytest.mark.parametrize("state,action", ILLEGAL)
def test_illegal_transition_is_refused_with_a_message_and_nothing_recorded(actors, matter, state, action):
    matter = actors.drive(matter, state)
    events = MatterEvent.objects.filter(matter=matter).count()
    with pytest.raises(ActionRefused) as refused:
        actors.perform(matter, action)
    assert refused.value.code == "state"
    assert refused.value.message
    assert fresh(matter).state == state
    assert MatterEvent.objects.filter(matter=matter).count() == events


@pytest.mark.django_db
@pytest.mark.parametrize("state,action", LEGAL)
def test_legal_transition_moves_and_records_who_when_why(actors, matter, state, action):
    if state == workflow.WAITING and action in ("approve_extension", "reject_extension"):
        matter = actors.drive(matter, workflow.ASSIGNED)
        matter = actors.perform(matter, "request_extension")
        matter = actors.perform(matter, "request_supplement")
    else:
        matter = actors.drive(matter, state)
        matter = _prepare(actors, matter, action)
    if action == "archive" and state == workflow.RATED:
        # rated unsatisfied in the usual path: the county office must reopen or close first
        with pytest.raises(ActionRefused) as refused:
            actors.perform(matter, action)
        assert refused.value.code == "poor_rating"
        return
    before = fresh(matter).state
    result = actors.perform(matter, action)
    spec = workflow.ACTIONS[action]
    event = MatterEvent.objects.filter(matter=matter).latest("created_at", "id")
    assert event.action == action
    assert event.from_state == before
    assert event.to_state == result.state
    assert event.actor is not None
    assert event.reason == "理由说明" or action == "rate"
    if spec.target:
        assert result.state == spec.target
    assert fresh(matter).state == result.state


@pytest.mark.django_db
def test_every_state_is_reachable_and_every_action_has_a_rule():
    reached = {a.target for a in workflow.ACTIONS.values() if a.target} | {workflow.RECEIVED}
    reached |= {workflow.HANDLING, workflow.ASSIGNED}  # resume / reopen return to these
    assert reached == set(workflow.ALL_STATES)
    assert set(Matter.State.values) == set(workflow.ALL_STATES)


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(workflow.ACTIONS))
def test_an_official_of_another_unit_may_do_nothing(actors, matter, other_town_staff_user, action):
    state = next(s for s in workflow.ALL_STATES if s in workflow.ACTIONS[action].sources)
    matter = actors.drive(matter, state)
    with pytest.raises(ActionRefused) as refused:
        matter_transition(
            matter=matter,
            action=action,
            user=other_town_staff_user,
            reason="x",
            rating=5,
            lead_unit=actors.department,
            days=1,
        )
    assert refused.value.code == "permission"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action", [a for a in sorted(workflow.ACTIONS) if "enterprise" not in workflow.ACTIONS[a].actors]
)
def test_the_enterprise_may_not_perform_official_actions(actors, matter, action):
    state = next(s for s in workflow.ALL_STATES if s in workflow.ACTIONS[action].sources)
    matter = actors.drive(matter, state)
    with pytest.raises(ActionRefused) as refused:
        matter_transition(
            matter=matter, action=action, user=actors.enterprise_user, reason="x", lead_unit=actors.department
        )
    assert refused.value.code == "permission"


@pytest.mark.django_db
def test_county_leader_and_anonymous_cannot_act(actors, matter, county_leader_user):
    from django.contrib.auth.models import AnonymousUser

    for user in (county_leader_user, AnonymousUser()):
        with pytest.raises(ActionRefused) as refused:
            matter_transition(matter=matter, action="accept", user=user)
        assert refused.value.code == "permission"


@pytest.mark.django_db
def test_the_receiving_town_cannot_assign_only_the_county_office(actors, matter):
    matter = actors.drive(matter, workflow.REFERRAL_REQUESTED)
    with pytest.raises(ActionRefused):
        matter_transition(matter=matter, action="assign", user=actors.town_user, lead_unit=actors.department)


@pytest.mark.django_db
def test_referral_needs_a_reason(actors, matter):
    matter = actors.drive(matter, workflow.ACCEPTED)
    with pytest.raises(ActionRefused) as refused:
        matter_transition(matter=matter, action="request_referral", user=actors.town_user, reason="  ")
    assert refused.value.code == "reason"


@pytest.mark.django_db
def test_return_shows_who_returned_and_why_and_the_unit_loses_the_matter(actors, matter, department):
    matter = actors.drive(matter, workflow.ASSIGNED)
    matter = matter_transition(
        matter=matter, action="return_assignment", user=actors.department_user, reason="不属于本局职责"
    )
    assert matter.returned_by_unit == department and matter.return_reason == "不属于本局职责"
    assert matter.lead_unit is None
    assert not Matter.objects.visible_to(actors.department_user).filter(pk=matter.pk).exists()
    event = matter.events.get(action="return_assignment")
    assert event.actor_unit == department and event.reason == "不属于本局职责"
    # the county office reassigns
    matter = actors.perform(matter, "assign")
    assert matter.state == workflow.ASSIGNED


@pytest.mark.django_db
def test_return_is_refused_after_two_working_days(actors, matter):
    with clock.travel(datetime.date(2026, 3, 2)):  # Monday
        matter = actors.drive(matter, workflow.ASSIGNED)
        assert matter.return_due == datetime.date(2026, 3, 4)
    with clock.travel(datetime.date(2026, 3, 4)):
        pass  # still allowed on the last day (checked below on a copy of the rule)
    with clock.travel(datetime.date(2026, 3, 5)):
        with pytest.raises(ActionRefused) as refused:
            matter_transition(matter=matter, action="return_assignment", user=actors.department_user, reason="x")
        assert refused.value.code == "return_window"


@pytest.mark.django_db
def test_unsatisfied_rating_needs_a_reason_satisfied_does_not(actors, matter):
    matter = actors.drive(matter, workflow.REPLIED)
    with pytest.raises(ActionRefused) as refused:
        matter_transition(matter=matter, action="rate", user=actors.enterprise_user, rating=Rating.VERY_UNSATISFIED)
    assert refused.value.code == "rating_reason"
    with pytest.raises(ActionRefused):
        matter_transition(matter=matter, action="rate", user=actors.enterprise_user, rating=9)
    matter = matter_transition(matter=matter, action="rate", user=actors.enterprise_user, rating=Rating.SATISFIED)
    assert matter.state == workflow.RATED and matter.rating == 4
    # satisfied: the handling unit may archive
    matter = matter_transition(matter=matter, action="archive", user=actors.department_user)
    assert matter.state == workflow.ARCHIVED


@pytest.mark.django_db
def test_reopen_sends_it_back_to_the_lead_unit_with_a_new_deadline(actors, matter):
    matter = actors.drive(matter, workflow.RATED)
    matter = matter_transition(matter=matter, action="reopen", user=actors.office_user, reason="重办", workdays=3)
    assert matter.state == workflow.ASSIGNED and matter.rating is None and matter.replied_at is None
    matter = actors.perform(matter, "reply")
    assert matter.state == workflow.REPLIED


@pytest.mark.django_db
def test_only_the_county_office_archives_an_unrated_reply(actors, matter):
    matter = actors.drive(matter, workflow.REPLIED)
    with pytest.raises(ActionRefused) as refused:
        matter_transition(matter=matter, action="archive", user=actors.department_user)
    assert refused.value.code == "unrated"
    matter = matter_transition(matter=matter, action="archive", user=actors.office_user)
    assert matter.state == workflow.ARCHIVED


@pytest.mark.django_db
def test_notes_are_internal_or_public(actors, matter):
    from liaison.selectors import public_timeline

    matter = actors.drive(matter, workflow.ASSIGNED)
    matter_transition(
        matter=matter, action="note", user=actors.department_user, reason="内部：已联系自然资源局", public=False
    )
    matter_transition(matter=matter, action="note", user=actors.department_user, reason="已安排现场勘查", public=True)
    reasons = [e.reason for e in public_timeline(matter)]
    assert "已安排现场勘查" in reasons and "内部：已联系自然资源局" not in reasons


@pytest.mark.django_db
def test_supervision_is_flagged_and_cannot_be_doubled(actors, matter):
    matter = actors.drive(matter, workflow.ASSIGNED)
    matter = actors.perform(matter, "supervise")
    assert matter.supervised and Matter.objects.supervised().filter(pk=matter.pk).exists()
    with pytest.raises(ActionRefused) as refused:
        actors.perform(matter, "supervise")
    assert refused.value.code == "already"


@pytest.mark.django_db
def test_one_source_makes_exactly_one_matter(enterprise, town, county_office_unit, department):
    # any saved model instance may be the source: here a unit stands in for a visit's problem
    first = matter_create(
        enterprise=enterprise,
        title="t",
        description="d",
        category="land",
        channel="visit",
        received_by=town,
        source=department,
    )
    again = matter_create(
        enterprise=enterprise,
        title="t2",
        description="d2",
        category="land",
        channel="visit",
        received_by=town,
        source=department,
    )
    assert first.pk == again.pk
    assert Matter.objects.count() == 1


@pytest.mark.django_db
def test_the_source_constraint_holds_in_the_database(enterprise, town, department):
    from django.db import IntegrityError, transaction

    first = matter_create(
        enterprise=enterprise,
        title="t",
        description="d",
        category="land",
        channel="visit",
        received_by=town,
        source=department,
    )
    clone = Matter.objects.get(pk=first.pk)
    clone.pk = None
    clone.tracking_number = "ZQX"
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()


@pytest.mark.django_db
def test_tracking_numbers_and_codes_are_not_sequential(enterprise, town):
    matters = [
        matter_create(
            enterprise=enterprise, title="t", description="d", category="other", channel="phone", received_by=town
        )
        for _ in range(5)
    ]
    numbers = [m.tracking_number for m in matters]
    assert len(set(numbers)) == 5 and len({m.issued_query_code for m in matters}) == 5
    assert all(len(m.issued_query_code) == 8 for m in matters)
    assert sorted(numbers) != numbers or sorted(numbers, reverse=True) != numbers


@pytest.mark.django_db
def test_create_refuses_bad_input_clearly(enterprise, town):
    with pytest.raises(ActionRefused):
        matter_create(
            enterprise=enterprise, title="t", description="d", category="nonsense", channel="phone", received_by=town
        )
    with pytest.raises(ActionRefused):
        matter_create(
            enterprise=enterprise, title="t", description="d", category="land", channel="fax", received_by=town
        )


@pytest.mark.django_db
def test_the_enterprise_is_mailed_the_reply(actors, matter, django_capture_on_commit_callbacks):
    from django.core import mail

    Matter.objects.filter(pk=matter.pk).update(contact_email="boss@example.com")
    matter = actors.drive(fresh(matter), workflow.ASSIGNED)
    with django_capture_on_commit_callbacks(execute=True):
        actors.perform(matter, "reply", reason="已办结，请查收。")
    assert len(mail.outbox) == 1 and "已办结，请查收。" in mail.outbox[0].body
    assert mail.outbox[0].to == ["boss@example.com"]


@pytest.mark.django_db
def test_typed_steps_name_their_arguments_and_go_through_the_one_transition(actors, matter, department):
    matter = actors.drive(matter, workflow.ACCEPTED)
    matter = matter_assign(matter=matter, user=actors.office_user, lead_unit=department, workdays=5, note="请牵头办理")
    assert matter.state == workflow.ASSIGNED and matter.lead_unit == department
    matter = matter_reply(matter=matter, user=actors.department_user, reply="已协调解决用地指标")
    assert matter.state == workflow.REPLIED and matter.reply == "已协调解决用地指标"
    with pytest.raises(ActionRefused) as refused:
        matter_rate(matter=matter, user=actors.enterprise_user, rating=Rating.VERY_UNSATISFIED)
    assert refused.value.code == "rating_reason"
    matter = matter_rate(matter=matter, user=actors.enterprise_user, rating=Rating.SATISFIED)
    assert matter.state == workflow.RATED
    events = list(
        MatterEvent.objects.filter(matter=matter, action__in=["assign", "reply", "rate"])
        .order_by("created_at", "pk")
        .values_list("action", "reason")
    )
    assert events == [("assign", "请牵头办理"), ("reply", "已协调解决用地指标"), ("rate", "")]


def test_matter_states_are_listed_once():
    assert workflow.ALL_STATES == tuple(Matter.State)
    assert all(isinstance(s, Matter.State) for s in workflow.OPEN_STATES + workflow.FINISHED_STATES)
    assert workflow.ACTIONS is workflow.WORKFLOW.actions
