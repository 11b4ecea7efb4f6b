"""The volunteer API (ataa/api/v1/volunteers.py): the caller's own profile and qualifications,
and the public taxonomy and places."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from ataa.accounts.services import token_create
from ataa.api.tests.conftest import API, error_of
from ataa.core.models import AuditEvent
from ataa.volunteers import services
from ataa.volunteers.models import ConsentRecord, Qualification, QualificationKind, VolunteerProfile
from ataa.volunteers.tests.conftest import (
    pdf_bytes,
    png_bytes,
    upload,
    years_ago,
)
from conftest import table_state

pytestmark = pytest.mark.django_db


def body(**overrides) -> dict:
    data = {
        "full_name_ar": "ليلى أحمد الحربي",
        "gender": "female",
        "date_of_birth": years_ago(25).isoformat(),
        "phone": "+966551234567",
        "city": "jeddah",
        "district": "al-safa",
        "latitude": 21.5433,
        "longitude": 39.1728,
        "skills": ["first-aid"],
        "interests": ["health", "relief"],
        "languages": ["ar", "en"],
        "availability": ["mon-evening"],
        "work_mode": "remote",
        "is_group": True,
        "party_size": 3,
        "consents": ["profile_processing", "data_sharing_for_matching"],
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def snapshot():
    return table_state(VolunteerProfile, ConsentRecord, Qualification, AuditEvent)


def uploader(user):
    """multipart(path, data): a multipart POST with the person's API token (the JSON ApiClient
    cannot upload)."""
    _token, raw = token_create(user=user, name="upload")
    return lambda path, data: Client().post(
        f"{API}/{path}", data, headers={"Authorization": f"Bearer {raw}"}
    )


def test_put_creates_then_get_reads_the_profile(api_as, volunteer):
    api = api_as(volunteer)
    assert error_of(api.get("volunteer-profile"))["code"] == "not_found"
    response = api.request("PUT", "volunteer-profile", body())
    assert response.status_code == 200, response.json()
    data = api.get("volunteer-profile").json()
    assert data["city"]["code"] == "jeddah" and data["district"]["code"] == "al-safa"
    assert data["latitude"] == pytest.approx(21.5433)
    assert [skill["code"] for skill in data["skills"]] == ["first-aid"]
    assert {consent["purpose"] for consent in data["consents"]} == {
        "profile_processing",
        "data_sharing_for_matching",
    }
    assert (data["is_group"], data["party_size"], data["is_minor"]) == (True, 3, False)


@pytest.mark.parametrize(
    ("overrides", "status", "code", "field"),
    [
        ({"district": "al-olaya"}, 422, "invalid_input", "district"),  # a Riyadh district
        ({"city": "atlantis"}, 422, "invalid_input", "city"),
        ({"skills": ["juggling"]}, 422, "invalid_input", "skills"),
        ({"party_size": 1}, 400, "invalid_party_size", "party_size"),
        ({"consents": []}, 400, "consent_required", "consent_profile_processing"),
        (
            {"date_of_birth": years_ago(14).isoformat()},
            400,
            "guardian_consent_required",
            "guardian_consent",
        ),
        ({"phone": "call me"}, 422, "invalid_input", "phone"),
        ({"gender": "other"}, 422, "invalid_input", "gender"),
        ({"is_group": "yes"}, 422, "invalid_input", "is_group"),
        ({"nickname": "x"}, 422, "invalid_input", "nickname"),
    ],
)
def test_refused_puts_have_the_error_shape_and_change_nothing(
    api_as, volunteer, overrides, status, code, field
):
    api = api_as(volunteer)
    before = snapshot()
    response = api.request("PUT", "volunteer-profile", body(**overrides))
    assert response.status_code == status, response.json()
    error = error_of(response)
    assert error["code"] == code
    assert field in error["fields"], error
    assert snapshot() == before


def test_anonymous_callers_get_401_on_the_profile(anonymous_api):
    for method, path in [("GET", "volunteer-profile"), ("PUT", "volunteer-profile")]:
        response = anonymous_api.request(method, path, body())
        assert response.status_code == 401
        assert error_of(response)["code"] == "not_authenticated"


def test_qualifications_upload_list_and_delete(api_as, profile, volunteer):
    expires = (timezone.localdate() + dt.timedelta(days=90)).isoformat()
    response = uploader(volunteer)(
        "volunteer-profile/qualifications",
        {
            "kind": "first-aid-certificate",
            "expires_on": expires,
            "proof": upload(png_bytes(), "a.png", "image/png"),
        },
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["kind"]["code"] == "first-aid-certificate" and not created["is_verified"]
    api = api_as(volunteer)
    listed = api.get("volunteer-profile/qualifications").json()
    assert [item["id"] for item in listed["items"]] == [created["id"]]
    response = api.delete(f"volunteer-profile/qualifications/{created['id']}")
    assert response.status_code == 204
    assert not Qualification.objects.exists()


def test_a_fake_pdf_upload_is_refused_with_the_error_shape(profile, volunteer):
    multipart = uploader(volunteer)
    before = snapshot()
    response = multipart(
        "volunteer-profile/qualifications",
        {"kind": "sign-language-certificate", "proof": upload(b"GIF89a not allowed", "x.pdf")},
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_proof" and "proof" in error["fields"]
    assert snapshot() == before


def test_an_unknown_kind_is_refused(profile, volunteer):
    response = uploader(volunteer)(
        "volunteer-profile/qualifications",
        {"kind": "wizardry", "proof": upload(pdf_bytes())},
    )
    assert response.status_code == 422
    assert "kind" in error_of(response)["fields"]
    assert not Qualification.objects.exists()


def test_another_persons_qualification_is_404(
    api_as, profile, volunteer, other_volunteer, outsider
):
    qualification = services.qualification_add(
        user=volunteer,
        kind=QualificationKind.objects.get(code="sign-language-certificate"),
        proof=upload(pdf_bytes()),
    )
    for user in (other_volunteer, outsider):
        response = api_as(user).delete(f"volunteer-profile/qualifications/{qualification.pk}")
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"
    response = api_as(volunteer).delete("volunteer-profile/qualifications/abc")
    assert response.status_code == 404
    assert Qualification.objects.filter(pk=qualification.pk).exists()
    assert api_as(other_volunteer).get("volunteer-profile/qualifications").json()["count"] == 0


def test_the_public_taxonomy_and_places_need_no_sign_in(anonymous_api):
    fields = anonymous_api.get("taxonomy/skills").json()
    health = next(field for field in fields if field["code"] == "health")
    first_aid = next(skill for skill in health["skills"] if skill["code"] == "first-aid")
    assert first_aid["name_ar"] == "الإسعافات الأولية" and first_aid["name_en"] == "First aid"
    cities = anonymous_api.get("places/cities").json()
    jeddah = next(city for city in cities if city["code"] == "jeddah")
    assert {"al-rawdah", "al-safa"} <= {district["code"] for district in jeddah["districts"]}


def test_list_endpoints_query_count_does_not_grow(
    api_as, anonymous_api, profile, volunteer, django_assert_max_num_queries
):
    api = api_as(volunteer)
    kind = QualificationKind.objects.get(code="sign-language-certificate")

    def counted(call) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            response = call()
        assert response.status_code == 200
        return len(queries)

    calls = [
        lambda: api.get("volunteer-profile/qualifications"),
        lambda: api.get("volunteer-profile"),
        lambda: anonymous_api.get("taxonomy/skills"),
        lambda: anonymous_api.get("places/cities"),
    ]
    services.qualification_add(user=volunteer, kind=kind, proof=upload(pdf_bytes()))
    for call in calls:  # the first use of the token notes its time: not part of the list
        call()
    few = [counted(call) for call in calls]
    for _ in range(5):
        services.qualification_add(user=volunteer, kind=kind, proof=upload(pdf_bytes()))
    many = [counted(call) for call in calls]
    assert many == few
    with django_assert_max_num_queries(4):
        anonymous_api.get("taxonomy/skills")
