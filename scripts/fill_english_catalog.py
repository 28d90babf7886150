"""Complete the English catalog: its source strings are already English.

Every empty msgstr gets its msgid (plural entries: msgstr[0] the msgid, the other forms the
msgid_plural) and the fuzzy flag is cleared; translations already written are left as they are.
A fuzzy entry's msgstr is only msgmerge's guess, copied from a similar but different msgid, so it
is replaced like an empty one. Run after ``makemessages`` (``make messages`` does both).
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "movilim" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _fill(entry: polib.POEntry) -> bool:
    """Fill ``entry``'s empty or guessed translations; return whether anything changed."""
    changed = False
    guessed = "fuzzy" in entry.flags
    if entry.msgid_plural:
        forms = dict(entry.msgstr_plural or {})
        for index in sorted(set(forms) | {0, 1}):
            if guessed or not forms.get(index):
                forms[index] = entry.msgid if index == 0 else entry.msgid_plural
                changed = True
        entry.msgstr_plural = forms
        entry.msgstr = ""
    elif guessed or not entry.msgstr:
        entry.msgstr = entry.msgid
        changed = True
    if guessed:
        entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
        entry.previous_msgctxt = None
        changed = True
    return changed


def main(path: Path = CATALOG) -> int:
    catalog = polib.pofile(str(path), wrapwidth=78)
    catalog.metadata_is_fuzzy = False
    catalog.metadata["Language"] = "en"
    filled = sum(_fill(entry) for entry in catalog if not entry.obsolete)
    catalog.save()
    print(f"{path}: {filled} entries filled, {len(catalog)} in all.")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else CATALOG))
