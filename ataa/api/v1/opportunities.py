"""Opportunities and shifts: public reads (no login), organization-scoped writes.

The public operations follow the public pages' rules: published opportunities of active
organizations, public ones in the list; an unlisted one opens with its link key (`?key=`), a
members-only one for a signed-in member (browser session). Staff operations pass the
organization chokepoint first (scoping.py) and call the same services as the pages; their input
is validated by the same Django forms, so rules and messages are the same on both.
"""

import datetime as dt
from decimal import Decimal
from typing import Literal

from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from ataa.api.v1.pagination import PageNumberPagination, stable_order
from ataa.api.v1.schemas import InputSchema
from ataa.api.v1.scoping import organization_scoped, scoped_organization
from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.opportunities import selectors, services
from ataa.opportunities.access import (
    MANAGE_ROLES,
    access_application_by_id,
    access_opportunity_by_id,
    access_own_application_by_id,
    access_public_opportunity_by_id,
)
from ataa.opportunities.forms import OpportunityForm
from ataa.opportunities.models import Application, Opportunity, Shift
from ataa.organizations.access import ALL_ROLES

router = Router(tags=["opportunities"])


# --- Output ---------------------------------------------------------------------------------


class RefOut(Schema):
    id: int
    code: str
    name_ar: str
    name_en: str


class OrganizationRefOut(Schema):
    id: int
    name_ar: str
    name_en: str


class OpportunityOut(Schema):
    """An opportunity as the public sees it: never the exact address."""

    id: int
    organization: OrganizationRefOut
    title_ar: str
    title_en: str
    description_ar: str
    description_en: str
    field: RefOut | None
    work_mode: Opportunity.WorkMode
    city: RefOut | None
    district: RefOut | None
    latitude: Decimal | None
    longitude: Decimal | None
    geofence_radius_m: int | None
    age_min: int | None
    age_max: int | None
    gender_eligibility: Opportunity.Gender
    capacity: int
    starts_on: dt.date | None
    ends_on: dt.date | None
    is_emergency: bool
    suitable_for_disabilities: bool
    published_at: dt.datetime | None


class PublicQuestionOut(Schema):
    id: int = Field(description="Answer it by this id (`answers` when applying).")
    text_ar: str
    text_en: str
    required: bool


class OpportunityDetailOut(OpportunityOut):
    required_skills: list[RefOut]
    preferred_skills: list[RefOut]
    required_qualifications: list[RefOut]
    questions: list[PublicQuestionOut] = Field(description="The application questions, in order.")

    @staticmethod
    def resolve_questions(obj) -> list:
        return list(obj.questions.all())

    @staticmethod
    def resolve_required_skills(obj) -> list:
        return list(obj.required_skills.all())

    @staticmethod
    def resolve_preferred_skills(obj) -> list:
        return list(obj.preferred_skills.all())

    @staticmethod
    def resolve_required_qualifications(obj) -> list:
        return list(obj.required_qualifications.all())


class OpportunityStaffOut(OpportunityOut):
    """An opportunity as its organization's staff see it."""

    status: Opportunity.Status
    visibility: Opportunity.Visibility
    share_token: str = Field(description="The key of the unlisted link: ?key=…")
    exact_address: str
    created_at: dt.datetime
    shift_count: int | None = Field(None, description="In lists only.")
    shift_capacity: int | None = Field(None, description="In lists only: places of all shifts.")
    accepted: int | None = Field(
        None, description="In lists only: places taken by accepted applications."
    )
    places_offered: int | None = Field(
        None,
        description="In lists only: the places of its shifts, or its capacity without shifts.",
    )


class ShiftOut(Schema):
    id: int
    opportunity_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int


class ShiftStaffOut(ShiftOut):
    taken: int = Field(description="Places taken by accepted applications.")


# --- Input ----------------------------------------------------------------------------------


class OpportunityFilterIn(Schema):
    q: str = Field("", max_length=200, description="Words to find; Arabic spelling variants match.")
    city: str | None = Field(None, description="A city code, e.g. jeddah.")
    field: str | None = Field(None, description="A field of volunteering code, e.g. relief.")
    work_mode: Opportunity.WorkMode | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    skills: list[str] = Field([], description="Skill codes; any of them matches.")
    suitable_for_disabilities: bool | None = None
    gender: Literal["women", "men"] | None = Field(
        None, description="The volunteer's: finds opportunities open to them."
    )
    emergency: bool | None = None
    sort: Literal["newest", "soonest", "emergency"] = "newest"

    def filters(self) -> selectors.OpportunityFilters:
        return selectors.OpportunityFilters(
            q=self.q,
            city=self.city,
            field=self.field,
            work_mode=self.work_mode,
            date_from=self.date_from,
            date_to=self.date_to,
            skills=tuple(self.skills),
            suitable_for_disabilities=self.suitable_for_disabilities,
            gender=self.gender,
            emergency=self.emergency,
            sort=self.sort,
        )


class OpportunityIn(InputSchema):
    """An opportunity's details. References are ids (see the taxonomy and places lists)."""

    title_ar: str = ""
    title_en: str = ""
    description_ar: str = ""
    description_en: str = ""
    field: int | None = None
    work_mode: Opportunity.WorkMode = Opportunity.WorkMode.ON_SITE
    city: int | None = None
    district: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    geofence_radius_m: int | None = Field(
        None, description="Check-in by code only within this many metres of the map point."
    )
    exact_address: str = ""
    required_skills: list[int] = []
    preferred_skills: list[int] = []
    required_qualifications: list[int] = []
    age_min: int | None = None
    age_max: int | None = None
    gender_eligibility: Opportunity.Gender = Opportunity.Gender.EVERYONE
    capacity: int = 1
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    visibility: Opportunity.Visibility = Opportunity.Visibility.PUBLIC
    is_emergency: bool = False
    suitable_for_disabilities: bool = False


class OpportunityPatchIn(InputSchema):
    """Only the fields sent are changed."""

    title_ar: str = None
    title_en: str = None
    description_ar: str = None
    description_en: str = None
    field: int | None = None
    work_mode: Opportunity.WorkMode = None
    city: int | None = None
    district: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    geofence_radius_m: int | None = None
    exact_address: str = None
    required_skills: list[int] = None
    preferred_skills: list[int] = None
    required_qualifications: list[int] = None
    age_min: int | None = None
    age_max: int | None = None
    gender_eligibility: Opportunity.Gender = None
    capacity: int = None
    starts_on: dt.date | None = None
    ends_on: dt.date | None = None
    visibility: Opportunity.Visibility = None
    is_emergency: bool = None
    suitable_for_disabilities: bool = None


class ShiftIn(InputSchema):
    starts_at: dt.datetime = Field(description="Without an offset: the platform's time zone.")
    ends_at: dt.datetime
    capacity: int = Field(ge=1)


class WeeklyShiftsIn(InputSchema):
    weekdays: list[int] = Field(min_length=1, description="0 = Monday … 6 = Sunday.")
    start_time: dt.time
    end_time: dt.time
    from_date: dt.date
    until_date: dt.date
    capacity: int = Field(ge=1)


def _form_values(data: dict) -> dict:
    """Model instances -> their ids, as a form's data."""

    def plain(value):
        if isinstance(value, Model):
            return value.pk
        if isinstance(value, list | tuple):
            return [plain(item) for item in value]
        if value is None:
            return ""
        return value

    return {name: plain(value) for name, value in data.items()}


def _cleaned(data: dict) -> dict:
    form = OpportunityForm(data=_form_values(data))
    if not form.is_valid():
        raise ServiceError(
            _("Some fields are not valid."),
            code="invalid_input",
            fields={name: list(errors) for name, errors in form.errors.items()},
        )
    return form.cleaned_data


def _aware(value: dt.datetime) -> dt.datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


def _staff_opportunity(request, opportunity_id, roles=MANAGE_ROLES) -> Opportunity:
    return access_opportunity_by_id(
        request.auth, scoped_organization(request), opportunity_id, roles=roles
    )


# --- Public ---------------------------------------------------------------------------------


class PublicListPagination(PageNumberPagination):
    """The same pages as PageNumberPagination; the count comes with the page's own query
    (`selectors.counted_page`), so a search finds its matching rows once, not twice."""

    def paginate_queryset(self, queryset, pagination, **params):
        offset = (pagination.page - 1) * pagination.page_size
        items, count = selectors.counted_page(
            stable_order(queryset),
            offset=offset,
            limit=pagination.page_size,
            rows=selectors.public_opportunity_rows(),
        )
        return {
            "items": items,
            "count": count,
            "page": pagination.page,
            "page_size": pagination.page_size,
        }


@router.get("/opportunities", response=list[OpportunityOut], auth=None)
@paginate(PublicListPagination)
def opportunity_public_list(request, filters: Query[OpportunityFilterIn]):
    """Published public opportunities, filtered and sorted. No login needed."""
    return selectors.public_opportunity_list(filters.filters())


@router.get("/opportunities/{opportunity_id}", response=OpportunityDetailOut, auth=None)
def opportunity_public_get(request, opportunity_id: int, key: str | None = None):
    """One published opportunity, by the public page's rules. No login needed."""
    return access_public_opportunity_by_id(request.user, opportunity_id, key=key)


# --- Staff ----------------------------------------------------------------------------------


@router.get("/organizations/{organization_id}/opportunities", response=list[OpportunityStaffOut])
@paginate(PageNumberPagination)
@organization_scoped()
def opportunity_list(request, organization_id: int):
    """The organization's opportunities with their shifts and places (archived last)."""
    organization = scoped_organization(request)
    return selectors.organization_opportunity_list(organization=organization).select_related(
        "organization", "district"
    )


@router.post("/organizations/{organization_id}/opportunities", response={201: OpportunityStaffOut})
@organization_scoped(roles=MANAGE_ROLES)
def opportunity_create(request, organization_id: int, payload: OpportunityIn):
    """A new opportunity, as a draft (admins and coordinators)."""
    return services.opportunity_create(
        organization=scoped_organization(request),
        created_by=request.auth,
        ip_address=client_ip(request),
        **_cleaned(payload.model_dump()),
    )


@router.patch(
    "/organizations/{organization_id}/opportunities/{opportunity_id}",
    response=OpportunityStaffOut,
)
@organization_scoped(roles=MANAGE_ROLES)
def opportunity_update(
    request, organization_id: int, opportunity_id: int, payload: OpportunityPatchIn
):
    """Change an opportunity's details (admins and coordinators)."""
    opportunity = _staff_opportunity(request, opportunity_id)
    values = selectors.opportunity_values(opportunity=opportunity)
    values.update(payload.model_dump(exclude_unset=True))
    return services.opportunity_update(
        opportunity=opportunity,
        actor=request.auth,
        ip_address=client_ip(request),
        **_cleaned(values),
    )


def _state_operation(name: str, service, doc: str):
    @organization_scoped(roles=MANAGE_ROLES)
    def operation(request, organization_id: int, opportunity_id: int):
        return service(
            opportunity=_staff_opportunity(request, opportunity_id),
            actor=request.auth,
            ip_address=client_ip(request),
        )

    operation.__name__ = operation.__qualname__ = name
    operation.__doc__ = doc
    return router.post(
        f"/organizations/{{organization_id}}/opportunities/{{opportunity_id}}/{name.split('_')[1]}",
        response=OpportunityStaffOut,
    )(operation)


opportunity_publish = _state_operation(
    "opportunity_publish",
    services.opportunity_publish,
    "Publish a draft, or open a closed opportunity again (needs both titles and the dates).",
)
opportunity_close = _state_operation(
    "opportunity_close", services.opportunity_close, "Stop taking volunteers."
)
opportunity_archive = _state_operation(
    "opportunity_archive", services.opportunity_archive, "Put the opportunity away for good."
)


@router.get(
    "/organizations/{organization_id}/opportunities/{opportunity_id}/shifts",
    response=list[ShiftStaffOut],
)
@paginate(PageNumberPagination)
@organization_scoped()
def shift_list(request, organization_id: int, opportunity_id: int):
    """The opportunity's shifts, by start."""
    opportunity = _staff_opportunity(request, opportunity_id, roles=ALL_ROLES)
    return selectors.shift_list(opportunity=opportunity)


@router.post(
    "/organizations/{organization_id}/opportunities/{opportunity_id}/shifts",
    response={201: ShiftOut},
)
@organization_scoped(roles=MANAGE_ROLES)
def shift_create(request, organization_id: int, opportunity_id: int, payload: ShiftIn):
    """Add one shift (admins and coordinators)."""
    return services.shift_create(
        opportunity=_staff_opportunity(request, opportunity_id),
        created_by=request.auth,
        ip_address=client_ip(request),
        starts_at=_aware(payload.starts_at),
        ends_at=_aware(payload.ends_at),
        capacity=payload.capacity,
    )


@router.post(
    "/organizations/{organization_id}/opportunities/{opportunity_id}/shifts/weekly",
    response={201: list[ShiftOut]},
)
@organization_scoped(roles=MANAGE_ROLES)
def shifts_generate_weekly(
    request, organization_id: int, opportunity_id: int, payload: WeeklyShiftsIn
):
    """One shift on each chosen weekday between two dates; answers the shifts it added.
    Idempotent: a start that already has a shift is skipped."""
    return services.shifts_generate_weekly(
        opportunity=_staff_opportunity(request, opportunity_id),
        created_by=request.auth,
        ip_address=client_ip(request),
        **payload.model_dump(),
    )


# --- Applications ---------------------------------------------------------------------------


class ApplicationIn(InputSchema):
    shift_id: int | None = Field(
        None, description="The shift applied to; required when the opportunity has shifts."
    )
    answers: dict[str, str] = Field(
        {}, description="Answers by question id; every required question needs one."
    )


class OpportunityRefOut(Schema):
    id: int
    title_ar: str
    title_en: str
    organization: OrganizationRefOut
    starts_on: dt.date | None
    ends_on: dt.date | None


class MyApplicationOut(Schema):
    """One of the caller's own applications."""

    id: int
    opportunity: OpportunityRefOut
    shift: ShiftOut | None
    status: Application.Status
    party_size: int
    answers: dict[str, str]
    created_at: dt.datetime
    decided_at: dt.datetime | None


class VolunteerRefOut(Schema):
    id: int
    full_name: str = Field(description="The name on the volunteer profile, in Arabic.")

    @staticmethod
    def resolve_full_name(obj) -> str:
        profile = getattr(obj, "volunteer_profile", None)
        return profile.full_name_ar if profile is not None else obj.full_name


class ApplicationStaffOut(Schema):
    """An application as the organization's admins and coordinators see it."""

    id: int
    opportunity_id: int
    shift: ShiftOut | None
    volunteer: VolunteerRefOut
    status: Application.Status
    party_size: int
    answers: dict[str, str]
    created_at: dt.datetime
    decided_at: dt.datetime | None
    cancel_reason: str = Field(
        description="Why the organization cancelled it (a CancelReason code); empty otherwise."
    )
    cancel_note: str


class BulkAcceptIn(InputSchema):
    application_ids: list[int] = Field(
        min_length=1, max_length=100, description="Accepted in the order of their applying."
    )


class RefusedOut(Schema):
    application_id: int
    code: str
    message: str


class BulkAcceptOut(Schema):
    accepted: list[ApplicationStaffOut]
    refused: list[RefusedOut]


class ApplicationFilterIn(Schema):
    status: Application.Status | None = None
    shift_id: int | None = None


@router.post("/opportunities/{opportunity_id}/applications", response={201: MyApplicationOut})
def application_submit(
    request, opportunity_id: int, payload: ApplicationIn, key: str | None = None
):
    """Apply to an opportunity (to one of its shifts, if it has shifts), as the caller, who
    needs a volunteer profile. Refused with the reason (`error.code`: too_young, too_old,
    gender_not_eligible, skills_missing, qualification_missing, qualification_expired,
    guardian_consent_required, already_applied, not_open, profile_required, shift_required,
    answers_invalid) and nothing written. A required qualification whose proof waits for
    verification does not stop the application; accepting it waits for the verification."""
    opportunity = access_public_opportunity_by_id(
        request.auth, opportunity_id, key=key, with_lists=False
    )
    shift = None
    if payload.shift_id is not None:
        shift = Shift.objects.filter(opportunity=opportunity, pk=payload.shift_id).first()
        if shift is None:
            message = _("Choose a shift of this opportunity.")
            raise ServiceError(message, code="invalid_input", fields={"shift_id": [message]})
    return services.application_submit(
        volunteer=request.auth,
        opportunity=opportunity,
        shift=shift,
        answers=payload.answers,
        ip_address=client_ip(request),
    )


@router.get("/me/applications", response=list[MyApplicationOut])
@paginate(PageNumberPagination)
def my_application_list(request, upcoming: bool | None = None):
    """The caller's own applications, newest first; `upcoming=true` for those whose shift (or
    opportunity) has not ended, `false` for past ones."""
    return selectors.my_application_list(user=request.auth, upcoming=upcoming)


@router.post("/me/applications/{application_id}/withdraw", response=MyApplicationOut)
def my_application_withdraw(request, application_id: int):
    """Withdraw one of the caller's applications; a place it held goes to the waitlist."""
    application = access_own_application_by_id(request.auth, application_id)
    return services.application_withdraw(
        application=application, volunteer=request.auth, ip_address=client_ip(request)
    )


@router.get(
    "/organizations/{organization_id}/opportunities/{opportunity_id}/applications",
    response=list[ApplicationStaffOut],
)
@paginate(PageNumberPagination)
@organization_scoped(roles=MANAGE_ROLES)
def application_list(
    request, organization_id: int, opportunity_id: int, filters: Query[ApplicationFilterIn]
):
    """The opportunity's applications, oldest first (the waitlist's order); admins and
    coordinators."""
    opportunity = _staff_opportunity(request, opportunity_id)
    return selectors.opportunity_application_list(
        opportunity=opportunity, status=filters.status, shift_id=filters.shift_id
    )


def _decision_operation(name: str, service, doc: str):
    @organization_scoped(roles=MANAGE_ROLES)
    def operation(request, organization_id: int, opportunity_id: int, application_id: int):
        organization = scoped_organization(request)
        opportunity = _staff_opportunity(request, opportunity_id)
        return service(
            application=access_application_by_id(organization, opportunity, application_id),
            decided_by=request.auth,
            ip_address=client_ip(request),
        )

    operation.__name__ = operation.__qualname__ = name
    operation.__doc__ = doc
    return router.post(
        "/organizations/{organization_id}/opportunities/{opportunity_id}/applications/"
        f"{{application_id}}/{name.split('_')[1]}",
        response=ApplicationStaffOut,
    )(operation)


application_accept = _decision_operation(
    "application_accept",
    services.application_accept,
    "Accept a pending or waitlisted application if its places are free; else `full` (409). "
    "A volunteer whose required qualification is not verified yet is refused with "
    "`qualification_unverified` (409): verify the proof first.",
)
application_waitlist = _decision_operation(
    "application_waitlist",
    services.application_waitlist,
    "Put a pending application on the waitlist; it is accepted when a place frees up.",
)
application_reject = _decision_operation(
    "application_reject",
    services.application_reject,
    "Turn an application down; a place it held goes to the first waitlisted that fits.",
)


@router.post(
    "/organizations/{organization_id}/opportunities/{opportunity_id}/applications/bulk-accept",
    response=BulkAcceptOut,
)
@organization_scoped(roles=MANAGE_ROLES)
def applications_bulk_accept(
    request, organization_id: int, opportunity_id: int, payload: BulkAcceptIn
):
    """Accept the applications, oldest first, while places last; answers which were accepted
    and which were refused, with the reason."""
    organization = scoped_organization(request)
    opportunity = _staff_opportunity(request, opportunity_id)
    chosen = [
        access_application_by_id(organization, opportunity, pk)
        for pk in dict.fromkeys(payload.application_ids)
    ]
    chosen.sort(key=lambda application: (application.created_at, application.pk))
    accepted, refused = services.applications_bulk_accept(
        applications=chosen, decided_by=request.auth, ip_address=client_ip(request)
    )
    return {
        "accepted": accepted,
        "refused": [
            {"application_id": a.pk, "code": error.code, "message": str(error.message)}
            for a, error in refused
        ],
    }
