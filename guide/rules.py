"""The guide's rules (docs/security.md): a department edits its own service items; the county
office every department's."""
from portal.rules import scoped, unit_path

item_of_own_department = unit_path("serviceitem_of_own_department", "department_id")
for _action in ("change", "delete"):
    scoped(f"guide.{_action}_serviceitem", item_of_own_department)
