"""One rulebook (issue 12): every decision "may this user see / do this" is asked of the rules
(`user.has_perm(perm, obj)`, <app>/rules.py) or read from the access vocabulary (portal/core/access.py
and the models' `visible_to` / `editable_by` / `pickable_by` querysets). A hand-written role or
unit check anywhere else fails this test, so a new path cannot skip the rule.

What counts as a hand-written check (found by reading the code's syntax tree):
- calling `sees_all_units`, `has_role` or `is_county_office` (the role questions of portal.core.access);
- comparing anything's `.role` (an official's role) or an `Official.Role` member;
- asking `user.groups` (group membership instead of the rule);
- comparing an official's unit (`official.unit_id == …`, `unit_of(user) == …`) or reading its kind
  (`official.unit.is_town`, `.sees_everything`, `.acts_for_its_unit`).

Demo data builders (`demo.py`) are not access paths and are not read.

Where checks belong: portal/core/access.py (who the user is), every `rules.py` (the predicates), and the
methods of the models' QuerySet / Manager classes (the access vocabulary for lists).
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "policies", "guide", "visits", "liaison")
ROLE_QUESTIONS = {"sees_all_units", "has_role", "is_county_office"}
OFFICIAL_NAMES = {"official", "mine", "me", "by_official"}
OFFICIAL_CALLS = {"official_of", "unit_of"}
UNIT_ATTRIBUTES = {"unit", "unit_id"}
UNIT_KIND_ATTRIBUTES = {"is_town", "sees_everything", "acts_for_its_unit"}

# The places where a hand-written check is the rule itself, or is not about the user: (file,
# function) → why. Keep it short; a new entry needs a reason a reviewer accepts.
_ASSIGNEE = (
    "the assigned official's role chooses which 联系企业 rule applies (a county leader's 2–3 key "
    "enterprises, a cadre's own town): a rule about the record, not about who may act"
)
ALLOWED = {
    ("portal/core/access.py", "*"): "who the user is: the vocabulary every rule starts from",
    ("portal/models.py", "Official"): "the role vocabulary itself (Official.sees_everything, acts_for_its_unit)",
    ("portal/core/imports.py", "import_row"): "validates an imported official's row (a county-office role needs the "
    "county-office unit), not the importing user (whose rights "
    "has_perm checks per row)",
    ("portal/core/audit.py", "_official_post_save"): "records a role change (old role against new) in the audit log",
    ("visits/services.py", "check_leader_set"): _ASSIGNEE,
    ("visits/services.py", "check_cadre_remit"): _ASSIGNEE,
    ("visits/services.py", "assignment_create"): _ASSIGNEE,
    ("visits/services.py", "official_enterprises_set"): _ASSIGNEE,
    ("visits/admin.py", "LiaisonAssignmentForm"): _ASSIGNEE,
}


def _is_rules_module(relative):
    return relative.endswith("/rules.py") or relative == "rules.py"


def _name_of_call(node):
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def _mentions_official(node):
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and sub.id in OFFICIAL_NAMES:
            return True
        if isinstance(sub, ast.Call) and _name_of_call(sub) in OFFICIAL_CALLS:
            return True
    return False


def _an_officials_unit(node):
    """`official.unit_id`, `official.unit`, `unit_of(user)`, `official_of(user).unit.pk` …"""
    for sub in ast.walk(node):
        if isinstance(sub, ast.Call) and _name_of_call(sub) == "unit_of":
            return True
        if isinstance(sub, ast.Attribute) and sub.attr in UNIT_ATTRIBUTES and _mentions_official(sub.value):
            return True
    return False


def _is_role(node):
    if isinstance(node, ast.Attribute) and node.attr == "role":
        return True
    # Official.Role.UNIT_HEAD, Role.COUNTY_LEADER …
    return any(isinstance(sub, ast.Attribute) and sub.attr == "Role" for sub in ast.walk(node))


def _against_none(node):
    return all(isinstance(op, (ast.Is, ast.IsNot)) for op in node.ops) and any(
        isinstance(c, ast.Constant) and c.value is None for c in [node.left, *node.comparators]
    )


def _findings(node):
    """Hand-written checks directly in `node` (not descending into nested scopes)."""
    if isinstance(node, ast.Call):
        name = _name_of_call(node)
        if name in ROLE_QUESTIONS:
            yield f"asks {name}()"
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "groups"
            and func.attr in ("filter", "exists", "get")
        ):
            yield "asks user.groups"
    elif isinstance(node, ast.Compare):
        operands = [node.left, *node.comparators]
        if any(_is_role(operand) for operand in operands):
            yield "compares a role"
        elif _against_none(node):
            return  # "is this user an official at all": the vocabulary (portal.core.access.official_of)
        elif any(_an_officials_unit(operand) for operand in operands):
            yield "compares an official's unit"
    elif isinstance(node, ast.Attribute) and node.attr in UNIT_KIND_ATTRIBUTES and _mentions_official(node.value):
        yield f"reads the official's {node.attr}"


class _Walker(ast.NodeVisitor):
    def __init__(self, relative):
        self.relative, self.scope, self.found = relative, [], []

    def _allowed(self):
        if self.scope and self.scope[0][0] == "class" and self.relative.rsplit("/", 1)[-1].endswith("models.py"):
            class_name = self.scope[0][1]
            if class_name.endswith(("QuerySet", "Manager")):
                return True
        names = {name for _kind, name in self.scope}
        return (self.relative, "*") in ALLOWED or any((self.relative, name) in ALLOWED for name in names)

    def generic_visit(self, node):
        for finding in _findings(node):
            if not self._allowed():
                where = ".".join(name for _kind, name in self.scope) or "<module>"
                self.found.append(f"{self.relative}:{node.lineno} {where}: {finding}")
        super().generic_visit(node)

    def _scoped(self, kind, node):
        self.scope.append((kind, node.name))
        self.generic_visit(node)
        self.scope.pop()

    def visit_ClassDef(self, node):
        self._scoped("class", node)

    def visit_FunctionDef(self, node):
        self._scoped("def", node)

    visit_AsyncFunctionDef = visit_FunctionDef


def hand_written_checks():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/migrations/" in relative or _is_rules_module(relative) or relative.endswith("/demo.py"):
                continue
            walker = _Walker(relative)
            walker.visit(ast.parse(path.read_text(encoding="utf-8")))
            found += walker.found
    return found


def test_no_hand_written_role_or_unit_check_outside_the_rulebook():
    found = hand_written_checks()
    assert found == [], (
        "Ask the rule instead (user.has_perm(perm, obj), <app>/rules.py) or read the "
        "access vocabulary (visible_to / editable_by): \n" + "\n".join(found)
    )


def test_the_guard_sees_a_new_check():
    """The guard itself: each kind of hand-written check is found."""
    source = """
def view(request, obj):
    if sees_all_units(request.user):
        pass
    if official.role == Official.Role.UNIT_HEAD:
        pass
    if request.user.groups.filter(name="县政府办").exists():
        pass
    if obj.unit_id == official.unit_id:
        pass
    if official_of(request.user).unit.is_town:
        pass
"""
    walker = _Walker("liaison/views.py")
    walker.visit(ast.parse(source))
    kinds = [finding.split(": ", 1)[1] for finding in walker.found]
    assert kinds == [
        "asks sees_all_units()",
        "compares a role",
        "asks user.groups",
        "compares an official's unit",
        "reads the official's is_town",
    ]


def test_every_allowed_place_still_exists():
    """An allow-list entry whose function is gone is removed, so the list stays short and true."""
    for relative, name in ALLOWED:
        source = (ROOT / relative).read_text(encoding="utf-8")
        assert name == "*" or f"def {name}(" in source or f"class {name}" in source, (relative, name)
