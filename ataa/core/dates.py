"""Hijri (Umm al-Qura) dates beside Gregorian ones."""

from __future__ import annotations

import datetime as dt

from django.utils import formats, timezone
from django.utils.translation import get_language
from hijridate import Gregorian


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
    """'2 Jumada al-Thani 1448 AH' / '2 جمادى الآخرة 1448 هـ'; '' outside the Umm al-Qura range.

    Digits are the same as in the Gregorian date beside it (Western digits, as Gulf government
    sites write both dates), so the two read alike.
    """
    day = to_date(value)
    if day is None:
        return ""
    language = (language or get_language() or "ar")[:2]
    try:
        hijri = Gregorian.fromdate(day).to_hijri()
    except (OverflowError, ValueError):
        return ""
    if language == "ar":
        return f"{hijri.day} {hijri.month_name('ar')} {hijri.year} هـ"
    return f"{hijri.day} {hijri.month_name('en')} {hijri.year} AH"


def gregorian_text(value) -> str:
    day = to_date(value)
    if day is None:
        return ""
    return formats.date_format(day, "j F Y")


def dual_date_text(value) -> str:
    """The plain-text twin of the `dual_date` filter, for emails and text messages:
    '2 March 2026 (2 Ramadan 1447 AH)'."""
    day = to_date(value)
    if day is None:
        return ""
    hijri = hijri_text(day)
    return f"{gregorian_text(day)} ({hijri})" if hijri else gregorian_text(day)
