"""Form helpers shared by the apps: service errors on forms, and choice fields over the
in-memory reference lists (ataa.core.reference) with a select widget rendered in Python."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString

from ataa.core.errors import ServiceError
from ataa.core.reference import ReferenceList


def add_service_error(form, error: ServiceError) -> None:
    """Show a refused service call on the form that asked for it, field by field where it can."""
    if error.fields:
        for field, messages in error.fields.items():
            for message in messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, error.message)


# --- Select widgets rendered without a template per option -----------------------------------
#
# Django renders each <option> through its own template include, which made the filter form of
# the public search (some hundred options) cost more than the search. These widgets write the
# same markup as Django's select.html and select_option.html in Python.


def _options(choices, selected: set[str]) -> SafeString:
    parts = []
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            group = _options(label, selected)
            parts.append(f'<optgroup label="{escape(value)}">{group}</optgroup>')
            continue
        value = "" if value is None else str(value)
        chosen = " selected" if value in selected else ""
        parts.append(f'<option value="{escape(value)}"{chosen}>{escape(label)}</option>')
    return SafeString("".join(parts))  # every value and label above is escaped


class FastSelect(forms.Select):
    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final["multiple"] = True
        selected = set(self.format_value(value))
        if not self.allow_multiple_selected and len(selected) > 1:
            selected = set(list(selected)[:1])
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final),
            _options(self.choices, selected),
        )


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    allow_multiple_selected = True


# --- Choice fields over reference lists -------------------------------------------------------


class ReferenceChoiceField(forms.ChoiceField):
    """One row of a ReferenceList, chosen by its code; labelled with its name in the page's
    language. cleaned_data holds the row (or None), as a ModelChoiceField's would."""

    widget = FastSelect
    default_error_messages = forms.ModelChoiceField.default_error_messages

    def __init__(self, reference: ReferenceList, *, empty_label=None, **kwargs):
        self.reference = reference
        self.empty_label = empty_label
        super().__init__(choices=self._choices_now, **kwargs)

    def _choices_now(self):
        return [("", self.empty_label or "---------"), *self.reference.choices()]

    def prepare_value(self, value):
        return getattr(value, "code", value)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        row = self.reference.get(str(value))
        if row is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return row

    def validate(self, value):
        forms.Field.validate(self, value)


class ReferenceMultipleChoiceField(forms.MultipleChoiceField):
    """Rows of a ReferenceList, chosen by their codes; cleaned_data holds the rows."""

    widget = FastSelectMultiple
    default_error_messages = forms.ModelMultipleChoiceField.default_error_messages

    def __init__(self, reference: ReferenceList, **kwargs):
        self.reference = reference
        super().__init__(choices=self._choices_now, **kwargs)

    def _choices_now(self):
        return self.reference.choices()

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return [getattr(item, "code", item) for item in value]
        return getattr(value, "code", value)

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, (list, tuple)):
            raise ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        rows = []
        for code in value:
            row = self.reference.get(str(code))
            if row is None:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": code},
                )
            rows.append(row)
        return rows

    def validate(self, value):
        forms.Field.validate(self, value)
