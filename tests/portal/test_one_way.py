"""One way to change a workflow's state: through its transition service (portal.core.workflow, or
liaison's matter_transition). This test reads the code: a new direct write of a `status` or
`state` fails here until it goes through the workflow or is listed below with its reason."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["portal", "policies", "guide", "visits", "liaison"]
WRITE = re.compile(r"\.(status|state)\s*=(?!=)|\.update\([^)]*\b(status|state)\s*=")

# file → why a direct write is right there
ALLOWED = {
    "liaison/services.py": "matter_transition and the steps it applies (resume, reopen decide the state)",
    "policies/imports.py": "an import records documents published elsewhere, as published",
    "policies/demo.py": "demo data made in its final state",
    "guide/demo.py": "demo data made in its final state",
    "guide/admin.py": "a new item starts as a draft (its creation, no transition)",
}


def _writes():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            relative = path.relative_to(ROOT).as_posix()
            # Comments dropped, then the whole file: a call may span lines (`.update(\n status=...)`).
            code = "\n".join(line.split("#", 1)[0] for line in path.read_text().splitlines())
            for match in WRITE.finditer(code):
                number = code.count("\n", 0, match.start()) + 1
                yield relative, number, code.splitlines()[number - 1].strip()


def test_no_state_is_written_outside_the_transition_services():
    stray = [f"{path}:{number}: {line}" for path, number, line in _writes() if path not in ALLOWED]
    assert not stray, "write the state through the app's workflow (portal.core.workflow.transition):\n" + "\n".join(
        stray
    )


def test_every_allowed_exception_is_still_needed():
    used = {path for path, _number, _line in _writes()}
    assert set(ALLOWED) <= used, f"no longer writing a state, drop from ALLOWED: {set(ALLOWED) - used}"


def test_no_admin_form_edits_a_workflow_state(rf, admin_user):
    """The admin shows a record's state but moves it only through its actions (which call the
    transition services): no change form has an editable `status` or `state` field."""
    from django.contrib import admin
    from django.core.exceptions import ObjectDoesNotExist

    request = rf.get("/admin/")
    request.user = admin_user
    editable = []
    for model, model_admin in admin.site._registry.items():
        names = {f.name for f in model._meta.concrete_fields if f.name in ("status", "state") and f.choices}
        if not names:
            continue
        try:
            form = model_admin.get_form(request, model(), change=True)
        except ObjectDoesNotExist:  # an admin that reads the record's relations: its add form then
            form = model_admin.get_form(request, None)
        editable += [f"{model._meta.label}.{name}" for name in names if name in form.base_fields]
    assert not editable, f"a workflow state is edited directly in the admin: {editable}"
