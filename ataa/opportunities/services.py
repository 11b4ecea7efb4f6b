"""Writes to opportunities and shifts.

Each service is one transaction with one audit event (ids only); the HTML views and the API call
the same services. A refused action raises ServiceError with a translated message and changes
nothing.

States: draft -> published <-> closed; any but archived -> archived (final).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ataa.core.audit import audit_record
from ataa.core.errors import ServiceError
from ataa.core.models import City, District
from ataa.core.text import search_key
from ataa.opportunities.access import require_manager
from ataa.opportunities.models import Opportunity, Shift
from ataa.organizations.models import Organization
from ataa.volunteers.models import QualificationKind, Skill, VolunteeringField

MAX_WEEKLY_DAYS = 366
MAX_GENERATED_SHIFTS = 400

Status = Opportunity.Status


def _require_manager(*, actor, organization: Organization) -> None:
    require_manager(
        actor=actor,
        organization_id=organization.pk,
        refusal=_("Only the organization's admins and coordinators can manage opportunities."),
    )


# A phone's location indoors is often off by tens of metres: a smaller radius would refuse people
# standing at the site; a larger one no longer says they came.
GEOFENCE_MIN_M = 50
GEOFENCE_MAX_M = 5000


def _validate(values: dict) -> None:
    """The rules of an opportunity's details; every problem at once, by field."""
    problems: dict[str, list[str]] = {}
    age_min, age_max = values.get("age_min"), values.get("age_max")
    if age_min is not None and age_max is not None and age_min > age_max:
        problems["age_max"] = [_("The maximum age must not be below the minimum age.")]
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        problems["ends_on"] = [_("The end date must not be before the start date.")]
    if values.get("capacity") is None or values["capacity"] < 1:
        problems["capacity"] = [_("At least one volunteer must be needed.")]
    city, district = values.get("city"), values.get("district")
    if values.get("work_mode") != Opportunity.WorkMode.REMOTE and city is None:
        problems["city"] = [_("Choose the city of an opportunity that is not remote.")]
    if district is not None and (city is None or district.city_id != city.pk):
        problems["district"] = [_("Choose a district of the chosen city.")]
    latitude, longitude = values.get("latitude"), values.get("longitude")
    if (latitude is None) != (longitude is None):
        problems["longitude"] = [_("Give both the latitude and the longitude, or neither.")]
    if latitude is not None and not Decimal(-90) <= Decimal(latitude) <= Decimal(90):
        problems["latitude"] = [_("The latitude must be between -90 and 90.")]
    if longitude is not None and not Decimal(-180) <= Decimal(longitude) <= Decimal(180):
        problems["longitude"] = [_("The longitude must be between -180 and 180.")]
    radius = values.get("geofence_radius_m")
    if radius is not None:
        if latitude is None:
            problems["geofence_radius_m"] = [
                _("A check-in radius needs the map point: give the latitude and longitude.")
            ]
        elif not GEOFENCE_MIN_M <= radius <= GEOFENCE_MAX_M:
            problems["geofence_radius_m"] = [
                _("The check-in radius must be between %(min)d and %(max)d metres.")
                % {"min": GEOFENCE_MIN_M, "max": GEOFENCE_MAX_M}
            ]
    if not (values.get("title_ar") or "").strip() and not (values.get("title_en") or "").strip():
        problems["title_ar"] = [_("Give the opportunity a title.")]
    if problems:
        raise ServiceError(
            _("The opportunity's details are not valid."), code="invalid_input", fields=problems
        )


def compute_search_text(opportunity: Opportunity) -> str:
    """search_key() of everything a visitor may type to find the opportunity."""
    parts = [
        opportunity.title_ar,
        opportunity.title_en,
        opportunity.description_ar,
        opportunity.description_en,
        opportunity.organization.name_ar,
        opportunity.organization.name_en,
    ]
    for place in (opportunity.city, opportunity.district, opportunity.field):
        if place is not None:
            parts += [place.name_ar, place.name_en]
    return search_key(" ".join(part for part in parts if part))


_SCALARS = (
    "title_ar",
    "title_en",
    "description_ar",
    "description_en",
    "field",
    "work_mode",
    "city",
    "district",
    "latitude",
    "longitude",
    "geofence_radius_m",
    "exact_address",
    "age_min",
    "age_max",
    "gender_eligibility",
    "capacity",
    "starts_on",
    "ends_on",
    "visibility",
    "is_emergency",
    "suitable_for_disabilities",
)


def _apply(
    opportunity: Opportunity,
    values: dict,
    *,
    required_skills: Iterable[Skill],
    preferred_skills: Iterable[Skill],
    required_qualifications: Iterable[QualificationKind],
) -> None:
    for name in _SCALARS:
        value = values[name]
        if isinstance(value, str) and name not in {"work_mode", "gender_eligibility", "visibility"}:
            value = value.strip()
        setattr(opportunity, name, value)
    opportunity.updated_at = timezone.now()
    opportunity.search_text = compute_search_text(opportunity)
    opportunity.save()
    opportunity.required_skills.set(list(required_skills))
    opportunity.preferred_skills.set(list(preferred_skills))
    opportunity.required_qualifications.set(list(required_qualifications))


@transaction.atomic
def opportunity_create(
    *,
    organization: Organization,
    created_by,
    title_ar: str,
    title_en: str,
    description_ar: str = "",
    description_en: str = "",
    field: VolunteeringField | None = None,
    work_mode: str = Opportunity.WorkMode.ON_SITE,
    city: City | None = None,
    district: District | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    geofence_radius_m: int | None = None,
    exact_address: str = "",
    required_skills: Iterable[Skill] = (),
    preferred_skills: Iterable[Skill] = (),
    required_qualifications: Iterable[QualificationKind] = (),
    age_min: int | None = None,
    age_max: int | None = None,
    gender_eligibility: str = Opportunity.Gender.EVERYONE,
    capacity: int = 1,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    visibility: str = Opportunity.Visibility.PUBLIC,
    is_emergency: bool = False,
    suitable_for_disabilities: bool = False,
    ip_address: str | None = None,
) -> Opportunity:
    """A new opportunity, as a draft, by an admin or a coordinator of the organization."""
    _require_manager(actor=created_by, organization=organization)
    values = {name: value for name, value in locals().items() if name in _SCALARS}
    values["work_mode"] = Opportunity.WorkMode(work_mode)
    values["gender_eligibility"] = Opportunity.Gender(gender_eligibility)
    values["visibility"] = Opportunity.Visibility(visibility)
    _validate(values)
    opportunity = Opportunity(organization=organization, created_by=created_by)
    _apply(
        opportunity,
        values,
        required_skills=required_skills,
        preferred_skills=preferred_skills,
        required_qualifications=required_qualifications,
    )
    audit_record(
        actor=created_by,
        verb="opportunity.created",
        organization_id=organization.pk,
        target=opportunity,
        ip_address=ip_address,
    )
    return opportunity


@transaction.atomic
def opportunity_update(
    *,
    opportunity: Opportunity,
    actor,
    ip_address: str | None = None,
    required_skills: Iterable[Skill] = (),
    preferred_skills: Iterable[Skill] = (),
    required_qualifications: Iterable[QualificationKind] = (),
    **values,
) -> Opportunity:
    """Change an opportunity's details. Every detail is given (start from opportunity_values)."""
    unknown = set(values) - set(_SCALARS)
    missing = set(_SCALARS) - set(values)
    if unknown or missing:
        raise TypeError(f"opportunity_update: unknown {unknown}, missing {missing}")
    _require_manager(actor=actor, organization=opportunity.organization)
    opportunity = (
        Opportunity.objects.select_for_update()
        .select_related("organization")
        .get(pk=opportunity.pk)
    )
    if opportunity.status == Status.ARCHIVED:
        raise ServiceError(
            _("An archived opportunity cannot be changed."), code="opportunity_archived"
        )
    values["work_mode"] = Opportunity.WorkMode(values["work_mode"])
    values["gender_eligibility"] = Opportunity.Gender(values["gender_eligibility"])
    values["visibility"] = Opportunity.Visibility(values["visibility"])
    _validate(values)
    if opportunity.status != Status.DRAFT:
        _check_publishable(values)
    _apply(
        opportunity,
        values,
        required_skills=required_skills,
        preferred_skills=preferred_skills,
        required_qualifications=required_qualifications,
    )
    audit_record(
        actor=actor,
        verb="opportunity.updated",
        organization_id=opportunity.organization_id,
        target=opportunity,
        ip_address=ip_address,
    )
    return opportunity


def opportunity_refresh_search_text(*, organization: Organization) -> int:
    """Recompute search_text of an organization's opportunities (after its name changed)."""
    opportunities = list(
        Opportunity.objects.filter(organization=organization).select_related(
            "organization", "city", "district", "field"
        )
    )
    for opportunity in opportunities:
        opportunity.search_text = compute_search_text(opportunity)
    Opportunity.objects.bulk_update(opportunities, ["search_text"], batch_size=500)
    return len(opportunities)


# --- States ---------------------------------------------------------------------------------


def _check_publishable(values: dict) -> None:
    problems: dict[str, list[str]] = {}
    if not (values.get("title_ar") or "").strip():
        problems["title_ar"] = [_("A published opportunity needs a title in Arabic.")]
    if not (values.get("title_en") or "").strip():
        problems["title_en"] = [_("A published opportunity needs a title in English.")]
    if not values.get("starts_on"):
        problems["starts_on"] = [_("A published opportunity needs a start date.")]
    if not values.get("ends_on"):
        problems["ends_on"] = [_("A published opportunity needs an end date.")]
    if problems:
        raise ServiceError(
            _(
                "The opportunity cannot be published yet: it needs a title in Arabic and in "
                "English, and its dates."
            ),
            code="not_publishable",
            fields=problems,
        )


def _transition(
    *, opportunity: Opportunity, actor, to: str, allowed_from: set[str], refusal: str, ip_address
) -> Opportunity:
    _require_manager(actor=actor, organization=opportunity.organization)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status not in allowed_from:
        raise ServiceError(refusal, code="illegal_transition")
    if to == Status.PUBLISHED:
        _check_publishable(
            {name: getattr(opportunity, name) for name in ("title_ar", "title_en")}
            | {"starts_on": opportunity.starts_on, "ends_on": opportunity.ends_on}
        )
        if opportunity.published_at is None:
            opportunity.published_at = timezone.now()
    previous = opportunity.status
    opportunity.status = to
    opportunity.updated_at = timezone.now()
    opportunity.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        verb=f"opportunity.{to}",
        organization_id=opportunity.organization_id,
        target=opportunity,
        ip_address=ip_address,
        payload={"from": previous, "to": to},
    )
    return opportunity


@transaction.atomic
def opportunity_publish(
    *, opportunity: Opportunity, actor, ip_address: str | None = None
) -> Opportunity:
    """Publish a draft, or open a closed opportunity again."""
    return _transition(
        opportunity=opportunity,
        actor=actor,
        to=Status.PUBLISHED,
        allowed_from={Status.DRAFT, Status.CLOSED},
        refusal=_("Only a draft or a closed opportunity can be published."),
        ip_address=ip_address,
    )


@transaction.atomic
def opportunity_close(
    *, opportunity: Opportunity, actor, ip_address: str | None = None
) -> Opportunity:
    """Stop taking volunteers; the opportunity leaves the public list."""
    return _transition(
        opportunity=opportunity,
        actor=actor,
        to=Status.CLOSED,
        allowed_from={Status.PUBLISHED},
        refusal=_("Only a published opportunity can be closed."),
        ip_address=ip_address,
    )


@transaction.atomic
def opportunity_archive(
    *, opportunity: Opportunity, actor, ip_address: str | None = None
) -> Opportunity:
    """Put an opportunity away for good; it can no longer be changed or published."""
    return _transition(
        opportunity=opportunity,
        actor=actor,
        to=Status.ARCHIVED,
        allowed_from={Status.DRAFT, Status.PUBLISHED, Status.CLOSED},
        refusal=_("This opportunity is already archived."),
        ip_address=ip_address,
    )


# --- Shifts ---------------------------------------------------------------------------------


def _check_shift(
    *, opportunity: Opportunity, starts_at: dt.datetime, ends_at: dt.datetime, capacity: int
) -> None:
    problems: dict[str, list[str]] = {}
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise ValueError("Shift times must be timezone-aware.")
    if ends_at <= starts_at:
        problems["ends_at"] = [_("A shift must end after it starts.")]
    if capacity is None or capacity < 1:
        problems["capacity"] = [_("At least one volunteer must be needed.")]
    local_start = timezone.localtime(starts_at).date()
    if (opportunity.starts_on and local_start < opportunity.starts_on) or (
        opportunity.ends_on and local_start > opportunity.ends_on
    ):
        problems["starts_at"] = [_("A shift must start within the opportunity's dates.")]
    if problems:
        raise ServiceError(_("The shift is not valid."), code="invalid_input", fields=problems)


def _lock_open_for_shifts(*, opportunity: Opportunity, actor) -> Opportunity:
    _require_manager(actor=actor, organization=opportunity.organization)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if opportunity.status == Status.ARCHIVED:
        raise ServiceError(
            _("An archived opportunity cannot get new shifts."), code="opportunity_archived"
        )
    return opportunity


@transaction.atomic
def shift_create(
    *,
    opportunity: Opportunity,
    created_by,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    ip_address: str | None = None,
) -> Shift:
    opportunity = _lock_open_for_shifts(opportunity=opportunity, actor=created_by)
    _check_shift(opportunity=opportunity, starts_at=starts_at, ends_at=ends_at, capacity=capacity)
    if Shift.objects.filter(opportunity=opportunity, starts_at=starts_at).exists():
        raise ServiceError(
            _("This opportunity already has a shift that starts at that time."),
            code="duplicate_shift",
            fields={"starts_at": [_("A shift already starts at this time.")]},
        )
    shift = Shift.objects.create(
        opportunity=opportunity, starts_at=starts_at, ends_at=ends_at, capacity=capacity
    )
    audit_record(
        actor=created_by,
        verb="shift.created",
        organization_id=opportunity.organization_id,
        target=shift,
        ip_address=ip_address,
        payload={"opportunity_id": opportunity.pk, "capacity": capacity},
    )
    return shift


@transaction.atomic
def shifts_generate_weekly(
    *,
    opportunity: Opportunity,
    created_by,
    weekdays: Iterable[int],
    start_time: dt.time,
    end_time: dt.time,
    from_date: dt.date,
    until_date: dt.date,
    capacity: int,
    ip_address: str | None = None,
) -> list[Shift]:
    """One shift on each chosen weekday (0 = Monday … 6 = Sunday) between two dates, both
    included, in the platform's time zone. Idempotent: a start that already has a shift is
    skipped, so running it again adds nothing. Returns the shifts it created."""
    opportunity = _lock_open_for_shifts(opportunity=opportunity, actor=created_by)
    weekdays = sorted(set(weekdays))
    problems: dict[str, list[str]] = {}
    if not weekdays or any(day not in range(7) for day in weekdays):
        problems["weekdays"] = [_("Choose at least one day of the week.")]
    if end_time <= start_time:
        problems["end_time"] = [_("A shift must end after it starts, on the same day.")]
    if until_date < from_date:
        problems["until_date"] = [_("The last date must not be before the first date.")]
    elif (until_date - from_date).days >= MAX_WEEKLY_DAYS:
        problems["until_date"] = [_("Generate at most one year of shifts at a time.")]
    if (opportunity.starts_on and from_date < opportunity.starts_on) or (
        opportunity.ends_on and until_date > opportunity.ends_on
    ):
        problems["from_date"] = [_("The shifts must fall within the opportunity's dates.")]
    if capacity is None or capacity < 1:
        problems["capacity"] = [_("At least one volunteer must be needed.")]
    if problems:
        raise ServiceError(
            _("The weekly shifts are not valid."), code="invalid_input", fields=problems
        )
    zone = timezone.get_default_timezone()
    wanted = []
    day = from_date
    while day <= until_date:
        if day.weekday() in weekdays:
            starts_at = dt.datetime.combine(day, start_time, tzinfo=zone)
            ends_at = dt.datetime.combine(day, end_time, tzinfo=zone)
            wanted.append((starts_at, ends_at))
        day += dt.timedelta(days=1)
    if len(wanted) > MAX_GENERATED_SHIFTS:
        raise ServiceError(
            _("That would make more than %(limit)d shifts; choose fewer days or a shorter period.")
            % {"limit": MAX_GENERATED_SHIFTS},
            code="invalid_input",
            fields={"until_date": [_("Choose a shorter period.")]},
        )
    existing = set(
        Shift.objects.filter(
            opportunity=opportunity,
            starts_at__in=[starts_at for starts_at, _end in wanted],
        ).values_list("starts_at", flat=True)
    )
    new = [
        Shift(opportunity=opportunity, starts_at=starts_at, ends_at=ends_at, capacity=capacity)
        for starts_at, ends_at in wanted
        if starts_at not in existing
    ]
    created = Shift.objects.bulk_create(new)
    audit_record(
        actor=created_by,
        verb="shift.generated",
        organization_id=opportunity.organization_id,
        target=opportunity,
        ip_address=ip_address,
        payload={"created": len(created), "skipped": len(wanted) - len(created)},
    )
    return created


# --- Applications (ataa/opportunities/applications.py) ---------------------------------------

from ataa.opportunities.applications import (  # noqa: E402, F401 (the views call services.*)
    application_accept,
    application_cancel,
    application_mark_no_show,
    application_reject,
    application_submit,
    application_waitlist,
    application_withdraw,
    applications_bulk_accept,
)
