"""Reads for volunteers: pre-joined querysets of the person's own data and the public taxonomy."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ataa.core.models import City, District
from ataa.volunteers.models import (
    ConsentRecord,
    Qualification,
    Skill,
    VolunteeringField,
    VolunteerProfile,
)


def profile_for_user(*, user) -> VolunteerProfile | None:
    """The person's profile with everything its page and the API show, in a fixed few queries."""
    return (
        VolunteerProfile.objects.filter(user=user)
        .select_related("city", "district")
        .prefetch_related(
            Prefetch("skills", queryset=Skill.objects.select_related("field")),
            "interests",
            Prefetch(
                "consents",
                queryset=ConsentRecord.objects.filter(withdrawn_at__isnull=True),
                to_attr="open_consents",
            ),
        )
        .first()
    )


def qualification_list(*, user) -> QuerySet[Qualification]:
    return (
        Qualification.objects.filter(profile__user=user)
        .select_related("kind")
        .order_by("-created_at", "-id")
    )


def field_list_with_skills() -> QuerySet[VolunteeringField]:
    """Fields of volunteering, each with its skills (`field.skills.all()` is prefetched)."""
    return VolunteeringField.objects.prefetch_related(
        Prefetch("skills", queryset=Skill.objects.order_by("name_en"))
    ).order_by("position", "code")


def city_list_with_districts() -> QuerySet[City]:
    return City.objects.prefetch_related(
        Prefetch("districts", queryset=District.objects.order_by("name_en"))
    ).order_by("country", "name_en")


def district_list(*, city_id) -> QuerySet[District]:
    try:
        city_id = int(city_id)
    except (TypeError, ValueError):
        return District.objects.none()
    return District.objects.filter(city_id=city_id).order_by("name_en")
