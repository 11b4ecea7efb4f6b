"""Translation catalogs stay complete: `make check` fails on drift, `make messages` updates.

Check: extracting the messages again would change no msgid in locale/ar or locale/en, and every
entry of both has a translation that is not fuzzy. Update: re-extract, fill English entries with
their source text (English is the source language), and list the Arabic entries left to translate.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
LANGUAGES = ["ar", "en"]
DOMAINS = ["django"]
IGNORE = [".venv", ".tools", "node_modules", "var", "bench", "docs", "scripts"]


def extract() -> None:
    command = [sys.executable, "manage.py", "makemessages", "--no-location", "--no-obsolete", "-v0"]
    for language in LANGUAGES:
        command += ["-l", language]
    for pattern in IGNORE:
        command += ["--ignore", pattern]
    subprocess.run(command, cwd=ROOT, check=True)


def msgids(path: Path) -> set[tuple[str, str]]:
    if not path.exists():
        return set()
    return {
        (entry.msgctxt or "", entry.msgid)
        for entry in polib.pofile(str(path))
        if not entry.obsolete
    }


def untranslated(path: Path) -> list[str]:
    problems = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif entry.msgid_plural:
            if not entry.msgstr_plural or not all(entry.msgstr_plural.values()):
                problems.append(f"untranslated plural: {entry.msgid!r}")
        elif not entry.msgstr:
            problems.append(f"untranslated: {entry.msgid!r}")
    return problems


ARABIC_PLURALS = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5;"
)


def fix_header(path: Path, language: str) -> None:
    """A fuzzy header makes msgfmt drop it (and the plural rules with it)."""
    catalog = polib.pofile(str(path))
    catalog.metadata_is_fuzzy = False
    catalog.metadata["Language"] = language
    catalog.metadata["Content-Type"] = "text/plain; charset=UTF-8"
    if language == "ar":
        catalog.metadata["Plural-Forms"] = ARABIC_PLURALS
    catalog.save()


def fill_english(path: Path) -> None:
    """English is the source language: every English entry is its own msgid.

    (gettext's fuzzy matching would otherwise carry a similar string's text into a new entry:
    "Volunteer" once came out as "Volunteer team".)
    """
    catalog = polib.pofile(str(path))
    for entry in catalog:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = None
        entry.previous_msgid_plural = None
    catalog.save()


def english_mismatches(path: Path) -> list[str]:
    problems = []
    for entry in polib.pofile(str(path)):
        if entry.obsolete:
            continue
        expected = {0: entry.msgid, 1: entry.msgid_plural} if entry.msgid_plural else None
        actual = entry.msgstr_plural if entry.msgid_plural else entry.msgstr
        if (expected or entry.msgid) != actual:
            problems.append(f"differs from its source text: {entry.msgid!r}")
    return problems


def po_path(language: str, domain: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{domain}.po"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args()

    if args.update:
        extract()
        for domain in DOMAINS:
            fill_english(po_path("en", domain))
            for language in LANGUAGES:
                fix_header(po_path(language, domain), language)
        problems = untranslated(po_path("ar", "django"))
        for problem in problems:
            print(f"ar {problem}")
        print(f"{len(problems)} Arabic entries to translate in {po_path('ar', 'django')}")
        return 0

    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        saved = Path(tmp) / "locale"
        shutil.copytree(LOCALE, saved)
        try:
            extract()
            for language in LANGUAGES:
                for domain in DOMAINS:
                    relative = po_path(language, domain).relative_to(LOCALE)
                    before, after = msgids(saved / relative), msgids(LOCALE / relative)
                    for missing in sorted(after - before):
                        failures.append(f"{language}: not in the catalog: {missing[1]!r}")
                    for stale in sorted(before - after):
                        failures.append(f"{language}: no longer used: {stale[1]!r}")
        finally:
            shutil.rmtree(LOCALE)
            shutil.copytree(saved, LOCALE)
    for language in LANGUAGES:
        for domain in DOMAINS:
            failures += [f"{language}: {p}" for p in untranslated(po_path(language, domain))]
    for domain in DOMAINS:
        failures += [f"en: {p}" for p in english_mismatches(po_path("en", domain))]
    if failures:
        print("Translation catalogs are out of date (run `make messages`, then translate):")
        for failure in failures[:100]:
            print(f"  {failure}")
        if len(failures) > 100:
            print(f"  … and {len(failures) - 100} more")
        return 1
    print("Translation catalogs are complete for ar and en.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
