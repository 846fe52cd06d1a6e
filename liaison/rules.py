"""Liaison's rules (docs/security.md): a matter and its files are seen by whom
`Matter.objects.visible_to(user)` names — the single matter access rule."""

import rules

from portal.core.access import acting_enterprise, official_of, sees_all_units
from portal.rules import in_queryset, is_county_office, is_official, scoped

from .models import Matter

matter_visible = in_queryset("matter_visible", lambda user, manager: manager.visible_to(user))
scoped("liaison.view_matter", matter_visible)


@rules.predicate
def attachment_matter_visible(user, attachment):
    return attachment is not None and Matter.objects.visible_to(user).filter(pk=attachment.matter_id).exists()


@rules.predicate
def attachment_is_public(user, attachment):
    return attachment is not None and attachment.is_public


# Officials open every file of a matter they see; an enterprise only the files marked public of
# its own matters (the tracking-number session grant is checked by the download view itself).
rules.add_perm("liaison.view_matterattachment", attachment_matter_visible & (is_official | attachment_is_public))


# The county office's review queue and the figures of every unit.
rules.add_perm("liaison.view_review_queue", is_county_office)
rules.add_perm("liaison.view_county_figures", is_county_office)


# ---------------------------------------------------------------- who acts in a matter's workflow
def _inside_government(user):
    return getattr(user, "is_authenticated", False) and (
        user.is_staff or user.is_superuser or official_of(user) is not None
    )


def actor_kinds_on_any_matter(user):
    """The workflow roles that do not depend on the matter: the county office's (and a
    superuser's every official role). The review queue reads them once for all its rows."""
    kinds = {"county_office"} if sees_all_units(user) else set()
    if getattr(user, "is_superuser", False):
        kinds |= {"receiver", "handler", "lead", "participant"}
    return kinds


def actor_kinds(matter, user, *, tracking_grant=False):
    """The workflow roles (see workflow.py) `user` holds on `matter`: the rule behind every
    transition (services.available_actions and the base workflow helper ask it)."""
    kinds = set()
    # The query code speaks for the enterprise only in the hands of someone outside the
    # government: an official who learnt it (e.g. recording a phone call) never rates.
    if tracking_grant and not _inside_government(user):
        kinds.add("enterprise")
    if getattr(user, "is_authenticated", False):
        if sees_all_units(user):
            kinds.add("county_office")
        if user.is_superuser:
            kinds.update({"receiver", "handler", "lead", "participant"})
        official = official_of(user)
        if official is not None and official.acts_for_its_unit:
            unit_id = official.unit_id
            if unit_id == matter.received_by_id:
                kinds.update({"receiver", "participant"})
            if matter.lead_unit_id and unit_id == matter.lead_unit_id:
                kinds.update({"lead", "participant"})
            if unit_id == (matter.lead_unit_id or matter.received_by_id):
                kinds.add("handler")
            if "participant" not in kinds and matter.cooperations.filter(unit_id=unit_id).exists():
                kinds.add("participant")
        enterprise = acting_enterprise(user)
        if enterprise is not None and matter.enterprise_id == enterprise.pk:
            kinds.add("enterprise")
    return kinds
