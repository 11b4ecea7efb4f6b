"""Volunteer profiles (the caller's own), their qualifications, and the public taxonomy and places.

GET/PUT /volunteer-profile, GET/POST /volunteer-profile/qualifications,
DELETE /volunteer-profile/qualifications/{qualification_id}; GET /taxonomy/skills and
GET /places/cities need no sign-in. Skills, fields, cities, districts and qualification kinds are
named by their stable `code`. The same services as the pages do the writing.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import Http404
from django.utils.translation import gettext
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field, StrictBool

from ataa.api.v1.fields import city_by_code, form_field, input_error
from ataa.api.v1.pagination import PageNumberPagination
from ataa.api.v1.schemas import InputSchema, NamedOut
from ataa.core.audit import client_ip
from ataa.core.models import District
from ataa.volunteers import selectors, services
from ataa.volunteers.access import access_own_profile, access_qualification_by_id
from ataa.volunteers.forms import VolunteerProfileForm
from ataa.volunteers.models import (
    MAX_PARTY_SIZE,
    ConsentPurpose,
    Gender,
    QualificationKind,
    Skill,
    SpokenLanguage,
    VolunteeringField,
    WorkMode,
)

router = Router(tags=["volunteers"])


def _text(name: str, description: str = ""):
    return form_field(VolunteerProfileForm, name, description=description)


# --- Output -----------------------------------------------------------------------------------


class SkillOut(NamedOut):
    field: str

    @staticmethod
    def resolve_field(skill) -> str:
        return skill.field.code


class FieldWithSkillsOut(NamedOut):
    skills: list[NamedOut]

    @staticmethod
    def resolve_skills(field) -> list:
        return list(field.skills.all())


class CityOut(NamedOut):
    country: str
    districts: list[NamedOut]

    @staticmethod
    def resolve_districts(city) -> list:
        return list(city.districts.all())


class ConsentOut(Schema):
    purpose: ConsentPurpose
    wording_version: str
    given_at: dt.datetime


class VolunteerProfileOut(Schema):
    id: int
    full_name_ar: str
    full_name_latin: str
    gender: Gender
    date_of_birth: dt.date
    is_minor: bool
    phone: str
    city: NamedOut
    district: NamedOut | None
    latitude: float | None
    longitude: float | None
    skills: list[SkillOut]
    interests: list[NamedOut]
    languages: list[SpokenLanguage]
    availability: list[str] = Field(description="Weekly slots such as `sun-morning`.")
    work_mode: WorkMode
    needs_wheelchair_access: bool
    needs_visual_support: bool
    needs_hearing_support: bool
    accessibility_notes: str
    emergency_contact_name: str
    emergency_contact_phone: str
    is_group: bool
    party_size: int
    share_phone_with_organizations: bool
    share_date_of_birth: bool
    share_evaluations_with_organizations: bool = Field(
        description="Organizations you apply to may see the averages of your evaluations."
    )
    guardian_name: str
    guardian_phone: str
    guardian_consent_at: dt.datetime | None
    consents: list[ConsentOut] = Field(description="The consents in force.")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_latitude(profile):
        return float(profile.latitude) if profile.latitude is not None else None

    @staticmethod
    def resolve_longitude(profile):
        return float(profile.longitude) if profile.longitude is not None else None

    @staticmethod
    def resolve_skills(profile) -> list:
        return list(profile.skills.all())

    @staticmethod
    def resolve_interests(profile) -> list:
        return list(profile.interests.all())

    @staticmethod
    def resolve_consents(profile) -> list:
        return list(profile.open_consents)


class QualificationKindOut(NamedOut):
    expires: bool


class QualificationOut(Schema):
    id: int
    kind: QualificationKindOut
    expires_on: dt.date | None
    is_verified: bool
    verified_at: dt.datetime | None
    created_at: dt.datetime


# --- Input ------------------------------------------------------------------------------------


class VolunteerProfileIn(InputSchema):
    """The whole profile: PUT creates it or replaces all of it."""

    full_name_ar: _text("full_name_ar")
    full_name_latin: _text("full_name_latin") = ""
    gender: Gender
    date_of_birth: dt.date = Field(description="Under 18 today: the guardian fields are required.")
    phone: _text("phone", "Digits, optionally starting with +.")
    city: str = Field(description="A city's `code` (GET /places/cities).", max_length=64)
    district: str | None = Field(None, description="A `code` of one of the city's districts.")
    latitude: Decimal | None = Field(None, ge=-90, le=90, max_digits=9, decimal_places=6)
    longitude: Decimal | None = Field(None, ge=-180, le=180, max_digits=9, decimal_places=6)
    skills: list[str] = Field([], description="Skill codes (GET /taxonomy/skills).")
    interests: list[str] = Field([], description="Codes of fields of volunteering.")
    languages: list[SpokenLanguage] = Field(min_length=1)
    availability: list[str] = Field([], description="Slots such as `sun-morning`.")
    work_mode: WorkMode = WorkMode.BOTH
    needs_wheelchair_access: StrictBool = False
    needs_visual_support: StrictBool = False
    needs_hearing_support: StrictBool = False
    accessibility_notes: _text("accessibility_notes") = ""
    emergency_contact_name: _text("emergency_contact_name") = ""
    emergency_contact_phone: _text("emergency_contact_phone") = ""
    is_group: StrictBool = False
    party_size: int = Field(1, ge=1, le=MAX_PARTY_SIZE)
    share_phone_with_organizations: StrictBool = False
    share_date_of_birth: StrictBool = False
    share_evaluations_with_organizations: StrictBool = False
    guardian_name: _text("guardian_name") = ""
    guardian_phone: _text("guardian_phone") = ""
    guardian_consent: StrictBool = False
    consents: list[ConsentPurpose] = Field(
        description="The purposes you consent to; `profile_processing` is required."
    )


def _by_codes(model, codes: list[str], field: str):
    found = {obj.code: obj for obj in model.objects.filter(code__in=codes)}
    if set(codes) - set(found):
        raise input_error(field, gettext("Choose only from the options offered."))
    return [found[code] for code in dict.fromkeys(codes)]


def _own_profile(user):
    profile = selectors.profile_for_user(user=user)
    if profile is None:
        raise Http404
    return profile


# --- Operations -------------------------------------------------------------------------------


@router.get("/volunteer-profile", response=VolunteerProfileOut)
def volunteer_profile_get(request):
    """Your volunteer profile (404 until you create it with PUT)."""
    return _own_profile(request.auth)


@router.put("/volunteer-profile", response=VolunteerProfileOut)
def volunteer_profile_put(request, payload: VolunteerProfileIn):
    """Create your volunteer profile, or replace all of it."""
    data = payload.model_dump()
    city = city_by_code(data.pop("city"))
    district_code = data.pop("district")
    district = None
    if district_code:
        district = District.objects.filter(city=city, code=district_code).first()
        if district is None:
            raise input_error("district", gettext("Choose a district of the chosen city."))
    services.volunteer_profile_save(
        user=request.auth,
        city=city,
        district=district,
        skills=_by_codes(Skill, data.pop("skills"), "skills"),
        interests=_by_codes(VolunteeringField, data.pop("interests"), "interests"),
        ip_address=client_ip(request),
        **data,
    )
    return _own_profile(request.auth)


@router.get("/volunteer-profile/qualifications", response=list[QualificationOut])
@paginate(PageNumberPagination)
def qualification_list(request):
    """Your qualifications, newest first."""
    return selectors.qualification_list(user=request.auth)


@router.post("/volunteer-profile/qualifications", response={201: QualificationOut})
def qualification_add(
    request,
    kind: Form[str],
    proof: File[UploadedFile],
    expires_on: Form[dt.date | None] = None,
):
    """Add a qualification (multipart form): `kind` (a code), `proof` (a PDF, JPEG or PNG of at
    most 5 MB) and `expires_on` (required when the kind expires)."""
    access_own_profile(request.auth)
    kind_object = QualificationKind.objects.filter(code=kind).first()
    if kind_object is None:
        raise input_error(
            "kind", gettext("Choose one of the kinds of qualification."), source=("form",)
        )
    return services.qualification_add(
        user=request.auth,
        kind=kind_object,
        proof=proof,
        expires_on=expires_on,
        ip_address=client_ip(request),
    )


@router.delete("/volunteer-profile/qualifications/{qualification_id}", response={204: None})
def qualification_remove(request, qualification_id: int):
    """Remove one of your qualifications and its proof."""
    qualification = access_qualification_by_id(request.auth, qualification_id)
    services.qualification_remove(
        qualification=qualification, actor=request.auth, ip_address=client_ip(request)
    )


@router.get("/taxonomy/skills", response=list[FieldWithSkillsOut], auth=None)
def skill_taxonomy(request):
    """The fields of volunteering with their skills, named in Arabic and English (public)."""
    return list(selectors.field_list_with_skills())


@router.get("/places/cities", response=list[CityOut], auth=None)
def city_list(request):
    """The cities people choose from, with their districts (public)."""
    return list(selectors.city_list_with_districts())
