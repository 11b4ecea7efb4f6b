from django import template
from django.utils.html import format_html

from ataa.core.audit import verb_label
from ataa.core.dates import dual_date_text, gregorian_text, hijri_text, to_date

register = template.Library()


@register.filter
def dual_date(value):
    """The one way pages show a date: Gregorian with the Hijri (Umm al-Qura) date beside it."""
    day = to_date(value)
    if day is None:
        return ""
    hijri = hijri_text(day)
    if not hijri:
        return format_html('<time datetime="{}">{}</time>', day.isoformat(), gregorian_text(day))
    return format_html(
        '<time datetime="{}">{}</time> <span class="hijri">({})</span>',
        day.isoformat(),
        gregorian_text(day),
        hijri,
    )


@register.filter
def dual_date_plain(value):
    """`dual_date` without markup, for plain-text emails."""
    return dual_date_text(value)


@register.filter
def audit_verb(verb):
    return verb_label(verb)


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
