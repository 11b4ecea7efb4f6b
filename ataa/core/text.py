"""Arabic-aware text normalization: one function serves search, matching and dedup.

People spell the same Arabic word several ways: with or without hamza (أحمد / احمد), with
taa marbuta or haa (جمعية / جمعيه), alef maqsura or yaa (مستشفى / مستشفي), with diacritics
(مُتَطَوِّع), stretched with tatweel (تطـــوع), in presentation forms, with Arabic-Indic digits.
`normalize_arabic` folds all of these to one key, so a search for any spelling finds the others.

It is a str.translate table plus Unicode NFKC: pyarabic covers diacritics and tatweel but not
ة/ه, ى/ي or digits, and the whole rule set is easier to review here as one table of cases
(ataa/core/tests/test_text.py).
"""

from __future__ import annotations

import re
import unicodedata

# Diacritics (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks) and tatweel.
_REMOVE = {
    codepoint: None
    for codepoint in [
        *range(0x0610, 0x061B),  # Quranic honorifics and small marks
        *range(0x064B, 0x0660),  # fathatan … hamza below, incl. shadda and sukun
        0x0670,  # superscript alef
        *range(0x06D6, 0x06DD),  # Quranic annotation signs
        *range(0x06DF, 0x06E9),
        *range(0x06EA, 0x06EE),
        0x0640,  # tatweel
        0x200C,  # zero-width non-joiner
        0x200D,  # zero-width joiner
        0x200E,  # left-to-right mark
        0x200F,  # right-to-left mark
    ]
}
_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ٲ": "ا",
        "ٳ": "ا",
        "ى": "ي",
        "ئ": "ي",
        "ی": "ي",  # Persian yeh
        "ؤ": "و",
        "ة": "ه",
        "ک": "ك",  # Persian keheh
        **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
        **{chr(0x06F0 + d): str(d) for d in range(10)},  # Extended (Persian) digits
    }
)
_SPACES = re.compile(r"\s+")
_PUNCTUATION = re.compile(r"[^\w\s]", re.UNICODE)


def normalize_arabic(text: str | None) -> str:
    """The comparison key of a text: spelling variants folded, case folded, spaces collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(_REMOVE).translate(_FOLD).casefold()
    return _SPACES.sub(" ", text).strip()


def search_key(text: str | None) -> str:
    """`normalize_arabic` without punctuation: what search indexes and queries compare."""
    return _SPACES.sub(" ", _PUNCTUATION.sub(" ", normalize_arabic(text))).strip()
