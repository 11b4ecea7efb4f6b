"""Hijri (Umm al-Qura) dates beside Gregorian ones."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import get_language
from hijridate import Gregorian

ARABIC_DIGITS = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")


def to_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def hijri_text(value, language: str | None = None) -> str:
    """'2 Jumada al-Thani 1448 AH' / '٢ جمادى الآخرة ١٤٤٨ هـ'; '' outside the Umm al-Qura range."""
    day = to_date(value)
    if day is None:
        return ""
    language = (language or get_language() or "ar")[:2]
    try:
        hijri = Gregorian.fromdate(day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    if language == "ar":
        text = f"{hijri.day} {hijri.month_name('ar')} {hijri.year} هـ"
        return text.translate(ARABIC_DIGITS)
    return f"{hijri.day} {hijri.month_name('en')} {hijri.year} AH"


def gregorian_text(value) -> str:
    day = to_date(value)
    if day is None:
        return ""
    return formats.date_format(day, "j F Y")
