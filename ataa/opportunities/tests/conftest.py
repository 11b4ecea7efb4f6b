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
