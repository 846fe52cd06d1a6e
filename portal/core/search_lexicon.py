"""The government-services lexicon (政务服务词表) shipped with the portal as data.

portal/data/search_lexicon.txt lists what people type and the official terms it should also
find. It seeds the synonym table (搜索即服务) that the county office edits in the admin: by a
data migration when the portal is installed and by `manage.py load_search_lexicon` after an
upgrade. This module only reads the file (no models), so a migration may import it.
"""

import re
from pathlib import Path

LEXICON_FILE = Path(__file__).resolve().parent.parent / "data" / "search_lexicon.txt"
_SEPARATORS = re.compile(r"[、;；,，]+")


def lexicon_entries(path=LEXICON_FILE):
    """[(term, "official、official"), ...] in file order; comments and blank lines skipped."""
    entries = {}
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        term, sep, officials = line.partition("\t")
        term, officials = term.strip(), "、".join(t.strip() for t in _SEPARATORS.split(officials) if t.strip())
        if not sep or not term or not officials:
            raise ValueError(f"{path}:{number}: expected 'term<TAB>official terms', got {line!r}")
        entries[term] = officials
    return list(entries.items())


def load_lexicon(synonym_model, *, replace=False, replace_if=None):
    """Add the file's entries to the synonym table; with `replace`, also overwrite the official
    terms of entries already there, or only of those still as `replace_if` ({term: official
    terms}, e.g. an earlier shipped default) says. The county office's own entries are never
    deleted. Returns (added, updated)."""
    existing = {s.term: s for s in synonym_model.objects.all()}
    added, updated = [], []
    for term, officials in lexicon_entries():
        synonym = existing.get(term)
        if synonym is None:
            added.append(synonym_model(term=term, official_terms=officials))
        elif synonym.official_terms != officials and (
            replace or (replace_if or {}).get(term) == synonym.official_terms
        ):
            synonym.official_terms = officials
            updated.append(synonym)
    synonym_model.objects.bulk_create(added)
    synonym_model.objects.bulk_update(updated, ["official_terms"])
    return len(added), len(updated)
