"""Fails when the English catalogue misses, fuzzes or has not compiled a Dutch source string.

Without GNU gettext (a fresh machine) it checks the committed catalogue only; with it, it also
extracts the current source strings and fails on any the catalogue does not have yet.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
FIX = "Run scripts/translations, translate the new strings in locale/en and run it again."


def _key(entry: polib.POEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def _problems() -> list[str]:
    problems = []
    po = polib.pofile(str(PO))
    for entry in po:
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif not entry.translated():
            problems.append(f"untranslated: {entry.msgid!r}")
    compiled = {_key(e): (e.msgstr, e.msgstr_plural) for e in polib.mofile(str(MO))}
    for entry in po.translated_entries():
        if compiled.get(_key(entry)) != (entry.msgstr, entry.msgstr_plural):
            problems.append(f".mo is stale for {entry.msgid!r}")
            break
    if shutil.which("xgettext"):
        known = {_key(e) for e in po if not e.obsolete}
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "django.po"
            shutil.copy(PO, copy)
            try:
                subprocess.run(
                    [
                        sys.executable,
                        "manage.py",
                        "makemessages",
                        "-l",
                        "en",
                        "--no-location",
                        "-i",
                        "node_modules/*",
                        "-i",
                        ".venv/*",
                        "-i",
                        "staticfiles/*",
                    ],
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                )
                fresh = {_key(e) for e in polib.pofile(str(PO)) if not e.obsolete}
            finally:
                shutil.copy(copy, PO)
        problems += [f"not in the catalogue: {msgid!r}" for _, msgid in sorted(fresh - known)]
    else:
        print("  (xgettext not found: source strings not re-extracted)")
    return problems


def main() -> int:
    problems = _problems()
    if problems:
        print("\n".join(problems[:50]))
        print(f"{len(problems)} translation problem(s). {FIX}")
        return 1
    print("  English catalogue complete.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
