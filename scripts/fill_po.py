"""Fill a .po catalogue from a Python dict of translations (a translator's helper, not run
by the portal): python scripts/fill_po.py CATALOGUE.po TRANSLATIONS.py"""

import runpy
import sys

import polib


def main(po_path, dict_path):
    translations = runpy.run_path(dict_path)["T"]
    po = polib.pofile(po_path)
    missing = []
    for entry in po:
        key = (entry.msgid, entry.msgid_plural) if entry.msgid_plural else entry.msgid
        value = translations.get(key)
        if value is None:
            if not (entry.msgstr or entry.msgstr_plural.get(0)):
                missing.append(entry.msgid)
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {0: value}
        else:
            entry.msgstr = value
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    po.save()
    for msgid in missing:
        print("untranslated:", msgid)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
