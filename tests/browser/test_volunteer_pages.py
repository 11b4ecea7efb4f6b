"""The volunteer's pages in the browser, in Arabic then English: the profile form (also with
errors shown), the qualifications page, and the district list that follows the city (htmx)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ataa.core.models import City
from ataa.volunteers import services
from ataa.volunteers.models import ConsentPurpose, QualificationKind, Skill, VolunteeringField
from conftest import make_user
from tests.browser.helpers import check_page, switch_language

pytestmark = pytest.mark.browser

SEED_MIGRATIONS = [
    "ataa.core.migrations.0004_seed_places",
    "ataa.volunteers.migrations.0002_seed_skills",
    "ataa.volunteers.migrations.0004_seed_qualification_kinds",
]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def volunteer(transactional_db):
    # The live server's transactional database is emptied after each test, and with it the places
    # and the skills taxonomy that data migrations seeded: seed them again (idempotent).
    from importlib import import_module

    from django.apps import apps

    for module in SEED_MIGRATIONS:
        import_module(module).seed(apps, None)
    return make_user("volunteer@example.com", "ليلى الحربي")


@pytest.fixture
def volunteer_with_profile(volunteer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    jeddah = City.objects.get(code="jeddah")
    today = timezone.localdate()
    services.volunteer_profile_save(
        user=volunteer,
        full_name_ar="ليلى أحمد الحربي",
        gender="female",
        date_of_birth=dt.date(today.year - 30, 5, 1),
        phone="+966551234567",
        city=jeddah,
        district=jeddah.districts.first(),
        skills=Skill.objects.filter(code__in=["first-aid", "tutoring"]),
        interests=VolunteeringField.objects.filter(code="health"),
        languages=["ar", "en"],
        availability=["sun-morning", "fri-evening"],
        consents={ConsentPurpose.PROFILE_PROCESSING, ConsentPurpose.CONTACT_BY_ORGANIZATIONS},
    )
    services.qualification_add(
        user=volunteer,
        kind=QualificationKind.objects.get(code="first-aid-certificate"),
        proof=SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"),
        expires_on=today + dt.timedelta(days=300),
    )
    return volunteer


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("volunteer-profile", "/volunteer/profile/"),
        ("volunteer-qualifications", "/volunteer/qualifications/"),
    ],
)
def test_volunteer_pages_in_arabic_then_english(
    name, path, volunteer_with_profile, page, sign_in, settings, tmp_path
):
    sign_in(volunteer_with_profile)
    response = page.goto(path)
    assert response.status == 200
    check_page(page, name, "ar")
    switch_language(page, "en")
    check_page(page, name, "en")


def test_a_new_profile_with_errors_shows_them_accessibly(volunteer, page, sign_in):
    sign_in(volunteer)
    page.goto("/volunteer/profile/")
    page.locator("#id_full_name_ar").fill("ليلى الحربي")
    page.locator('button[type="submit"].button').last.click()
    expect(page.locator(".alert.error")).to_be_visible()
    expect(page.locator("#id_phone")).to_have_attribute("aria-invalid", "true")
    check_page(page, "volunteer-profile-errors", "ar")


def test_choosing_a_city_offers_its_districts(volunteer, page, sign_in):
    sign_in(volunteer)
    page.goto("/volunteer/profile/")
    riyadh = City.objects.get(code="riyadh")
    page.locator("#id_city").select_option(str(riyadh.pk))
    first_district = riyadh.districts.order_by("name_en").first()
    expect(page.locator(f'#id_district option[value="{first_district.pk}"]')).to_have_count(1)
    expect(page.locator("#id_district option")).to_have_count(riyadh.districts.count() + 1)
