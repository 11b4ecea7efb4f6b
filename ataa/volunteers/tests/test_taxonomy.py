import pytest
from django.utils import translation

from ataa.core.models import City
from ataa.volunteers.models import Skill, VolunteeringField

pytestmark = pytest.mark.django_db


def test_the_seeded_taxonomy_has_every_field_of_the_issue_in_both_languages():
    codes = set(VolunteeringField.objects.values_list("code", flat=True))
    assert {
        "health",
        "education",
        "relief",
        "technology",
        "translation",
        "events",
        "environment",
        "social-support",
    } <= codes
    for field in VolunteeringField.objects.prefetch_related("skills"):
        assert field.name_ar and field.name_en
        assert field.skills.exists(), field.code
    assert not Skill.objects.filter(name_ar="").exists()
    assert not Skill.objects.filter(name_en="").exists()


def test_names_follow_the_page_language():
    skill = Skill.objects.get(code="first-aid")
    city = City.objects.get(code="jeddah")
    with translation.override("ar"):
        assert (skill.name, city.name, str(city)) == ("الإسعافات الأولية", "جدة", "جدة")
    with translation.override("en"):
        assert (skill.name, city.name) == ("First aid", "Jeddah")


def test_demo_cities_have_districts():
    for code in ("jeddah", "riyadh", "dubai", "doha", "manama"):
        assert City.objects.get(code=code).districts.count() >= 3
