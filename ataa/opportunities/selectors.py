"""Reads for opportunities: scoped, pre-joined querysets whose query count does not grow with
the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from ataa.core.reference import CITIES, ReferenceList
from ataa.core.text import search_key
from ataa.opportunities.models import Application, ApplicationQuestion, Opportunity, Shift
from ataa.organizations.models import Organization
from ataa.volunteers.reference import FIELDS

MAX_QUERY_WORDS = 8


class Sort:
    NEWEST = "newest"
    SOONEST = "soonest"
    EMERGENCY = "emergency"
    ALL = (NEWEST, SOONEST, EMERGENCY)


@dataclass(frozen=True)
class OpportunityFilters:
    """What a visitor filters the public list by. Codes, not ids: they read well in a URL."""

    q: str = ""
    city: str | None = None  # City.code
    field: str | None = None  # VolunteeringField.code
    work_mode: str | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    skills: tuple[str, ...] = ()  # Skill.code, any of them
    suitable_for_disabilities: bool | None = None
    gender: str | None = None  # the visitor's: "women" also finds "everyone"
    emergency: bool | None = None
    sort: str = Sort.NEWEST


def _search(queryset: QuerySet, q: str) -> QuerySet:
    """Every word of the query, folded by search_key(), must be in search_text (itself folded,
    so a plain LIKE serves: PostgreSQL answers it from the trigram index)."""
    for word in search_key(q).split()[:MAX_QUERY_WORDS]:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def _id_of(reference: ReferenceList, code: str) -> int | None:
    row = reference.get(code)
    return row.pk if row else None


def _skill_match(through, codes) -> Exists:
    return Exists(
        through.objects.filter(opportunity_id=OuterRef("pk"), skill__code__in=list(codes))
    )


def public_opportunity_rows() -> QuerySet[Opportunity]:
    """Opportunities as the public lists show them, with what they show (not the search text
    nor the private exact address); `public_opportunity_list` chooses which."""
    return Opportunity.objects.select_related("organization", "city", "district", "field").defer(
        "search_text", "exact_address"
    )


# What an opportunity's card in the public list shows: the rows of that page are read with these
# columns only (not the descriptions, which the card does not show and which are most of a row).
CARD_FIELDS = (
    "title_ar",
    "title_en",
    "is_emergency",
    "work_mode",
    "starts_on",
    "ends_on",
    "organization__name_ar",
    "organization__name_en",
    "city__name_ar",
    "city__name_en",
    "district__name_ar",
    "district__name_en",
    "field__name_ar",
    "field__name_en",
)


def public_opportunity_cards() -> QuerySet[Opportunity]:
    """The rows of the public list page: `public_opportunity_rows` with the card's columns."""
    return public_opportunity_rows().only(*CARD_FIELDS)


def public_opportunity_list(filters: OpportunityFilters | None = None) -> QuerySet[Opportunity]:
    """Published, public opportunities of active organizations, filtered and sorted."""
    filters = filters or OpportunityFilters()
    queryset = public_opportunity_rows().filter(
        status=Opportunity.Status.PUBLISHED,
        visibility=Opportunity.Visibility.PUBLIC,
        organization__status=Organization.Status.ACTIVE,
    )
    # The codes are looked up first, so the search filters on the ids themselves: the planner
    # then knows how many opportunities the city and the field hold and can use the index on
    # (city, field, published_at) of migration 0006 (a join on the codes hides that from it).
    if filters.city:
        city_id = _id_of(CITIES, filters.city)
        queryset = queryset.filter(city_id=city_id) if city_id else queryset.none()
    if filters.field:
        field_id = _id_of(FIELDS, filters.field)
        queryset = queryset.filter(field_id=field_id) if field_id else queryset.none()
    if filters.work_mode:
        queryset = queryset.filter(work_mode=filters.work_mode)
    if filters.date_from:
        queryset = queryset.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=filters.date_from))
    if filters.date_to:
        queryset = queryset.filter(Q(starts_on__isnull=True) | Q(starts_on__lte=filters.date_to))
    if filters.skills:
        queryset = queryset.filter(
            _skill_match(Opportunity.required_skills.through, filters.skills)
            | _skill_match(Opportunity.preferred_skills.through, filters.skills)
        )
    if filters.suitable_for_disabilities:
        queryset = queryset.filter(suitable_for_disabilities=True)
    if filters.gender in {Opportunity.Gender.WOMEN, Opportunity.Gender.MEN}:
        queryset = queryset.filter(
            gender_eligibility__in=[filters.gender, Opportunity.Gender.EVERYONE]
        )
    if filters.emergency:
        queryset = queryset.filter(is_emergency=True)
    if filters.q:
        queryset = _search(queryset, filters.q)
    if filters.sort == Sort.SOONEST:
        return queryset.order_by("starts_on", "-published_at", "-pk")
    if filters.sort == Sort.EMERGENCY:
        return queryset.order_by("-is_emergency", "starts_on", "-pk")
    return queryset.order_by("-published_at", "-pk")


def counted_page(
    queryset: QuerySet, *, offset: int, limit: int, rows: QuerySet | None = None
) -> tuple[list, int]:
    """Rows offset to offset + limit of the ordered `queryset`, and how many rows it has in all.

    A separate COUNT(*) would find every matching row a second time, which is most of the cost of
    a search (the trigram index and the LIKE checks). Here one query finds the page's ids and the
    total together (COUNT(*) OVER (), computed before the LIMIT), and a second one fetches those
    rows by primary key from `rows` (the same joins without the filters, quicker to plan;
    default: `queryset` itself). Past the last row, the total comes from a plain count, as there
    is no row to carry it."""
    keyed = list(
        queryset.annotate(rows_in_all=Window(Count("pk"))).values_list("pk", "rows_in_all")[
            offset : offset + limit
        ]
    )
    if not keyed:
        return [], (queryset.count() if offset else 0)
    ids = [pk for pk, _total in keyed]
    source = queryset if rows is None else rows
    by_pk = {row.pk: row for row in source.filter(pk__in=ids).order_by()}
    return [by_pk[pk] for pk in ids if pk in by_pk], keyed[0][1]


class CountedPaginator(Paginator):
    """Paginator.get_page with the count taken from the page's own query (`counted_page`): the
    same pages, numbers and fallbacks (not a number: the first page; out of range: the last),
    one scan of the matching rows instead of two. Without orphans. `rows`: see counted_page."""

    def __init__(self, object_list, per_page, *, rows: QuerySet | None = None):
        super().__init__(object_list, per_page)
        self.rows = rows

    def get_page(self, number):
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            number = 1
        if number >= 1:
            rows, total = counted_page(
                self.object_list,
                offset=(number - 1) * self.per_page,
                limit=self.per_page,
                rows=self.rows,
            )
            self.count = total  # a cached_property: Paginator will not count again
            if rows or number == 1:
                return self._get_page(rows, number, self)
        return super().get_page(number)  # out of range: the last page, as Paginator answers


def opportunity_detail_extras(*, opportunity: Opportunity) -> dict:
    """What the detail page shows beside the opportunity: its coming shifts and questions."""
    return {
        "shifts": list(Shift.objects.filter(opportunity=opportunity).order_by("starts_at")[:50]),
        "questions": list(ApplicationQuestion.objects.filter(opportunity=opportunity)),
    }


def organization_opportunity_list(*, organization: Organization) -> QuerySet[Opportunity]:
    """The organization's opportunities (archived last), each with `shift_count`,
    `shift_capacity`, `accepted` (places taken by accepted applications) and `places_offered`
    (the places of its shifts, or its own capacity when it has no shifts): its fill rate."""
    return (
        Opportunity.objects.filter(organization=organization)
        .select_related("city", "field")
        .annotate(
            shift_count=Count("shifts"),
            shift_capacity=Coalesce(Sum("shifts__capacity"), 0),
            accepted=Coalesce(
                Subquery(
                    Application.objects.filter(
                        opportunity=OuterRef("pk"), status=Application.Status.ACCEPTED
                    )
                    .values("opportunity")
                    .annotate(places=Sum("party_size"))
                    .values("places")[:1],
                    output_field=IntegerField(),
                ),
                0,
            ),
        )
        .annotate(
            places_offered=Case(
                When(shift_count__gt=0, then=F("shift_capacity")),
                default=F("capacity"),
                output_field=IntegerField(),
            )
        )
        .order_by(
            Case(When(status=Opportunity.Status.ARCHIVED, then=Value(1)), default=Value(0)),
            "-created_at",
            "-pk",
        )
    )


def shift_list(*, opportunity: Opportunity) -> QuerySet[Shift]:
    """The opportunity's shifts by start, each with `taken` (places of accepted applications)."""
    return (
        Shift.objects.filter(opportunity=opportunity)
        .annotate(taken=Coalesce(_accepted_places(shift=OuterRef("pk")), 0))
        .order_by("starts_at", "pk")
    )


def opportunity_values(*, opportunity: Opportunity) -> dict:
    """The opportunity's editable details, as the edit form and the API PATCH start from."""
    return {
        "title_ar": opportunity.title_ar,
        "title_en": opportunity.title_en,
        "description_ar": opportunity.description_ar,
        "description_en": opportunity.description_en,
        "field": opportunity.field,
        "work_mode": opportunity.work_mode,
        "city": opportunity.city,
        "district": opportunity.district,
        "latitude": opportunity.latitude,
        "longitude": opportunity.longitude,
        "geofence_radius_m": opportunity.geofence_radius_m,
        "exact_address": opportunity.exact_address,
        "required_skills": list(opportunity.required_skills.all()),
        "preferred_skills": list(opportunity.preferred_skills.all()),
        "required_qualifications": list(opportunity.required_qualifications.all()),
        "age_min": opportunity.age_min,
        "age_max": opportunity.age_max,
        "gender_eligibility": opportunity.gender_eligibility,
        "capacity": opportunity.capacity,
        "starts_on": opportunity.starts_on,
        "ends_on": opportunity.ends_on,
        "visibility": opportunity.visibility,
        "is_emergency": opportunity.is_emergency,
        "suitable_for_disabilities": opportunity.suitable_for_disabilities,
    }


# --- Applications ---------------------------------------------------------------------------


def _accepted_places(**filters) -> Subquery:
    return Subquery(
        Application.objects.filter(status=Application.Status.ACCEPTED, **filters)
        .values("status")
        .annotate(places=Sum("party_size"))
        .values("places")[:1],
        output_field=IntegerField(),
    )


def opportunity_application_list(
    *, opportunity: Opportunity, status: str | None = None, shift_id: int | None = None
) -> QuerySet[Application]:
    """The opportunity's applications, oldest first (the waitlist's order), with the volunteer
    and the shift; filtered by status and shift when given."""
    queryset = Application.objects.filter(opportunity=opportunity).select_related(
        "volunteer", "volunteer__volunteer_profile", "shift", "opportunity"
    )
    if status:
        queryset = queryset.filter(status=status)
    if shift_id:
        queryset = queryset.filter(shift_id=shift_id)
    return queryset.order_by("created_at", "pk")


def application_places(*, opportunity: Opportunity) -> dict:
    """Places taken and offered: for the opportunity without shifts, and for each shift (with
    `taken` annotated), as the coordinator's applications page shows them."""
    shifts = list(
        Shift.objects.filter(opportunity=opportunity)
        .annotate(taken=Coalesce(_accepted_places(shift=OuterRef("pk")), 0))
        .order_by("starts_at", "pk")
    )
    taken = Application.objects.filter(
        opportunity=opportunity, shift__isnull=True, status=Application.Status.ACCEPTED
    ).aggregate(places=Coalesce(Sum("party_size"), 0))["places"]
    return {"taken": taken, "capacity": opportunity.capacity, "shifts": shifts}


def my_application_list(*, user, upcoming: bool | None = None) -> QuerySet[Application]:
    """The person's own applications with their opportunity, organization and shift; upcoming
    ones (the shift, or else the opportunity, has not ended) or past ones when asked."""
    queryset = Application.objects.filter(volunteer=user).select_related(
        "opportunity", "opportunity__organization", "shift"
    )
    if upcoming is not None:
        now = timezone.now()
        today = timezone.localdate(now)
        future = Q(shift__isnull=False, shift__ends_at__gte=now) | Q(shift__isnull=True) & (
            Q(opportunity__ends_on__isnull=True) | Q(opportunity__ends_on__gte=today)
        )
        queryset = queryset.filter(future) if upcoming else queryset.exclude(future)
    return queryset.order_by("-created_at", "-pk")
