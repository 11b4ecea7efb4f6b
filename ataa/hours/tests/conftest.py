"""Fixtures of the hours tests: an accepted volunteer on a shift of the Jeddah charity.

The shift lies a few days ahead (so the application is open); the tests pass `now` to the
services to stand at any moment of it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ataa.opportunities import services as opportunity_services
from ataa.opportunities.tests.conftest import (  # noqa: F401 (fixtures)
    make_opportunity,
    make_shift,
    make_volunteer,
)


@pytest.fixture
def site_opportunity(make_opportunity):  # noqa: F811
    start = timezone.localdate() + dt.timedelta(days=3)
    return make_opportunity(capacity=5, starts_on=start, ends_on=start + dt.timedelta(days=10))


@pytest.fixture
def shift(site_opportunity, make_shift):  # noqa: F811
    """16:00 to 19:00, three days from today, 3 places."""
    return make_shift(site_opportunity, capacity=3)


@pytest.fixture
def accept(coordinator):
    def accept(volunteer, opportunity, shift=None):
        application = opportunity_services.application_submit(
            volunteer=volunteer, opportunity=opportunity, shift=shift
        )
        return opportunity_services.application_accept(
            application=application, decided_by=coordinator
        )

    return accept


@pytest.fixture
def placed(make_volunteer, accept, site_opportunity, shift):  # noqa: F811
    """An accepted volunteer of `shift`: (volunteer, application)."""
    volunteer = make_volunteer("placed")
    return volunteer, accept(volunteer, site_opportunity, shift)


def during(shift, minutes: int) -> dt.datetime:
    """A moment `minutes` after the shift's start."""
    return shift.starts_at + dt.timedelta(minutes=minutes)


@pytest.fixture
def in_english():
    """Messages and pages in English, for the tests that read them as written: everyone the
    test creates prefers English (pages follow the person's preference), and the services'
    messages are made in English. The Arabic catalog is checked by make check."""
    from django.db.models.signals import pre_save
    from django.utils import translation

    from ataa.accounts.models import User

    def prefer_english(sender, instance, **kwargs):
        if instance._state.adding:
            instance.preferred_language = "en"

    pre_save.connect(prefer_english, sender=User, weak=False, dispatch_uid="hours-tests-english")
    try:
        with translation.override("en"):
            yield
    finally:
        pre_save.disconnect(sender=User, dispatch_uid="hours-tests-english")
