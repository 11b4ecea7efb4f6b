"""axe-core must check the contrast of Arabic text (see tests/browser/axe.py for why it did not).

Run without the fix (ARABIC_CONTRAST_FIX not applied), the first test fails: axe reports the
color-contrast rule "inapplicable" on an all-Arabic page.
"""

import pytest

from tests.browser.axe import run_axe

pytestmark = pytest.mark.browser

PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>اختبار التباين</title>
<style>
  body {{ font-family: "Noto Naskh Arabic", "Noto Sans Arabic", sans-serif; background: #ffffff;
         color: #1b1f23; }}
  .probe {{ color: {color}; }}
</style></head>
<body><main>
  <h1>منصة عطاء للعمل الخيري</h1>
  <p>سجل جمعيتك وادع فريقك للعمل معا على نظام واحد.</p>
  <p>ابحث عن فرص التطوع التي تناسبك وسجل ساعاتك.</p>
  <p>تابع المشاريع التي تدعمها وشاهد أثرها.</p>
  <p class="probe" id="probe">هذه الجملة العربية مكتوبة بلون فاتح على خلفية بيضاء</p>
</main></body></html>"""

LOW_CONTRAST = "#aaaaaa"  # 2.3:1 on white
GOOD_CONTRAST = "#4a5560"  # 7.4:1 on white


def contrast_violations(page, color: str, *, fix: bool = True) -> list[list[str]]:
    page.set_content(PAGE.format(color=color))
    results = run_axe(page, rules=["color-contrast"], arabic_contrast_fix=fix)
    return [node["target"] for v in results["violations"] for node in v["nodes"]]


def test_low_contrast_arabic_text_is_a_violation(page):
    assert contrast_violations(page, LOW_CONTRAST) == [["#probe"]]


def test_good_contrast_arabic_text_passes(page):
    page.set_content(PAGE.format(color=GOOD_CONTRAST))
    results = run_axe(page, rules=["color-contrast"])
    assert results["violations"] == []
    # … and passes because it was checked, not because it was skipped.
    assert "color-contrast" in results["passes"]


def test_stock_axe_skips_arabic_text(page):
    """Documents the axe-core behaviour the fix is for; if this starts failing, axe fixed it."""
    assert contrast_violations(page, LOW_CONTRAST, fix=False) == []


def test_arabic_text_does_not_hide_pale_latin_text(page):
    """Stock axe caches "icon font" per font-family after three Arabic texts, and then skips the
    English text in the same font too; with the fix, Arabic never poisons that cache."""
    html = PAGE.format(color=GOOD_CONTRAST).replace(
        '<p class="probe"', '<p id="latin" style="color:#aaaaaa">Pale English text</p><p'
    )
    page.set_content(html)
    stock = run_axe(page, rules=["color-contrast"], arabic_contrast_fix=False)
    assert stock["violations"] == []
    page.set_content(html)
    fixed = run_axe(page, rules=["color-contrast"])
    assert [n["target"] for v in fixed["violations"] for n in v["nodes"]] == [["#latin"]]


def test_fix_leaves_latin_text_alone(page):
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Contrast</title></head><body><main>'
        '<p style="color:#aaaaaa">Pale English text on a white page</p>'
        '<p style="color:#1b1f23">Dark English text on a white page</p></main></body></html>'
    )
    results = run_axe(page, rules=["color-contrast"])
    assert [v["id"] for v in results["violations"]] == ["color-contrast"]
