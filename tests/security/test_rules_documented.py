"""docs/security.md's "Every rule" table is the rulebook itself, generated from the rules the apps
register (portal.rules.rulebook_markdown): a rule added, removed or changed without the document
fails here. Regenerate with
    ./manage.py shell -v 0 -c "from portal.rules import rulebook_markdown; print(rulebook_markdown())"
"""

from pathlib import Path

from portal.rules import rulebook_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "security.md"
BEGIN, END = "<!-- rules:begin (generated) -->", "<!-- rules:end -->"


def test_the_rules_table_in_the_security_document_is_the_rulebook():
    text = DOC.read_text(encoding="utf-8")
    assert BEGIN in text and END in text
    documented = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    expected = rulebook_markdown()
    assert documented == expected, "docs/security.md is out of date; paste:\n" + expected
