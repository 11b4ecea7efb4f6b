"""Write the API's OpenAPI document, or check that a saved copy still matches the code.

    manage.py export_openapi docs/openapi.json          # write it
    manage.py export_openapi --check docs/openapi.json  # exit 1 with a diff summary if it drifted

The output is deterministic (sorted keys, indent 2, trailing newline, English), so the snapshot
in git changes exactly when the API does.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from ninja.responses import NinjaJSONEncoder

MAX_DIFF_LINES = 40


def openapi_document() -> str:
    from ataa.api.v1.api import api

    with translation.override("en"):
        schema = api.get_openapi_schema()
    # A round trip turns the integer status codes into the strings JSON has, so keys can sort.
    schema = json.loads(json.dumps(schema, cls=NinjaJSONEncoder))
    return json.dumps(schema, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI document of /api/v1 to PATH, or --check that PATH is up to date."

    def add_arguments(self, parser):
        parser.add_argument("path", help="Where the document is (e.g. docs/openapi.json).")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit 1 with a summary of the differences if PATH is out of date.",
        )

    def handle(self, *args, path: str, check: bool, **options):
        target = Path(path)
        document = openapi_document()
        if not check:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(document, encoding="utf-8")
            self.stdout.write(f"Wrote {target}.")
            return
        saved = target.read_text(encoding="utf-8") if target.exists() else ""
        if saved == document:
            self.stdout.write(f"{target} is up to date.")
            return
        self.stderr.write(self.drift_summary(target, saved, document))
        raise CommandError(
            f"{target} does not match the API. Run `make openapi` and commit the result."
        )

    def drift_summary(self, target: Path, saved: str, document: str) -> str:
        if not saved:
            return f"{target} is missing or empty."
        diff = list(
            difflib.unified_diff(
                saved.splitlines(),
                document.splitlines(),
                fromfile=f"{target} (saved)",
                tofile=f"{target} (from the code)",
                lineterm="",
                n=1,
            )
        )
        added = sum(1 for line in diff if line.startswith("+") and not line.startswith("+++"))
        removed = sum(1 for line in diff if line.startswith("-") and not line.startswith("---"))
        old_paths = set(_paths(saved))
        new_paths = set(_paths(document))
        lines = [f"{target}: {added} line(s) added, {removed} removed."]
        lines += [f"  new path: {path}" for path in sorted(new_paths - old_paths)]
        lines += [f"  removed path: {path}" for path in sorted(old_paths - new_paths)]
        lines += diff[:MAX_DIFF_LINES]
        if len(diff) > MAX_DIFF_LINES:
            lines.append(f"… and {len(diff) - MAX_DIFF_LINES} more diff lines.")
        return "\n".join(lines)


def _paths(document: str) -> list[str]:
    try:
        return list(json.loads(document).get("paths", {}))
    except (ValueError, AttributeError):
        return []
