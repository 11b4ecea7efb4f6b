"""Writes to volunteer profiles: one transaction, one audit event (ids only), each.

Every refusal raises ServiceError before anything is written, so a refused call changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ataa.core.audit import audit_record
from ataa.core.errors import PermissionRefused, ServiceError
from ataa.core.models import City, District
from ataa.organizations.models import Membership, Organization, Role
from ataa.volunteers.files import proof_format
from ataa.volunteers.models import (
    ADULT_AGE,
    AVAILABILITY_SLOTS,
    CONSENT_WORDING_VERSION,
    MAX_PARTY_SIZE,
    ConsentPurpose,
    ConsentRecord,
    Gender,
    Qualification,
    QualificationKind,
    Skill,
    SpokenLanguage,
    VolunteeringField,
    VolunteerProfile,
    WorkMode,
    age_on,
)

OLDEST_AGE = 110
VERIFIER_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})


def _field_error(field: str, message, code: str) -> ServiceError:
    return ServiceError(message, code=code, fields={field: [message]})


def _ordered_codes(values: Iterable[str], allowed: list[str], field: str) -> list[str]:
    chosen = set(values)
    unknown = chosen - set(allowed)
    if unknown:
        raise _field_error(field, _("Choose only from the options offered."), "invalid_choice")
    return [code for code in allowed if code in chosen]


def _check_profile(
    *,
    date_of_birth: dt.date,
    city: City,
    district: District | None,
    latitude: Decimal | None,
    longitude: Decimal | None,
    is_group: bool,
    party_size: int,
    emergency_contact_name: str,
    emergency_contact_phone: str,
    guardian_name: str,
    guardian_phone: str,
    guardian_consent: bool,
    today: dt.date,
) -> None:
    if date_of_birth > today:
        raise _field_error(
            "date_of_birth", _("The date of birth cannot be in the future."), "invalid_birth_date"
        )
    if age_on(date_of_birth, today) > OLDEST_AGE:
        raise _field_error(
            "date_of_birth", _("Check the year of the date of birth."), "invalid_birth_date"
        )
    if district is not None and district.city_id != city.pk:
        raise _field_error(
            "district", _("Choose a district of the chosen city."), "district_not_in_city"
        )
    if (latitude is None) != (longitude is None):
        raise _field_error(
            "longitude",
            _("Give both the latitude and the longitude of the map point, or neither."),
            "incomplete_map_point",
        )
    if latitude is not None and not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise _field_error("latitude", _("The map point is not on Earth."), "invalid_map_point")
    if is_group and not 2 <= party_size <= MAX_PARTY_SIZE:
        raise _field_error(
            "party_size",
            _("A group has between 2 and %(max)d people.") % {"max": MAX_PARTY_SIZE},
            "invalid_party_size",
        )
    if not is_group and party_size != 1:
        raise _field_error(
            "party_size",
            _("Someone volunteering alone is a party of 1; tick “group” for more people."),
            "invalid_party_size",
        )
    if bool(emergency_contact_name) != bool(emergency_contact_phone):
        field = "emergency_contact_phone" if emergency_contact_name else "emergency_contact_name"
        raise _field_error(
            field,
            _("Give both the name and the phone number of the emergency contact, or neither."),
            "incomplete_emergency_contact",
        )
    if age_on(date_of_birth, today) < ADULT_AGE:
        fields = {}
        if not guardian_name:
            fields["guardian_name"] = [_("A volunteer under 18 needs a parent or guardian.")]
        if not guardian_phone:
            fields["guardian_phone"] = [_("Give the parent's or guardian's phone number.")]
        if not guardian_consent:
            fields["guardian_consent"] = [
                _("A volunteer under 18 needs the consent of a parent or guardian.")
            ]
        if fields:
            raise ServiceError(
                _("A volunteer under 18 needs the consent of a parent or guardian."),
                code="guardian_consent_required",
                fields=fields,
            )


@transaction.atomic
def volunteer_profile_save(
    *,
    user,
    full_name_ar: str,
    gender: str,
    date_of_birth: dt.date,
    phone: str,
    city: City,
    consents: Iterable[str],
    full_name_latin: str = "",
    district: District | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    skills: Iterable[Skill] = (),
    languages: Iterable[str] = (),
    interests: Iterable[VolunteeringField] = (),
    availability: Iterable[str] = (),
    work_mode: str = WorkMode.BOTH,
    needs_wheelchair_access: bool = False,
    needs_visual_support: bool = False,
    needs_hearing_support: bool = False,
    accessibility_notes: str = "",
    emergency_contact_name: str = "",
    emergency_contact_phone: str = "",
    is_group: bool = False,
    party_size: int = 1,
    share_phone_with_organizations: bool = False,
    share_date_of_birth: bool = False,
    share_evaluations_with_organizations: bool = False,
    guardian_name: str = "",
    guardian_phone: str = "",
    guardian_consent: bool = False,
    ip_address: str | None = None,
) -> VolunteerProfile:
    """Create the person's volunteer profile, or replace all of it.

    `consents` are the purposes the person agrees to now: new ones are given, missing ones are
    withdrawn (consent to processing the profile cannot be withdrawn while the profile exists).
    A minor (under 18 today) needs a guardian's name, phone and consent.
    """
    today = timezone.localdate()
    full_name_ar = full_name_ar.strip()
    if not full_name_ar:
        raise _field_error(
            "full_name_ar", _("Write your full name in Arabic."), "full_name_required"
        )
    gender = Gender(gender)
    work_mode = WorkMode(work_mode)
    consents = set(_ordered_codes(consents, ConsentPurpose.values, "consents"))
    languages = _ordered_codes(languages, SpokenLanguage.values, "languages")
    availability = _ordered_codes(availability, AVAILABILITY_SLOTS, "availability")
    emergency_contact_name = emergency_contact_name.strip()
    emergency_contact_phone = emergency_contact_phone.strip()
    guardian_name, guardian_phone = guardian_name.strip(), guardian_phone.strip()
    _check_profile(
        date_of_birth=date_of_birth,
        city=city,
        district=district,
        latitude=latitude,
        longitude=longitude,
        is_group=is_group,
        party_size=party_size,
        emergency_contact_name=emergency_contact_name,
        emergency_contact_phone=emergency_contact_phone,
        guardian_name=guardian_name,
        guardian_phone=guardian_phone,
        guardian_consent=guardian_consent,
        today=today,
    )
    if ConsentPurpose.PROFILE_PROCESSING not in consents:
        raise _field_error(
            "consent_profile_processing",
            _("We can keep your volunteer profile only with your consent to processing it."),
            "consent_required",
        )

    profile = VolunteerProfile.objects.select_for_update().filter(user=user).first()
    created = profile is None
    if created:
        profile = VolunteerProfile(user=user, created_at=timezone.now())
    minor = age_on(date_of_birth, today) < ADULT_AGE
    values = {
        "full_name_ar": full_name_ar,
        "full_name_latin": full_name_latin.strip(),
        "gender": gender,
        "date_of_birth": date_of_birth,
        "phone": phone.strip(),
        "city": city,
        "district": district,
        "latitude": latitude,
        "longitude": longitude,
        "languages": languages,
        "availability": availability,
        "work_mode": work_mode,
        "needs_wheelchair_access": needs_wheelchair_access,
        "needs_visual_support": needs_visual_support,
        "needs_hearing_support": needs_hearing_support,
        "accessibility_notes": accessibility_notes.strip(),
        "emergency_contact_name": emergency_contact_name,
        "emergency_contact_phone": emergency_contact_phone,
        "is_group": is_group,
        "party_size": party_size,
        "share_phone_with_organizations": share_phone_with_organizations,
        "share_date_of_birth": share_date_of_birth,
        "share_evaluations_with_organizations": share_evaluations_with_organizations,
        # An adult's guardian is not kept (data minimization).
        "guardian_name": guardian_name if minor else "",
        "guardian_phone": guardian_phone if minor else "",
        "guardian_consent_at": (profile.guardian_consent_at or timezone.now()) if minor else None,
        "updated_at": timezone.now(),
    }
    for name, value in values.items():
        setattr(profile, name, value)
    profile.save()
    profile.skills.set(list(skills))
    profile.interests.set(list(interests))

    open_purposes = set(
        profile.consents.filter(withdrawn_at__isnull=True).values_list("purpose", flat=True)
    )
    for purpose in sorted(consents - open_purposes):
        _consent_give(profile=profile, purpose=purpose, actor=user, ip_address=ip_address)
    for purpose in sorted(open_purposes - consents):
        _consent_withdraw(profile=profile, purpose=purpose, actor=user, ip_address=ip_address)

    audit_record(
        actor=user,
        verb="volunteer_profile.created" if created else "volunteer_profile.updated",
        target=profile,
        ip_address=ip_address,
        payload={"minor": minor, "is_group": is_group, "party_size": party_size},
    )
    return profile


# --- Consent ------------------------------------------------------------------------------------


def _consent_give(*, profile, purpose: str, actor, ip_address) -> ConsentRecord:
    record = ConsentRecord.objects.create(
        profile=profile, purpose=purpose, wording_version=CONSENT_WORDING_VERSION
    )
    audit_record(
        actor=actor,
        verb="consent.given",
        target=record,
        ip_address=ip_address,
        payload={"profile_id": profile.pk, "purpose": purpose, "version": record.wording_version},
    )
    return record


def _consent_withdraw(*, profile, purpose: str, actor, ip_address) -> ConsentRecord:
    if purpose == ConsentPurpose.PROFILE_PROCESSING:
        raise _field_error(
            "consent_profile_processing",
            _(
                "Consent to processing your volunteer profile cannot be withdrawn while the "
                "profile exists. Ask for the profile to be erased instead."
            ),
            "consent_required",
        )
    record = (
        ConsentRecord.objects.select_for_update()
        .filter(profile=profile, purpose=purpose, withdrawn_at__isnull=True)
        .first()
    )
    if record is None:
        raise ServiceError(
            _("This consent is not given, so it cannot be withdrawn."), code="no_consent"
        )
    # The one change a consent record allows: its withdrawal, once.
    ConsentRecord.objects.filter(pk=record.pk, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )
    record.refresh_from_db()
    audit_record(
        actor=actor,
        verb="consent.withdrawn",
        target=record,
        ip_address=ip_address,
        payload={"profile_id": profile.pk, "purpose": purpose},
    )
    return record


@transaction.atomic
def consent_give(
    *, profile: VolunteerProfile, purpose: str, actor, ip_address: str | None = None
) -> ConsentRecord:
    """Give consent for a purpose (a no-op, answering the open record, if already given)."""
    purpose = ConsentPurpose(purpose)
    open_record = ConsentRecord.objects.filter(
        profile=profile, purpose=purpose, withdrawn_at__isnull=True
    ).first()
    if open_record is not None:
        return open_record
    return _consent_give(profile=profile, purpose=purpose, actor=actor, ip_address=ip_address)


@transaction.atomic
def consent_withdraw(
    *, profile: VolunteerProfile, purpose: str, actor, ip_address: str | None = None
) -> ConsentRecord:
    return _consent_withdraw(
        profile=profile, purpose=ConsentPurpose(purpose), actor=actor, ip_address=ip_address
    )


# --- Qualifications ---------------------------------------------------------------------------


@transaction.atomic
def qualification_add(
    *,
    user,
    kind: QualificationKind,
    proof,
    expires_on: dt.date | None = None,
    ip_address: str | None = None,
) -> Qualification:
    """Add a qualification with its proof (PDF, JPEG or PNG, at most 5 MB) to the person's
    profile; it waits for a coordinator's verification."""
    profile = VolunteerProfile.objects.filter(user=user).first()
    if profile is None:
        raise ServiceError(
            _("Save your volunteer profile before adding qualifications."), code="no_profile"
        )
    if kind.expires and expires_on is None:
        raise _field_error(
            "expires_on", _("Give the date this qualification expires."), "expiry_required"
        )
    if expires_on is not None and expires_on < timezone.localdate():
        raise _field_error(
            "expires_on", _("This qualification has already expired."), "qualification_expired"
        )
    extension = proof_format(proof)
    proof.name = f"proof.{extension}"
    qualification = Qualification.objects.create(
        profile=profile,
        kind=kind,
        proof=proof,
        expires_on=expires_on if kind.expires else None,
    )
    audit_record(
        actor=user,
        verb="qualification.added",
        target=qualification,
        ip_address=ip_address,
        payload={"profile_id": profile.pk, "kind_id": kind.pk},
    )
    return qualification


@transaction.atomic
def qualification_remove(
    *, qualification: Qualification, actor, ip_address: str | None = None
) -> None:
    """Remove one of the person's own qualifications and, after commit, its proof file."""
    if qualification.profile.user_id != actor.pk:
        raise PermissionRefused(_("This qualification is not yours."))
    audit_record(
        actor=actor,
        verb="qualification.removed",
        target=qualification,
        ip_address=ip_address,
        payload={"profile_id": qualification.profile_id, "kind_id": qualification.kind_id},
    )
    storage, name = qualification.proof.storage, qualification.proof.name
    qualification.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def qualification_verify(
    *,
    qualification: Qualification,
    verified_by,
    organization: Organization,
    ip_address: str | None = None,
) -> Qualification:
    """A coordinator (or admin) of an active organization confirms the proof is genuine."""
    qualification = (
        Qualification.objects.select_for_update().select_related("profile").get(pk=qualification.pk)
    )
    is_verifier = Membership.objects.filter(
        user=verified_by, organization=organization, role__in=VERIFIER_ROLES
    ).exists()
    if not is_verifier or not organization.is_active:
        raise PermissionRefused(
            _("Only a coordinator or an admin of an active organization verifies qualifications.")
        )
    if qualification.profile.user_id == verified_by.pk:
        raise PermissionRefused(_("Nobody verifies their own qualification."))
    if qualification.is_verified:
        raise ServiceError(_("This qualification is already verified."), code="already_verified")
    if qualification.is_expired_on(timezone.localdate()):
        raise ServiceError(
            _("This qualification has expired; it cannot be verified."),
            code="qualification_expired",
        )
    qualification.verified_at = timezone.now()
    qualification.verified_by = verified_by
    qualification.verified_organization = organization
    qualification.save(update_fields=["verified_at", "verified_by", "verified_organization"])
    audit_record(
        actor=verified_by,
        verb="qualification.verified",
        organization_id=organization.pk,
        target=qualification,
        ip_address=ip_address,
        payload={"profile_id": qualification.profile_id, "kind_id": qualification.kind_id},
    )
    return qualification
