"""Policies' rules (docs/security.md): a unit's staff write its drafts; its head also changes,
publishes and withdraws its published documents; the county office all of them."""

import rules

from portal.rules import is_county_office, is_unit_head, role_grant, scoped, unit_path

from .models import Policy

policy_of_own_unit = unit_path("policy_of_own_unit", "unit_id")


@rules.predicate
def is_draft(user, policy):
    """Not yet published (or not yet saved)."""
    return policy is not None and (policy.pk is None or policy.status == Policy.Status.DRAFT)


scoped("policies.change_policy", policy_of_own_unit & (is_draft | is_unit_head))
scoped("policies.publish_policy", policy_of_own_unit & is_unit_head)
# Published records are withdrawn, never deleted (not even by the county office).
rules.add_perm(
    "policies.delete_policy", role_grant("policies.delete_policy") & is_draft & (is_county_office | policy_of_own_unit)
)


@rules.predicate
def attachment_policy_visible(user, attachment):
    """The attachment's policy is one the user may open (Policy.objects.visible_to): published
    ones for everyone, drafts for their unit and the county office."""
    return attachment is not None and Policy.objects.visible_to(user).filter(pk=attachment.policy_id).exists()


rules.add_perm("policies.view_attachment", attachment_policy_visible)

# The county office watches the site's freshness (政府网站 inspection: something new every two weeks).
rules.add_perm("policies.watch_publication", is_county_office)
