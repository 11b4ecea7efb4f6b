import pytest

from ataa.core.text import normalize_arabic, search_key


@pytest.mark.parametrize(
    ("variant", "canonical"),
    [
        ("أحمد", "احمد"),  # hamza above alef
        ("إسلام", "اسلام"),  # hamza below alef
        ("آمنة", "امنه"),  # madda, and taa marbuta
        ("جمعية", "جمعيه"),  # taa marbuta / haa
        ("مستشفى", "مستشفي"),  # alef maqsura / yaa
        ("مُتَطَوِّع", "متطوع"),  # diacritics
        ("تطـــوع", "تطوع"),  # tatweel
        ("مسؤول", "مسوول"),  # hamza on waw
        ("شاطئ", "شاطي"),  # hamza on yaa
        ("ﻻ", "لا"),  # presentation form of lam-alef
        ("٢٠٢٦", "2026"),  # Arabic-Indic digits
        ("۱۴۴۸", "1448"),  # Persian digits
        ("  Red   Crescent ", "red crescent"),  # spaces and case
        ("الهلال\u200fالأحمر", "الهلالالاحمر"),  # bidi marks vanish
    ],
)
def test_spelling_variants_fold_to_one_key(variant, canonical):
    assert normalize_arabic(variant) == normalize_arabic(canonical)


def test_different_words_stay_different():
    assert normalize_arabic("تعليم") != normalize_arabic("تعلم")
    assert normalize_arabic("جدة") != normalize_arabic("جد")


def test_empty_values():
    assert normalize_arabic(None) == ""
    assert normalize_arabic("") == ""


def test_search_key_drops_punctuation():
    assert search_key("إسعافات أولية، (مستوى 1)!") == "اسعافات اوليه مستوي 1"
