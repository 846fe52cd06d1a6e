"""The evaluation's rules (docs/security.md): the county office runs the campaigns and alone sees
who said what; the county leaders see every department's aggregates; a town's officials print
their own town's invitation letters."""

import rules

from portal.core.access import official_of
from portal.models import Unit
from portal.rules import is_county_leader, is_county_office

rules.add_perm("surveys.run_campaigns", is_county_office)
rules.add_perm("surveys.view_all_results", is_county_office | is_county_leader)


def letter_towns(user):
    """Towns whose paper invitation letters the user may print: every town for the county office,
    their own town for a town's officials (the unit they act for), none for anyone else."""
    if user is not None and user.has_perm("surveys.run_campaigns"):
        return Unit.objects.towns()
    official = official_of(user)
    if official is not None and official.unit.is_town and official.acts_for_its_unit:
        return Unit.objects.filter(pk=official.unit_id)
    return Unit.objects.none()
