"""The volunteer's own pages: the profile form and the qualifications."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ataa.core.models import AuditEvent, City
from ataa.volunteers import services
from ataa.volunteers.models import (
    ConsentRecord,
    Qualification,
    QualificationKind,
    Skill,
    VolunteerProfile,
)
from ataa.volunteers.tests.conftest import pdf_bytes, upload, years_ago
from conftest import NASTY_VALUES, table_state

pytestmark = pytest.mark.django_db

PROFILE_URL = "/volunteer/profile/"
QUALIFICATIONS_URL = "/volunteer/qualifications/"


def form_data(**overrides) -> dict:
    jeddah = City.objects.get(code="jeddah")
    data = {
        "full_name_ar": "ليلى أحمد الحربي",
        "full_name_latin": "Layla Alharbi",
        "gender": "female",
        "date_of_birth": years_ago(30).isoformat(),
        "phone": "+966 55 123 4567",
        "city": jeddah.pk,
        "district": jeddah.districts.get(code="al-rawdah").pk,
        "skills": [Skill.objects.get(code="first-aid").pk],
        "languages": ["ar"],
        "availability": ["sun-morning", "sat-evening"],
        "work_mode": "on_site",
        "party_size": "1",
        "needs_wheelchair_access": "on",
        "consent_profile_processing": "on",
        "consent_contact_by_organizations": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def snapshot():
    return table_state(VolunteerProfile, ConsentRecord, Qualification, AuditEvent)


def test_anonymous_visitors_are_sent_to_login(client):
    for url in (PROFILE_URL, QUALIFICATIONS_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_a_volunteer_creates_their_profile_on_the_page(client, volunteer):
    client.force_login(volunteer)
    page = client.get(PROFILE_URL)
    assert page.status_code == 200
    assert 'name="skills"' in page.content.decode()
    response = client.post(PROFILE_URL, form_data())
    assert response.status_code == 302, response.context["form"].errors
    profile = VolunteerProfile.objects.get(user=volunteer)
    assert profile.needs_wheelchair_access and profile.work_mode == "on_site"
    assert profile.district.code == "al-rawdah"
    assert profile.availability == ["sun-morning", "sat-evening"]
    assert set(profile.consents.values_list("purpose", flat=True)) == {
        "profile_processing",
        "contact_by_organizations",
    }
    # The saved profile shows again, filled in, with the consent date in both calendars.
    page = client.get(PROFILE_URL).content.decode()
    assert 'value="ليلى أحمد الحربي"' in page
    assert 'value="sun-morning" id="slot-sun-morning" checked' in page
    assert 'class="hijri"' in page


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date_of_birth": years_ago(15).isoformat()}, "guardian_consent"),
        ({"consent_profile_processing": None}, "consent_profile_processing"),
        ({"district": "riyadh-district"}, "district"),
        ({"is_group": "on", "party_size": "1"}, "party_size"),
        ({"languages": None}, "languages"),
        ({"latitude": "21.5"}, "longitude"),
        ({"phone": "call me"}, "phone"),
        ({"date_of_birth": "31/02/1990"}, "date_of_birth"),
        ({"availability": ["sun-midnight"]}, "availability"),
    ],
    ids=[
        "minor",
        "no-consent",
        "foreign-district",
        "party",
        "no-language",
        "half-point",
        "phone",
        "bad-date",
        "bad-slot",
    ],
)
def test_invalid_input_re_renders_with_the_error_on_its_field(client, volunteer, overrides, field):
    if overrides.get("district") == "riyadh-district":
        overrides["district"] = City.objects.get(code="riyadh").districts.first().pk
    client.force_login(volunteer)
    before = snapshot()
    response = client.post(PROFILE_URL, form_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    assert snapshot() == before


def test_the_district_select_offers_only_the_chosen_citys_districts(client, volunteer):
    client.force_login(volunteer)
    riyadh = City.objects.get(code="riyadh")
    response = client.post(PROFILE_URL, form_data(city=riyadh.pk))
    choices = {pk for pk, _label in response.context["form"].fields["district"].choices if pk}
    assert {int(str(pk)) for pk in choices} == set(riyadh.districts.values_list("pk", flat=True))
    options = client.get("/volunteer/districts/", {"city": riyadh.pk}).content.decode()
    assert options.count("<option") == riyadh.districts.count() + 1
    assert client.get("/volunteer/districts/", {"city": "x"}).content.decode().count("<option") == 1


PROFILE_FIELDS = [
    *("full_name_ar", "full_name_latin", "gender", "date_of_birth", "phone", "city", "district"),
    *("skills", "languages", "availability", "work_mode", "party_size", "is_group"),
    *("latitude", "longitude", "emergency_contact_name", "emergency_contact_phone"),
    *("guardian_name", "guardian_phone", "accessibility_notes", "interests"),
    *("consent_profile_processing", "needs_wheelchair_access"),
]


@pytest.mark.parametrize(
    ("url", "fields"),
    [
        (PROFILE_URL, PROFILE_FIELDS),
        (QUALIFICATIONS_URL, ["kind", "expires_on", "proof"]),
        ("/volunteer/qualifications/remove/", ["qualification"]),
    ],
)
def test_nasty_input_never_breaks_a_form(client, profile, volunteer, url, fields):
    client.force_login(volunteer)
    before = snapshot()
    for value in NASTY_VALUES:
        response = client.post(url, {field: value for field in fields})
        assert response.status_code < 500, f"{url} answered {response.status_code} to {value!r}"
        if response.status_code == 200:
            assert response.context["form"].errors, f"{url} accepted {value!r}"
    assert snapshot() == before


def test_qualifications_page_without_a_profile_asks_for_one(client, volunteer):
    client.force_login(volunteer)
    response = client.get(QUALIFICATIONS_URL)
    assert response.status_code == 200
    assert PROFILE_URL in response.content.decode()


def test_a_volunteer_adds_and_removes_a_qualification(client, profile, volunteer):
    client.force_login(volunteer)
    kind = QualificationKind.objects.get(code="first-aid-certificate")
    expires = timezone.localdate() + dt.timedelta(days=200)
    response = client.post(
        QUALIFICATIONS_URL,
        {"kind": kind.pk, "expires_on": expires.isoformat(), "proof": upload(pdf_bytes())},
    )
    assert response.status_code == 302
    qualification = Qualification.objects.get(profile=profile)
    page = client.get(QUALIFICATIONS_URL).content.decode()
    assert f'datetime="{expires.isoformat()}"' in page
    response = client.post("/volunteer/qualifications/remove/", {"qualification": qualification.pk})
    assert response.status_code == 302
    assert not Qualification.objects.exists()


def test_a_fake_pdf_is_refused_on_the_page(client, profile, volunteer):
    client.force_login(volunteer)
    kind = QualificationKind.objects.get(code="sign-language-certificate")
    response = client.post(
        QUALIFICATIONS_URL, {"kind": kind.pk, "proof": upload(b"<html>not a pdf</html>")}
    )
    assert response.status_code == 200
    assert "proof" in response.context["form"].errors
    assert not Qualification.objects.exists()


def test_nobody_removes_or_sees_another_persons_qualification(
    client, profile, other_volunteer, volunteer
):
    qualification = services.qualification_add(
        user=volunteer,
        kind=QualificationKind.objects.get(code="sign-language-certificate"),
        proof=upload(pdf_bytes()),
    )
    client.force_login(other_volunteer)
    response = client.post("/volunteer/qualifications/remove/", {"qualification": qualification.pk})
    assert response.status_code == 404
    assert Qualification.objects.filter(pk=qualification.pk).exists()
    page = client.get(QUALIFICATIONS_URL).content.decode()
    assert str(qualification.kind.name_ar) not in page
    assert "ليلى" not in client.get(PROFILE_URL).content.decode()
