"""The rulebook of the base: who may see and do what with units, enterprises, officials and
enterprise accounts (docs/security.md, "Rules").

Every app keeps its rules in its own `rules.py`; django-rules puts them behind Django's
`user.has_perm(perm, obj)` (settings.AUTHENTICATION_BACKENDS), which the admin, the pages,
downloads and imports all ask. A rule has two halves:

- the role grant: the model permission the user's role group holds (AppConfig.role_permissions,
  synced into groups), i.e. "may this role change enterprises at all";
- the scope: which objects, built on portal.core.access (who the user is) and the models'
  `visible_to(user)` / `editable_by(user)` querysets, so a list and a check never disagree.

Asked without an object, the rule answers as the role grant alone.
"""

import rules
from django.contrib.auth.backends import ModelBackend

from portal.core.access import acting_enterprise, official_of, sees_all_units

_model_backend = ModelBackend()


def role_grant(perm):
    """The model permission `perm` as the user's role group grants it (cached per request user)."""

    @rules.predicate(name=f"role_grant:{perm}")
    def granted(user):
        return bool(user.is_active and (user.is_superuser or perm in _model_backend.get_all_permissions(user)))

    return granted


@rules.predicate
def is_official(user):
    return official_of(user) is not None


@rules.predicate
def is_county_office(user):
    """县政府办 (and superusers): every unit's records."""
    return sees_all_units(user)


@rules.predicate
def is_unit_head(user):
    official = official_of(user)
    return bool(official and official.role == official.Role.UNIT_HEAD)


@rules.predicate
def is_town_official(user):
    official = official_of(user)
    return bool(official and official.unit.is_town)


def in_queryset(name, build):
    """The object is in `build(user)`, a `visible_to`/`editable_by` queryset: the list and the
    check share one definition. False without an object."""

    @rules.predicate(name=name)
    def member(user, obj):
        if obj is None or obj.pk is None:
            return False
        return build(user, type(obj)._default_manager).filter(pk=obj.pk).exists()

    return member


def unit_path(name, attribute):
    """The object's owning unit (reached by `attribute`, a dotted id path like "town_id" or
    "enterprise.town_id") is the user's own unit."""

    @rules.predicate(name=name)
    def own(user, obj):
        official = official_of(user)
        if obj is None or official is None:
            return False
        value = obj
        for part in attribute.split("."):
            value = getattr(value, part, None)
            if value is None:
                return False
        return value == official.unit_id

    return own


def scoped(perm, scope):
    """Register `perm` as: the role grants it AND (county office OR the object is in `scope`)."""
    rules.add_perm(perm, role_grant(perm) & (is_county_office | scope))


@rules.predicate
def acts_for_enterprise(user, enterprise):
    acting = acting_enterprise(user)
    return bool(acting and enterprise is not None and acting.pk == enterprise.pk)


# ---------------------------------------------------------------- units
own_unit = unit_path("own_unit", "pk")
scoped("portal.view_unit", is_official)
rules.add_perm("portal.add_unit", role_grant("portal.add_unit") & is_county_office)
# A unit head edits their own unit's harmless fields (UNIT_HEAD_EDITABLE_FIELDS); kind, name and
# the active flag decide scope and stay with the county office.
scoped("portal.change_unit", is_unit_head & own_unit)
rules.add_perm("portal.delete_unit", role_grant("portal.delete_unit") & is_county_office)
UNIT_HEAD_EDITABLE_FIELDS = ("remit", "principal_name", "principal_post", "address", "phone", "service_phone")

own_group_member = unit_path("own_group_member", "unit_id")
scoped("portal.view_leadinggroupmember", is_official)
for _action in ("add", "change", "delete"):
    scoped(f"portal.{_action}_leadinggroupmember", is_unit_head & own_group_member)

# ---------------------------------------------------------------- enterprises
enterprise_visible = in_queryset("enterprise_visible", lambda user, manager: manager.visible_to(user))
# Asked of the record as it stands and as an import or form would leave it (an unsaved town
# change), so read from the object: Enterprise.objects.editable_by is the same rule as a filter.
enterprise_in_own_town = unit_path("enterprise_in_own_town", "town_id")
scoped("portal.view_enterprise", enterprise_visible)
for _action in ("add", "change", "delete"):
    scoped(f"portal.{_action}_enterprise", enterprise_in_own_town)

account_in_town = unit_path("account_in_town", "enterprise.town_id")
for _action in ("view", "change", "delete"):
    scoped(f"portal.{_action}_enterpriseaccount", account_in_town)

# ---------------------------------------------------------------- officials
official_in_unit = unit_path("official_in_unit", "unit_id")
for _action in ("view", "change", "delete"):
    scoped(f"portal.{_action}_official", official_in_unit)


# Asked of an official-to-be too (imports): the county office names officials of any unit and
# role; anyone the role grant allows, only in their own unit and never a county-office role.
@rules.predicate
def names_a_county_office_official(user, obj):
    return bool(obj is not None and obj.role == obj.Role.COUNTY_OFFICE)


rules.add_perm(
    "portal.add_official",
    role_grant("portal.add_official") & (is_county_office | (official_in_unit & ~names_a_county_office_official)),
)

# ---------------------------------------------------------------- county-wide reference data
for _model in ("calendaradjustment", "financialinstitution", "searchsynonym", "searchdocument"):
    for _action in ("view", "add", "change", "delete"):
        rules.add_perm(f"portal.{_action}_{_model}", role_grant(f"portal.{_action}_{_model}"))

# ---------------------------------------------------------------- county-office functions
# Rules-only permissions (no model permission, no group grants them): asked without an object.
rules.add_perm("portal.read_audit_log", is_county_office)
rules.add_perm("portal.run_background_jobs", is_county_office)
rules.add_perm("portal.manage_county_settings", is_county_office)  # settings menu, calendar, go-live steps
rules.add_perm("portal.reset_second_factor", is_county_office)
# A unit's kind, name and active flag decide scope: the county office's alone.
rules.add_perm("portal.change_unit_scope", is_county_office)


@rules.predicate
def is_county_leader(user):
    official = official_of(user)
    return bool(official and official.role == official.Role.COUNTY_LEADER)


@rules.predicate
def acts_for_its_unit(user):
    """A unit's head or staff (a county leader acts for himself, not for the county government)."""
    official = official_of(user)
    return bool(official and official.acts_for_its_unit)


def rulebook_markdown():
    """Every rule registered by the apps' rules.py, as the Markdown table docs/security.md shows
    ("Every rule"); tests/security/test_rules_documented.py checks that the two agree."""
    from rules.permissions import permissions

    lines = ["| permission | rule |", "| --- | --- |"]
    for name in sorted(permissions):
        rule = permissions[name].name.replace("|", "\\|")  # escaped: a table cell, even in code
        lines.append(f"| `{name}` | `{rule}` |")
    return "\n".join(lines)
