"""Matters in any state, made through the liaison services (the way real matters are)."""

from liaison import workflow
from liaison.models import Matter, Rating
from liaison.services import matter_create, matter_transition


def make_matter(
    *,
    enterprise,
    received_by,
    created_by=None,
    category="land",
    channel="online",
    title="厂房用地手续",
    description="企业扩建厂房，用地报批进展缓慢。",
    **kwargs,
):
    return matter_create(
        enterprise=enterprise,
        title=title,
        description=description,
        category=category,
        channel=channel,
        received_by=received_by,
        created_by=created_by,
        **kwargs,
    )


class Actors:
    """The people a matter meets: town (receiver), county office, department (lead), enterprise."""

    def __init__(self, *, town_user, office_user, department, department_user, enterprise_user):
        self.town_user = town_user
        self.office_user = office_user
        self.department = department
        self.department_user = department_user
        self.enterprise_user = enterprise_user

    def act(self, matter, action, user, **kwargs):
        return matter_transition(matter=matter, action=action, user=user, **kwargs)

    def drive(self, matter, state):
        """Move a fresh (received) matter to `state` along the usual path."""
        path = {
            workflow.RECEIVED: [],
            workflow.ACCEPTED: ["accept"],
            workflow.HANDLING: ["accept", "handle_self"],
            workflow.REFERRAL_REQUESTED: ["accept", "request_referral"],
            workflow.ASSIGNED: ["accept", "request_referral", "assign"],
            workflow.RETURNED: ["accept", "request_referral", "assign", "return_assignment"],
            workflow.WAITING: ["accept", "request_referral", "assign", "request_supplement"],
            workflow.REPLIED: ["accept", "request_referral", "assign", "reply"],
            workflow.RATED: ["accept", "request_referral", "assign", "reply", "rate"],
            workflow.CLOSED: ["accept", "request_referral", "assign", "reply", "rate", "close"],
            workflow.ARCHIVED: ["accept", "request_referral", "assign", "reply", "rate", "close", "archive"],
        }[state]
        code = getattr(matter, "issued_query_code", None)
        for action in path:
            matter = self.perform(matter, action)
        assert matter.state == state
        if code:  # the plain code exists only on the object that was created; keep it for the test
            matter.issued_query_code = code
        return matter

    def actor_for(self, matter, action):
        spec = workflow.ACTIONS[action]
        if "county_office" in spec.actors:
            return self.office_user
        if "enterprise" in spec.actors:
            return self.enterprise_user
        if "receiver" in spec.actors:
            return self.town_user
        if matter.lead_unit_id:
            return self.department_user
        return self.town_user

    def perform(self, matter, action, **extra):
        params = {"reason": "理由说明"}
        if action == "assign":
            params.update(lead_unit=self.department, workdays=5)
        if action == "rate":
            params.update(rating=Rating.UNSATISFIED, reason="未解决")
        if action == "request_extension":
            params.update(days=3)
        params.update(extra)
        return self.act(matter, action, self.actor_for(matter, action), **params)


def fresh(matter):
    return Matter.objects.get(pk=matter.pk)
