"""What an edit changed against the approved version, for the person who approves it.

`field_changes(approved, edited, fields)` compares two objects of one model field by field
(values as the page shows them) and returns only the fields that differ; long texts carry a
word-level diff (removed text struck through, added text underlined) so a reviewer sees the
three changed characters of a 2,000-character 申请条件 rather than two walls of text.
"""

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# Chinese has no spaces: compare by character runs (a word, a number, one CJK character, a space).
TOKEN = re.compile(r"[A-Za-z0-9_.]+|\s+|.", re.S)


@dataclass
class Change:
    label: str
    before: str
    after: str

    @property
    def diff_html(self):
        """The edit inline: <del> for what went, <ins> for what came."""
        old, new = TOKEN.findall(self.before), TOKEN.findall(self.after)
        parts = []
        for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
            if op in ("delete", "replace"):
                parts.append(f"<del>{escape(''.join(old[i1:i2]))}</del>")
            if op in ("insert", "replace"):
                parts.append(f"<ins>{escape(''.join(new[j1:j2]))}</ins>")
            if op == "equal":
                parts.append(escape("".join(old[i1:i2])))
        return mark_safe("".join(parts))


def display(obj, name):
    """A field's value as text: choices by their label, lists joined, empty as “—”."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if field.choices and not isinstance(value, (list, tuple)):
        value = getattr(obj, f"get_{name}_display")()
    elif isinstance(value, (list, tuple)):
        value = "、".join(str(dict(getattr(field, "base_field", field).choices or []).get(v, v)) for v in value)
    elif isinstance(value, bool):
        value = _("yes") if value else _("no")
    return "—" if value in (None, "") else str(value)


def field_changes(approved, edited, fields):
    return [
        Change(str(approved._meta.get_field(name).verbose_name), display(approved, name), display(edited, name))
        for name in fields
        if display(approved, name) != display(edited, name)
    ]


def lines_change(label, before_lines, after_lines):
    """A list of child rows (materials, steps) as one text per row; None when unchanged."""
    before, after = "\n".join(before_lines), "\n".join(after_lines)
    return Change(label, before or "—", after or "—") if before != after else None
