"""The guide's rules (docs/security.md): a department edits its own service items; the county
office every department's."""

import rules

from portal.rules import is_county_office, scoped, unit_path

item_of_own_department = unit_path("serviceitem_of_own_department", "department_id")
for _action in ("change", "delete"):
    scoped(f"guide.{_action}_serviceitem", item_of_own_department)


@rules.predicate
def material_item_visible(user, material):
    """The material's item is one the user may see (ServiceItem.objects.visible_to): published
    items for everyone, the others for their department and the county office."""
    from .models import ServiceItem

    return material is not None and ServiceItem.objects.visible_to(user).filter(pk=material.item_id).exists()


rules.add_perm("guide.view_material", material_item_visible)


# The county office approves or returns the departments' submissions (and alone changes a
# submitted or withdraws a published item), and manages the editions.
rules.add_perm("guide.approve_serviceitem", is_county_office)
rules.add_perm("guide.manage_guideedition", is_county_office)
