"""Services of volunteer profiles: happy paths, and each refusal changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ataa.core.errors import PermissionRefused, ServiceError
from ataa.core.models import AuditEvent, City
from ataa.organizations.models import Organization
from ataa.volunteers import services
from ataa.volunteers.models import (
    ConsentPurpose,
    ConsentRecord,
    Qualification,
    QualificationKind,
    VolunteerProfile,
)
from ataa.volunteers.tests.conftest import pdf_bytes, png_bytes, profile_values, upload, years_ago
from conftest import table_state

pytestmark = pytest.mark.django_db

FIRST_AID = "first-aid-certificate"  # expires
SIGN_LANGUAGE = "sign-language-certificate"  # does not expire


def snapshot():
    return table_state(VolunteerProfile, ConsentRecord, Qualification, AuditEvent)


def kind(code=FIRST_AID):
    return QualificationKind.objects.get(code=code)


def next_year():
    return timezone.localdate() + dt.timedelta(days=365)


def test_saving_creates_the_profile_with_consent_and_an_audit_event_of_ids_only(volunteer):
    profile = services.volunteer_profile_save(
        user=volunteer, ip_address="127.0.0.1", **profile_values()
    )
    assert profile.user == volunteer and not profile.is_minor
    assert [s.code for s in profile.skills.all()] == ["first-aid"]
    assert [f.code for f in profile.interests.all()] == ["health"]
    assert profile.languages == ["ar", "en"]
    assert profile.availability == ["sun-morning", "fri-evening"]
    assert list(profile.consents.values_list("purpose", "withdrawn_at")) == [
        ("profile_processing", None)
    ]
    event = AuditEvent.objects.get(verb="volunteer_profile.created")
    assert event.target_id == str(profile.pk)
    assert event.payload == {"minor": False, "is_group": False, "party_size": 1}
    # No name, phone or date of birth anywhere in the audit log.
    for payload in AuditEvent.objects.values_list("payload", flat=True):
        text = str(payload)
        assert "ليلى" not in text and "966" not in text and str(profile.date_of_birth) not in text


def test_saving_again_replaces_the_profile_and_withdraws_consent_left_out(profile, volunteer):
    services.volunteer_profile_save(
        user=volunteer,
        **profile_values(
            consents={"profile_processing", "contact_by_organizations"},
            skills=[],
            languages=["en", "ar", "ar"],
            is_group=True,
            party_size=4,
        ),
    )
    services.volunteer_profile_save(user=volunteer, **profile_values(is_group=True, party_size=4))
    profile.refresh_from_db()
    assert VolunteerProfile.objects.count() == 1
    assert (profile.is_group, profile.party_size) == (True, 4)
    assert profile.languages == ["ar", "en"]  # the choices' order, no duplicates
    contact = ConsentRecord.objects.get(purpose="contact_by_organizations")
    assert contact.withdrawn_at is not None  # withdrawn, and kept
    assert AuditEvent.objects.filter(verb="consent.withdrawn").count() == 1


def test_consent_given_again_adds_a_new_record(profile, volunteer):
    purpose = ConsentPurpose.CONTACT_BY_ORGANIZATIONS
    first = services.consent_give(profile=profile, purpose=purpose, actor=volunteer)
    assert services.consent_give(profile=profile, purpose=purpose, actor=volunteer) == first
    services.consent_withdraw(profile=profile, purpose=purpose, actor=volunteer)
    second = services.consent_give(profile=profile, purpose=purpose, actor=volunteer)
    assert second.pk != first.pk
    assert ConsentRecord.objects.filter(purpose=purpose).count() == 2
    with pytest.raises(TypeError):
        second.delete()


def test_a_minor_with_guardian_consent_is_saved_and_an_adult_keeps_no_guardian(volunteer):
    profile = services.volunteer_profile_save(
        user=volunteer,
        **profile_values(
            date_of_birth=years_ago(16),
            guardian_name="أحمد الحربي",
            guardian_phone="+966 55 000 1111",
            guardian_consent=True,
        ),
    )
    assert profile.is_minor and profile.guardian_consent_at is not None
    adult = services.volunteer_profile_save(
        user=volunteer,
        **profile_values(guardian_name="أحمد الحربي", guardian_phone="0550001111"),
    )
    assert (adult.guardian_name, adult.guardian_phone, adult.guardian_consent_at) == ("", "", None)


def test_the_eighteenth_birthday_makes_an_adult(volunteer):
    profile = services.volunteer_profile_save(
        user=volunteer, **profile_values(date_of_birth=years_ago(18))
    )
    assert not profile.is_minor


REFUSALS = [
    (
        "minor_without_guardian",
        dict(date_of_birth=years_ago(17, days=-1)),
        "guardian_consent_required",
    ),
    (
        "minor_without_consent",
        dict(date_of_birth=years_ago(15), guardian_name="أب", guardian_phone="0550001111"),
        "guardian_consent_required",
    ),
    (
        "birth_in_future",
        dict(date_of_birth=timezone.localdate() + dt.timedelta(days=1)),
        "invalid_birth_date",
    ),
    ("birth_too_old", dict(date_of_birth=dt.date(1890, 1, 1)), "invalid_birth_date"),
    ("group_of_one", dict(is_group=True, party_size=1), "invalid_party_size"),
    ("alone_with_three", dict(is_group=False, party_size=3), "invalid_party_size"),
    ("group_too_big", dict(is_group=True, party_size=51), "invalid_party_size"),
    ("no_processing_consent", dict(consents={"contact_by_organizations"}), "consent_required"),
    ("unknown_consent", dict(consents={"profile_processing", "selling"}), "invalid_choice"),
    ("unknown_language", dict(languages=["ar", "xx"]), "invalid_choice"),
    ("unknown_slot", dict(availability=["sun-night"]), "invalid_choice"),
    ("half_a_map_point", dict(latitude=21.5), "incomplete_map_point"),
    ("map_point_off_earth", dict(latitude=95, longitude=39), "invalid_map_point"),
    ("emergency_name_only", dict(emergency_contact_name="سعد"), "incomplete_emergency_contact"),
    ("blank_name", dict(full_name_ar="   "), "full_name_required"),
]


@pytest.mark.parametrize(
    ("overrides", "code"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_refused_profiles_change_nothing(volunteer, overrides, code):
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.volunteer_profile_save(user=volunteer, **profile_values(**overrides))
    assert refused.value.code == code
    assert refused.value.fields, "a refusal names the field to correct"
    assert snapshot() == before


def test_a_district_of_another_city_is_refused_and_changes_nothing(profile, volunteer):
    riyadh_district = City.objects.get(code="riyadh").districts.first()
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.volunteer_profile_save(
            user=volunteer, **profile_values(district=riyadh_district, full_name_ar="اسم آخر")
        )
    assert refused.value.code == "district_not_in_city"
    assert "district" in refused.value.fields
    assert snapshot() == before


def test_consent_to_processing_cannot_be_withdrawn_while_the_profile_exists(profile, volunteer):
    before = snapshot()
    for call in (
        lambda: services.consent_withdraw(
            profile=profile, purpose="profile_processing", actor=volunteer
        ),
        lambda: services.volunteer_profile_save(
            user=volunteer, **profile_values(consents=set(), full_name_ar="تغيير")
        ),
    ):
        with pytest.raises(ServiceError) as refused:
            call()
        assert refused.value.code == "consent_required"
    assert snapshot() == before


def test_withdrawing_a_consent_never_given_is_refused(profile, volunteer):
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.consent_withdraw(
            profile=profile, purpose="data_sharing_for_matching", actor=volunteer
        )
    assert refused.value.code == "no_consent"
    assert snapshot() == before


# --- Qualifications -----------------------------------------------------------------------------


def test_adding_and_removing_a_qualification(profile, volunteer):
    qualification = services.qualification_add(
        user=volunteer,
        kind=kind(),
        proof=upload(pdf_bytes(), "ليلى-شهادة.pdf"),
        expires_on=next_year(),
    )
    name = qualification.proof.name
    assert name.startswith("qualifications/") and name.endswith(".pdf")
    assert "ليلى" not in name  # the uploaded name is not kept
    assert qualification.proof.storage.exists(name)
    assert not qualification.is_verified
    services.qualification_remove(qualification=qualification, actor=volunteer)
    assert not Qualification.objects.exists()
    assert list(
        AuditEvent.objects.filter(verb__startswith="qualification.").values_list("verb", flat=True)
    ) == [
        "qualification.removed",
        "qualification.added",
    ]


def test_a_png_proof_of_a_kind_that_does_not_expire_keeps_no_expiry(profile, volunteer):
    qualification = services.qualification_add(
        user=volunteer,
        kind=kind(SIGN_LANGUAGE),
        proof=upload(png_bytes(), "scan.jpg", "image/jpeg"),
        expires_on=next_year(),
    )
    assert qualification.expires_on is None
    assert qualification.proof.name.endswith(".png")  # the content decides, not the name


FAKE_PROOFS = [
    ("html_named_pdf", b"<html><script>alert(1)</script></html>", "x.pdf"),
    ("pdf_header_only", b"%PDF-1.4 then nothing of a PDF", "x.pdf"),
    ("png_header_only", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "x.png"),
    ("jpeg_header_only", b"\xff\xd8\xff" + b"\x00" * 64, "x.jpg"),
    ("empty", b"", "x.pdf"),
    ("exe", b"MZ\x90\x00" + b"\x00" * 64, "x.pdf"),
]


@pytest.mark.parametrize(
    ("content", "name"), [f[1:] for f in FAKE_PROOFS], ids=[f[0] for f in FAKE_PROOFS]
)
def test_a_proof_that_is_not_really_a_pdf_or_image_is_refused(profile, volunteer, content, name):
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.qualification_add(
            user=volunteer, kind=kind(), proof=upload(content, name), expires_on=next_year()
        )
    assert refused.value.code == "invalid_proof"
    assert "proof" in refused.value.fields
    assert snapshot() == before


def test_a_proof_over_5_mb_is_refused(profile, volunteer):
    big = pdf_bytes() + b" " * (5 * 1024 * 1024) + b"%%EOF"
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.qualification_add(
            user=volunteer, kind=kind(), proof=upload(big), expires_on=next_year()
        )
    assert refused.value.code == "invalid_proof"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("expires_on", "code"),
    [(None, "expiry_required"), (dt.date(2000, 1, 1), "qualification_expired")],
)
def test_expiry_rules_refuse_and_change_nothing(profile, volunteer, expires_on, code):
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.qualification_add(
            user=volunteer, kind=kind(), proof=upload(pdf_bytes()), expires_on=expires_on
        )
    assert refused.value.code == code
    assert snapshot() == before


def test_a_qualification_needs_a_profile_first(volunteer):
    with pytest.raises(ServiceError) as refused:
        services.qualification_add(
            user=volunteer, kind=kind(), proof=upload(pdf_bytes()), expires_on=next_year()
        )
    assert refused.value.code == "no_profile"
    assert not Qualification.objects.exists()


def test_nobody_removes_another_persons_qualification(profile, volunteer, other_volunteer):
    qualification = services.qualification_add(
        user=volunteer, kind=kind(), proof=upload(pdf_bytes()), expires_on=next_year()
    )
    before = snapshot()
    with pytest.raises(PermissionRefused):
        services.qualification_remove(qualification=qualification, actor=other_volunteer)
    assert snapshot() == before


@pytest.fixture
def qualification(profile, volunteer):
    return services.qualification_add(
        user=volunteer, kind=kind(), proof=upload(pdf_bytes()), expires_on=next_year()
    )


def test_a_coordinator_verifies_a_qualification(qualification, coordinator, organization):
    verified = services.qualification_verify(
        qualification=qualification, verified_by=coordinator, organization=organization
    )
    assert verified.is_verified and verified.verified_organization == organization
    event = AuditEvent.objects.get(verb="qualification.verified")
    assert event.organization_id == organization.pk


def test_verification_refusals_change_nothing(
    qualification, volunteer, coordinator, case_worker, outsider, organization
):
    before = snapshot()
    for user, org in [
        (case_worker, organization),  # role too low
        (outsider, organization),  # not a member
        (volunteer, organization),  # not a member, and it is their own
    ]:
        with pytest.raises(PermissionRefused):
            services.qualification_verify(
                qualification=qualification, verified_by=user, organization=org
            )
    Organization.objects.filter(pk=organization.pk).update(status=Organization.Status.SUSPENDED)
    organization.refresh_from_db()
    with pytest.raises(PermissionRefused):
        services.qualification_verify(
            qualification=qualification, verified_by=coordinator, organization=organization
        )
    assert snapshot() == before


def test_an_expired_or_verified_qualification_is_not_verified_again(
    qualification, coordinator, org_admin, organization
):
    services.qualification_verify(
        qualification=qualification, verified_by=coordinator, organization=organization
    )
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.qualification_verify(
            qualification=qualification, verified_by=org_admin, organization=organization
        )
    assert refused.value.code == "already_verified"
    assert snapshot() == before
    Qualification.objects.filter(pk=qualification.pk).update(
        verified_at=None, expires_on=dt.date(2001, 1, 1)
    )
    with pytest.raises(ServiceError) as refused:
        services.qualification_verify(
            qualification=qualification, verified_by=org_admin, organization=organization
        )
    assert refused.value.code == "qualification_expired"


def test_the_database_refuses_a_party_size_that_does_not_fit(profile):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        VolunteerProfile.objects.filter(pk=profile.pk).update(is_group=True, party_size=1)
