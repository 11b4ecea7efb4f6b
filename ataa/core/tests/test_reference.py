"""Reference lists in memory (ataa.core.reference) and the choice fields and selects over them
(ataa.core.forms)."""

from __future__ import annotations

import pytest
from django import forms
from django.db import connection
from django.test.html import parse_html
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from ataa.core.forms import (
    FastSelect,
    FastSelectMultiple,
    ReferenceChoiceField,
    ReferenceMultipleChoiceField,
)
from ataa.core.models import City
from ataa.core.reference import CITIES, ReferenceList

pytestmark = pytest.mark.django_db


def count_queries(function):
    with CaptureQueriesContext(connection) as queries:
        result = function()
    return len(queries), result


def test_a_list_is_read_once_then_served_from_memory():
    first, rows = count_queries(CITIES.all)
    again, rows_again = count_queries(CITIES.all)
    lookup, jeddah = count_queries(lambda: CITIES.get("jeddah"))
    assert (first, again, lookup) == (1, 0, 0)
    assert rows_again == rows == tuple(City.objects.all())
    assert jeddah == City.objects.get(code="jeddah")
    assert CITIES.get("no-such-city") is None
    assert CITIES.get("") is None


def test_a_saved_or_deleted_row_shows_at_once_in_this_process():
    CITIES.all()
    city = City.objects.create(code="al-ula", name_ar="العلا", name_en="AlUla", country="SA")
    assert CITIES.get("al-ula") == city
    city.name_en = "Al-Ula"
    city.save()
    assert CITIES.get("al-ula").name_en == "Al-Ula"
    city.delete()
    assert CITIES.get("al-ula") is None


def test_an_aged_copy_is_read_again():
    """Other processes learn of an edit when their copy is older than max_age."""
    always_fresh = ReferenceList(City, max_age=0)
    first, _rows = count_queries(always_fresh.all)
    again, _rows = count_queries(always_fresh.all)
    assert (first, again) == (1, 1)


def test_choices_are_named_in_the_language_of_the_page():
    with translation.override("ar"):
        arabic = dict(CITIES.choices())
    with translation.override("en"):
        english = dict(CITIES.choices())
    assert arabic["jeddah"] == City.objects.get(code="jeddah").name_ar
    assert english["jeddah"] == City.objects.get(code="jeddah").name_en


class PlaceForm(forms.Form):
    city = ReferenceChoiceField(CITIES, required=False, empty_label="Any city")
    cities = ReferenceMultipleChoiceField(CITIES, required=False)


def test_the_fields_clean_codes_to_rows():
    form = PlaceForm({"city": "jeddah", "cities": ["jeddah", "riyadh"]})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["city"] == City.objects.get(code="jeddah")
    assert [c.code for c in form.cleaned_data["cities"]] == ["jeddah", "riyadh"]
    empty = PlaceForm({})
    assert empty.is_valid()
    assert empty.cleaned_data == {"city": None, "cities": []}


def test_an_unknown_code_is_refused_with_a_message_naming_it():
    form = PlaceForm({"city": "atlantis", "cities": ["jeddah", "atlantis"]})
    assert not form.is_valid()
    with translation.override("en"):
        assert "not one of the available choices" in form.errors["city"][0]
        assert "atlantis" in form.errors["cities"][0]


def test_a_required_field_without_a_value_is_refused():
    class RequiredForm(forms.Form):
        city = ReferenceChoiceField(CITIES)

    form = RequiredForm({"city": ""})
    assert not form.is_valid()
    assert form.errors.as_data()["city"][0].code == "required"


CHOICES = [
    ("", "All"),
    ("a&b", 'Tom & "Jerry"'),
    ("x", "<script>alert(1)</script>"),
    ("Group", [("g1", "First"), ("g2", "Second")]),
]


@pytest.mark.parametrize(
    ("fast", "django_widget", "value"),
    [
        (FastSelect, forms.Select, "a&b"),
        (FastSelect, forms.Select, None),
        (FastSelect, forms.Select, "g2"),
        (FastSelectMultiple, forms.SelectMultiple, ["x", "g1"]),
        (FastSelectMultiple, forms.SelectMultiple, []),
    ],
)
def test_the_fast_selects_write_what_django_writes(fast, django_widget, value):
    attrs = {"id": "id_place", "aria-describedby": "id_place_helptext", "size": 4}
    ours = fast(choices=CHOICES).render("place", value, attrs=attrs)
    django = django_widget(choices=CHOICES).render("place", value, attrs=attrs)
    assert parse_html(ours) == parse_html(django)
    assert "<script>" not in ours
