"""Visits' rules (docs/security.md): each record is seen by whom its `visible_to(user)` names and
changed by the unit that owns it (the county office: every one)."""

import rules

from portal.rules import acts_for_its_unit, in_queryset, is_county_office, scoped, unit_path

visible = in_queryset("visits_visible", lambda user, manager: manager.visible_to(user))

# Appointments: a town sees other units' appointments with its enterprises, but only the unit
# that proposed one answers or changes it.
scoped("visits.view_appointment", visible)
scoped("visits.change_appointment", unit_path("appointment_own_unit", "unit_id"))

scoped("visits.view_visit", visible)
for _action in ("change", "delete"):
    scoped(f"visits.{_action}_visit", unit_path(f"visit_{_action}_own_unit", "unit_id"))

scoped("visits.view_meeting", visible)
for _action in ("change", "delete"):
    scoped(f"visits.{_action}_meeting", unit_path(f"meeting_{_action}_own_unit", "unit_id"))

for _kind, _path in (("visit", "visit.unit_id"), ("meeting", "meeting.unit_id")):
    scoped(f"visits.view_{_kind}problem", visible)
    for _action in ("change", "delete"):
        scoped(f"visits.{_action}_{_kind}problem", unit_path(f"{_kind}problem_{_action}_own_unit", _path))

# Financing needs: county-wide reading (a county leader: their key enterprises'), written by the
# enterprise's town and the county office only.
scoped("visits.view_financingneed", visible)
financing_editable = in_queryset("financingneed_editable", lambda user, manager: manager.editable_by(user))
for _action in ("change", "delete"):
    scoped(f"visits.{_action}_financingneed", financing_editable)


@rules.predicate
def attachment_visit_visible(user, attachment):
    from .models import Visit

    return attachment is not None and Visit.objects.visible_to(user).filter(pk=attachment.visit_id).exists()


scoped("visits.view_attachment", attachment_visit_visible)


# The county office sees every unit's visit coverage and names the county leaders' key enterprises.
rules.add_perm("visits.view_county_coverage", is_county_office)
rules.add_perm("visits.assign_county_leaders", is_county_office)


@rules.predicate
def official_is_county_leader(user, official):
    return official is not None and official.role == official.Role.COUNTY_LEADER


# 联系企业 of an official (the object): the county office manages every assignment (and alone the
# county leaders'); a unit's head and staff manage their own unit's cadres.
rules.add_perm(
    "visits.manage_assignments_of",
    is_county_office | (~official_is_county_leader & acts_for_its_unit & unit_path("assignee_in_own_unit", "unit_id")),
)
