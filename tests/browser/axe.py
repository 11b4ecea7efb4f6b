"""axe-core in the browser tests: injected from node_modules (never a URL), WCAG 2.0/2.1 A and AA.

The Arabic contrast fix
-----------------------
axe-core's `color-contrast-matches` (the function that decides which elements the color-contrast
rule looks at) skips every text node that `isIconLigature` takes for an icon font: it draws the
first character on a canvas, then the whole text, and calls the text a ligature when the pixels
and the width differ by 15 % or more from the character-by-character rendering. Joined Arabic
letters take different (initial, medial, final) shapes and are narrower than the isolated letters,
so Arabic text fails that test like "material-icons" does. The verdict is also cached per
font-family: once the first three text nodes of a font stack look like ligatures, *every* text in
that font stack, Arabic or English, is skipped. On an Arabic page, axe therefore checks the
contrast of nothing at all (the rule comes back "inapplicable").

The ligature test sits in the rule's `matches` function, not in a check, so no check option turns
it off. The narrowest override: keep axe's own `color-contrast-matches`, and only while it looks at
an element whose own text contains Arabic letters, tell the ligature cache (`axe._cache`, key
"fonts") that this element's font-family has been measured and is no icon font. The entry is put
back afterwards, so Arabic text never teaches the cache that the font stack is an icon font, and
text without Arabic letters is judged by axe exactly as before.
`tests/browser/test_axe_arabic_contrast.py` proves both halves (and fails without this fix).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.conf import settings

AXE_PATH = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}

ARABIC_CONTRAST_FIX = r"""
(() => {
  const rule = axe._audit && axe._audit.rules.find((r) => r.id === 'color-contrast');
  if (!rule || !axe._cache || typeof axe._cache.get !== 'function') {
    throw new Error('axe-core changed: update the Arabic contrast fix in tests/browser/axe.py');
  }
  if (rule.matches.ataaArabic) { return; }
  const stockMatches = rule.matches;
  const ARABIC = /\p{Script=Arabic}/u;
  const hasArabicText = (node) => Array.from(node.childNodes).some(
    (child) => child.nodeType === Node.TEXT_NODE && ARABIC.test(child.nodeValue)
  );
  const matches = function (node, virtualNode, context) {
    if (!hasArabicText(node)) {
      return stockMatches.call(this, node, virtualNode, context);
    }
    const fonts = axe._cache.get('fonts', () => ({}));
    const family = window.getComputedStyle(node).getPropertyValue('font-family');
    const had = Object.prototype.hasOwnProperty.call(fonts, family);
    const saved = fonts[family];
    // "Measured often enough, never a ligature": isIconLigature() answers false at once.
    fonts[family] = { occurrences: Number.POSITIVE_INFINITY, numLigatures: 0 };
    try {
      return stockMatches.call(this, node, virtualNode, context);
    } finally {
      if (had) { fonts[family] = saved; } else { delete fonts[family]; }
    }
  };
  matches.ataaArabic = true;
  axe.configure({ rules: [{ id: 'color-contrast', matches }] });
})();
"""


@cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        raise RuntimeError(f"{AXE_PATH} is missing: run `npm ci` (make test does).")
    return AXE_PATH.read_text(encoding="utf-8")


def inject_axe(page, *, arabic_contrast_fix: bool = True) -> None:
    """Load axe-core into the page (once per document) and apply the Arabic contrast fix."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    if arabic_contrast_fix:
        page.evaluate(ARABIC_CONTRAST_FIX)


def run_axe(page, *, rules: list[str] | None = None, arabic_contrast_fix: bool = True) -> dict:
    """Run axe on the page; return its raw results (violations and passes)."""
    inject_axe(page, arabic_contrast_fix=arabic_contrast_fix)
    run_only = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": AXE_TAGS}
    options = {"runOnly": run_only, "resultTypes": ["violations"]}
    return page.evaluate(
        "async (options) => { const r = await axe.run(document, options);"
        " return {violations: r.violations, passes: r.passes.map((p) => p.id)}; }",
        options,
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"]:
            target = " ".join(json.dumps(part, ensure_ascii=False) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


def serious_violations(results: dict) -> list[dict]:
    return [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]


def axe_check(page, label: str) -> None:
    """Fail the test on any serious or critical WCAG 2.0/2.1 A/AA violation on the page."""
    violations = serious_violations(run_axe(page))
    if violations:
        raise AssertionError(
            f"axe: {len(violations)} serious/critical violation(s) on {label} ({page.url}):\n"
            + format_violations(violations)
        )
