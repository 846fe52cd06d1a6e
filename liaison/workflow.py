"""The matter workflow, written down once.

Each action names the states it may start from, the state it leads to (None: the state is
unchanged, or decided by the service, see `resume` and `reopen`), who may perform it, and
whether it needs a reason. `services.matter_transition` is the only function that applies
them (checked by `WORKFLOW.check`, the base's portal.core.workflow). Who:

- ``receiver``   officials of the receiving unit (受理单位)
- ``handler``    officials of the unit handling it: the lead unit once assigned, else the receiver
- ``lead``       officials of the lead unit (承办单位)
- ``participant`` receiver, lead or cooperating unit (协办单位)
- ``county_office`` the county office (县政府办) and superusers
- ``enterprise`` the enterprise's confirmed account, or the holder of the tracking number and
  query code
"""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.core.workflow import Action, Workflow

from .models import Matter

# The states are Matter.State's (the one list); these names read better in the table below.
RECEIVED, ACCEPTED, HANDLING, REFERRAL_REQUESTED, ASSIGNED, RETURNED, WAITING, REPLIED, RATED, CLOSED, ARCHIVED = (
    Matter.State.RECEIVED,
    Matter.State.ACCEPTED,
    Matter.State.HANDLING,
    Matter.State.REFERRAL_REQUESTED,
    Matter.State.ASSIGNED,
    Matter.State.RETURNED,
    Matter.State.WAITING,
    Matter.State.REPLIED,
    Matter.State.RATED,
    Matter.State.CLOSED,
    Matter.State.ARCHIVED,
)

ALL_STATES = tuple(Matter.State)
# On somebody's desk: not yet replied to.
OPEN_STATES = (RECEIVED, ACCEPTED, HANDLING, REFERRAL_REQUESTED, ASSIGNED, RETURNED, WAITING)
# The handling clock runs (waiting for the enterprise pauses it).
CLOCK_STATES = (HANDLING, ASSIGNED, REFERRAL_REQUESTED, RETURNED)
FINISHED_STATES = (REPLIED, RATED, CLOSED, ARCHIVED)
WORKING_STATES = (HANDLING, ASSIGNED)


WORKFLOW = Workflow(
    Matter.State,
    [
        Action("accept", _("Accept (受理)"), (RECEIVED,), ACCEPTED, ("receiver", "county_office")),
        Action("handle_self", _("Handle ourselves (自办)"), (ACCEPTED,), HANDLING, ("receiver",)),
        # Unit-to-unit steps are internal by default; the official may show one to the enterprise.
        Action(
            "request_referral",
            _("Ask the county office to refer (提请交办)"),
            (ACCEPTED, HANDLING),
            REFERRAL_REQUESTED,
            ("receiver",),
            needs_reason=True,
            public=False,
        ),
        Action(
            "assign",
            _("Assign (交办)"),
            (RECEIVED, ACCEPTED, REFERRAL_REQUESTED, RETURNED),
            ASSIGNED,
            ("county_office",),
            public=False,
        ),
        Action(
            "return_assignment",
            _("Return the assignment (退回)"),
            (ASSIGNED,),
            RETURNED,
            ("lead",),
            needs_reason=True,
            public=False,
        ),
        Action(
            "request_supplement",
            _("Ask the enterprise for more (待企业补充)"),
            (HANDLING, ASSIGNED),
            WAITING,
            ("handler",),
            needs_reason=True,
        ),
        Action("resume", _("Resume after the enterprise's answer"), (WAITING,), None, ("handler", "enterprise")),
        Action(
            "note",
            _("Progress note"),
            (RECEIVED, ACCEPTED, HANDLING, REFERRAL_REQUESTED, ASSIGNED, RETURNED, WAITING, REPLIED, RATED, CLOSED),
            None,
            ("participant", "county_office"),
            needs_reason=True,
        ),
        Action(
            "request_extension",
            _("Request an extension (延期)"),
            (HANDLING, ASSIGNED),
            None,
            ("handler",),
            needs_reason=True,
            public=False,
        ),
        Action(
            "approve_extension", _("Approve the extension"), (HANDLING, ASSIGNED, WAITING), None, ("county_office",)
        ),
        Action(
            "reject_extension",
            _("Refuse the extension"),
            (HANDLING, ASSIGNED, WAITING),
            None,
            ("county_office",),
            needs_reason=True,
            public=False,
        ),
        Action(
            "reply", _("Reply and close (答复/办结)"), (HANDLING, ASSIGNED), REPLIED, ("handler",), needs_reason=True
        ),
        Action("rate", _("Rate (好差评)"), (REPLIED,), RATED, ("enterprise",)),
        Action("reopen", _("Reopen (重办)"), (RATED,), None, ("county_office",), needs_reason=True),
        Action("close", _("Close with an explanation"), (RATED,), CLOSED, ("county_office",), needs_reason=True),
        Action("archive", _("Archive (归档)"), (REPLIED, RATED, CLOSED), ARCHIVED, ("county_office", "handler")),
        Action("supervise", _("Supervise (督办)"), OPEN_STATES, None, ("county_office",), public=False),
        Action("unsupervise", _("End supervision"), OPEN_STATES, None, ("county_office",), public=False),
    ],
    field="state",
    state_refusal=_("“%(action)s” is not possible while the matter is “%(state)s”."),
)
ACTIONS = WORKFLOW.actions

ACTION_LABELS = {name: a.label for name, a in ACTIONS.items()}
ACTION_LABELS.update({"create": _("Received (登记)"), "flag_overdue": _("Overdue reminder")})

# The roles in words, for the reason a step is not open to someone ("Only the lead unit may do this").
WHO = {
    "receiver": pgettext_lazy("workflow actor", "the receiving unit"),
    "handler": pgettext_lazy("workflow actor", "the unit handling the matter"),
    "lead": pgettext_lazy("workflow actor", "the lead unit"),
    "participant": pgettext_lazy("workflow actor", "the units taking part"),
    "county_office": pgettext_lazy("workflow actor", "the county office"),
    "enterprise": pgettext_lazy("workflow actor", "the enterprise"),
}

# Official-side actions shown as buttons in the admin (the enterprise rates on the site).
OFFICIAL_ACTIONS = tuple(name for name, a in ACTIONS.items() if a.actors != ("enterprise",))


allowed_from = WORKFLOW.allowed_from
