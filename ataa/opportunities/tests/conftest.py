"""Opportunities made through the services, for the tests of this app."""

from __future__ import annotations

import datetime as dt

import pytest

from ataa.core.models import City, District
from ataa.opportunities import services
from ataa.opportunities.models import Opportunity

START = dt.date(2026, 3, 1)


def details(**overrides) -> dict:
    values = {
        "title_ar": "توزيع السلال الغذائية في رمضان",
        "title_en": "Ramadan food basket distribution",
        "description_ar": "نوزّع السلال على الأسر المستحقة في حي الروضة.",
        "description_en": "We hand food baskets to families in need.",
        "city": City.objects.get(code="jeddah"),
        "district": District.objects.get(city__code="jeddah", code="al-rawdah"),
        "exact_address": "SECRET-ADDRESS 12 شارع الأمير سلطان",
        "capacity": 10,
        "starts_on": START,
        "ends_on": START + dt.timedelta(days=30),
    }
    values.update(overrides)
    return values


@pytest.fixture
def make_opportunity(organization, coordinator):
    def make(*, publish: bool = True, org=None, by=None, **overrides) -> Opportunity:
        opportunity = services.opportunity_create(
            organization=org or organization, created_by=by or coordinator, **details(**overrides)
        )
        if publish:
            opportunity = services.opportunity_publish(
                opportunity=opportunity, actor=by or coordinator
            )
        return opportunity

    return make


@pytest.fixture
def published(make_opportunity):
    return make_opportunity()


@pytest.fixture
def draft(make_opportunity):
    return make_opportunity(publish=False)


# --- Volunteers and applications --------------------------------------------------------------


def volunteer_profile(user, **overrides):
    """A volunteer profile made through the volunteers' service (an adult woman in Jeddah)."""
    from ataa.volunteers.services import volunteer_profile_save

    values = {
        "full_name_ar": "ريم الدوسري",
        "gender": "female",
        "date_of_birth": dt.date(1995, 5, 5),
        "phone": "+966550001122",
        "city": City.objects.get(code="jeddah"),
        "languages": ["ar"],
        "consents": {"profile_processing"},
    }
    values.update(overrides)
    return volunteer_profile_save(user=user, **values)


@pytest.fixture
def make_volunteer(db):
    """make_volunteer("name", **profile overrides) -> a user with a volunteer profile."""
    from conftest import make_user

    def make(local_part: str = "volunteer", **overrides):
        user = make_user(f"{local_part}@example.com", "متطوع")
        volunteer_profile(user, **overrides)
        return user

    return make


@pytest.fixture
def volunteer(make_volunteer):
    return make_volunteer("reem")


@pytest.fixture
def soon(make_opportunity):
    """A published opportunity starting in 60 days, without shifts, with 2 places."""
    from django.utils import timezone

    start = timezone.localdate() + dt.timedelta(days=60)
    return make_opportunity(capacity=2, starts_on=start, ends_on=start + dt.timedelta(days=10))


@pytest.fixture
def make_shift(coordinator):
    def make(opportunity, *, capacity: int = 1, day: dt.date | None = None, hour: int = 16):
        from django.utils import timezone

        day = day or opportunity.starts_on
        zone = timezone.get_default_timezone()
        return services.shift_create(
            opportunity=opportunity,
            created_by=coordinator,
            starts_at=dt.datetime.combine(day, dt.time(hour), tzinfo=zone),
            ends_at=dt.datetime.combine(day, dt.time(hour + 3), tzinfo=zone),
            capacity=capacity,
        )

    return make
