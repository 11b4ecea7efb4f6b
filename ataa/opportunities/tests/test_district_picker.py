"""The opportunity form offers the districts of the chosen city."""

import pytest

from ataa.core.models import City, District
from ataa.opportunities.forms import OpportunityForm

pytestmark = pytest.mark.django_db


def district_ids(form) -> set[int]:
    return set(form.fields["district"].queryset.values_list("pk", flat=True))


def test_a_chosen_city_narrows_the_districts_to_its_own():
    riyadh = City.objects.get(code="riyadh")
    form = OpportunityForm(data={"city": str(riyadh.pk)})
    assert district_ids(form) == set(riyadh.districts.values_list("pk", flat=True))
    assert district_ids(form)  # Riyadh has districts


def test_another_citys_district_is_refused_by_the_form():
    riyadh = City.objects.get(code="riyadh")
    jeddah_district = District.objects.filter(city__code="jeddah").first()
    form = OpportunityForm(data={"city": str(riyadh.pk), "district": str(jeddah_district.pk)})
    assert not form.is_valid()
    assert "district" in form.errors


def test_without_a_city_every_district_shows_with_its_city():
    form = OpportunityForm()
    assert district_ids(form) == set(District.objects.values_list("pk", flat=True))
    assert "volunteer/districts/" in str(form["city"])  # htmx fetches the city's districts
