"""One way to move a record through its workflow.

Each app writes its workflow down once, as a `Workflow` of `Action`s (liaison/workflow.py is
the model): the states an action may start from, the state it leads to, who may perform it
and whether it needs a reason. `transition()` is the only code that changes such a status:
it locks the row, checks the action, applies the app's own changes, writes the new state and
records who, when and why in `TransitionLog`. Anything else is refused with `ActionRefused`,
the one domain exception, whose message is fit to show to the user. (Matters keep their own,
richer log, MatterEvent, and use `Workflow.check` the same way.)
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class ActionRefused(ValidationError):
    """A refusal of the domain (a step the workflow does not allow, a missing reason...). A
    ValidationError, so forms and views that show validation errors show it as well."""

    def __init__(self, message, code="refused"):
        super().__init__(message, code=code)

    def __str__(self):
        return str(self.message)


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple
    target: str | None  # None: the state stays (or the app's `apply` decides it)
    actors: tuple = ()  # the roles that may act; () when the app checks permissions itself
    needs_reason: bool = False
    public: bool = True  # shown to the enterprise, where the app has such a timeline
    refusal: str = ""  # the message when the state does not allow it (else the workflow's)


class Workflow:
    """An app's table of actions over one state field."""

    def __init__(
        self,
        states,
        actions,
        *,
        field="status",
        state_refusal=gettext_lazy("“%(action)s” is not possible while the state is “%(state)s”."),
    ):
        self.states = states  # the TextChoices: the one list of this workflow's states
        self.actions = {a.name: a for a in actions}
        self.field = field
        self.state_refusal = state_refusal
        unknown = {s for a in actions for s in (*a.sources, a.target) if s is not None} - set(states.values)
        assert not unknown, f"states not in {states.__name__}: {unknown}"

    def label(self, state):
        return dict(self.states.choices).get(state, state)

    def __getitem__(self, name):
        return self.actions[name]

    def allowed_from(self, state):
        """Actions that may start from `state` (whoever the actor)."""
        return [a for a in self.actions.values() if state in a.sources]

    def predecessors(self, name, state):
        """Actions that may start from `state` and lead to a state `name` may start from."""
        spec = self.actions[name]
        return [
            a for a in self.allowed_from(state) if a.target is not None and a.target in spec.sources and a.name != name
        ]

    def why_not(self, name, *, state, kinds, who):
        """Why someone holding `kinds` may not perform `name` from `state` ("" when they may),
        in words for the button that stays grey: the roles that may ("Only the lead unit may
        do this"; `who` names each role), or the step that must come first ("First: Accept")."""
        spec = self.actions[name]
        if not set(kinds) & set(spec.actors):
            names = "、".join(str(who[k]) for k in spec.actors if k in who)
            return _("Only %(who)s may do this.") % {"who": names}
        if state not in spec.sources:
            first = [a for a in self.predecessors(name, state) if set(kinds) & set(a.actors)] or self.predecessors(
                name, state
            )
            if first:
                return _("First: %(action)s.") % {"action": "、".join(str(a.label) for a in first)}
            return str(spec.refusal or self.state_refusal) % {
                "action": spec.label,
                "state": self.label(state),
                "target": self.label(spec.target or state),
            }
        return ""

    def check(self, name, *, state, kinds=None, reason=""):
        """The action `name` if it may start from `state` for someone holding `kinds` (None:
        the caller checked who may act) with `reason`; else ActionRefused."""
        spec = self.actions.get(name)
        if spec is None:
            raise ActionRefused(_("Unknown action."), "unknown")
        if state not in spec.sources:
            raise ActionRefused(
                str(spec.refusal or self.state_refusal)
                % {"action": spec.label, "state": self.label(state), "target": self.label(spec.target or state)},
                "state",
            )
        if kinds is not None and not set(kinds) & set(spec.actors):
            raise ActionRefused(
                _("You may not perform “%(action)s” on this matter.") % {"action": spec.label}, "permission"
            )
        if spec.needs_reason and not (reason or "").strip():
            raise ActionRefused(_("Please give a reason or text for “%(action)s”.") % {"action": spec.label}, "reason")
        return spec


def transition(obj, workflow, action, *, user=None, reason="", kinds=None, apply=None, actor_name=""):
    """Perform `action` on `obj`: lock its row, check, call `apply(locked_obj)` (the app's own
    changes; returns the names of the fields it changed), write the new state, record the
    transition. Returns the locked, updated object."""
    with transaction.atomic():
        model = type(obj)
        locked = model._default_manager.select_for_update().get(pk=obj.pk)
        field = workflow.field
        from_state = getattr(locked, field)
        spec = workflow.check(action, state=from_state, kinds=kinds, reason=reason)
        changed = set(apply(locked) or ()) if apply else set()
        to_state = spec.target or getattr(locked, field)
        setattr(locked, field, to_state)
        changed.add(field)
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            changed.add("updated_at")
        locked.save(update_fields=sorted(changed))
        record(
            locked,
            action=action,
            from_state=from_state,
            to_state=to_state,
            user=user,
            reason=reason,
            actor_name=actor_name,
        )
        return locked


def transition_all(queryset, workflow, action, *, user=None, reason="", **changes):
    """Perform `action` on every row of `queryset` that may take it (a whole edition's items at
    once): one UPDATE with `changes`, one log row each. Returns how many moved."""
    spec = workflow[action]
    field = workflow.field
    with transaction.atomic():
        rows = list(queryset.filter(**{f"{field}__in": spec.sources}).select_for_update().values_list("pk", field))
        if not rows:
            return 0
        model = queryset.model
        model._default_manager.filter(pk__in=[pk for pk, _state in rows]).update(**{field: spec.target, **changes})
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        authenticated = getattr(user, "is_authenticated", False)
        TransitionLog.objects.bulk_create(
            [
                TransitionLog(
                    content_type=content_type,
                    object_id=pk,
                    action=action,
                    from_state=state,
                    to_state=spec.target,
                    actor=user if authenticated else None,
                    actor_name=user.get_username() if authenticated else "",
                    reason=(reason or "").strip(),
                )
                for pk, state in rows
            ]
        )
        return len(rows)


def record(obj, *, action, from_state, to_state, user=None, reason="", actor_name=""):
    authenticated = getattr(user, "is_authenticated", False)
    return TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=obj.pk,
        action=action,
        from_state=from_state or "",
        to_state=to_state,
        actor=user if authenticated else None,
        actor_name=actor_name or (user.get_username() if authenticated else ""),
        reason=(reason or "").strip(),
    )


def history_of(obj):
    """The recorded transitions of `obj`, oldest first."""
    return TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=obj.pk
    )


class TransitionLog(models.Model):
    """Who moved which record from which state to which, when and why (every workflow but the
    matters', which have MatterEvent)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, verbose_name=gettext_lazy("kind"))
    object_id = models.PositiveBigIntegerField(gettext_lazy("record"))
    subject = GenericForeignKey("content_type", "object_id")
    action = models.CharField(gettext_lazy("action"), max_length=40)
    from_state = models.CharField(gettext_lazy("from state"), max_length=30, blank=True)
    to_state = models.CharField(gettext_lazy("to state"), max_length=30)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=gettext_lazy("by"),
    )
    actor_name = models.CharField(gettext_lazy("by (name)"), max_length=150, blank=True)
    reason = models.TextField(gettext_lazy("reason"), blank=True)
    created_at = models.DateTimeField(gettext_lazy("when"), default=timezone.now)

    class Meta:
        app_label = "portal"
        ordering = ["created_at", "pk"]
        verbose_name = gettext_lazy("status change")
        verbose_name_plural = gettext_lazy("status changes")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="transitionlog_subject")]

    def __str__(self):
        return f"{self.action}: {self.from_state} → {self.to_state}"
