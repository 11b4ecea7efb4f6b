"""Fixtures of the certificate tests: volunteers with approved hours at a shift of the Jeddah
charity, and a signing key directory of each test's own."""

from __future__ import annotations

import pytest

from ataa.certificates import services
from ataa.hours import services as hour_services
from ataa.hours.models import HourEntry
from ataa.hours.tests.conftest import (  # noqa: F401 (fixtures)
    accept,
    during,
    shift,
    site_opportunity,
)
from ataa.opportunities.tests.conftest import (  # noqa: F401 (fixtures)
    make_opportunity,
    make_shift,
    make_volunteer,
)

HOLDER_NAME_AR = "ريم الدوسري"
HOLDER_NAME_LATIN = "Reem Al-Dosari"
HOLDER_PHONE = "+966550001122"


@pytest.fixture(autouse=True)
def key_directory(settings, tmp_path):
    """Each test signs with keys of its own, in a directory of its own."""
    settings.ATAA_SIGNING_KEY_DIR = tmp_path / "keys"
    return settings.ATAA_SIGNING_KEY_DIR


@pytest.fixture
def work_hours(coordinator, organization, shift, accept):  # noqa: F811
    """work_hours(volunteer, minutes=150, approve=True): the volunteer, accepted on `shift`,
    checked in and out by hand; the hours approved unless approve=False. Returns the entry."""

    def work(volunteer, *, minutes: int = 150, approve: bool = True) -> HourEntry:
        application = accept(volunteer, shift.opportunity, shift)
        attendance = hour_services.manual_check_in(
            actor=coordinator,
            application=application,
            at=during(shift, 0),
            reason="no phone",
            now=during(shift, 5),
        )
        hour_services.manual_check_out(
            actor=coordinator,
            attendance=attendance,
            at=during(shift, minutes),
            reason="no phone",
            now=during(shift, minutes + 5),
        )
        entry = HourEntry.objects.get(attendance=attendance)
        if approve:
            hour_services.approve_hours(
                actor=coordinator, organization_id=organization.pk, entry_ids=[entry.pk]
            )
            entry.refresh_from_db()
        return entry

    return work


@pytest.fixture
def holder(make_volunteer, work_hours):  # noqa: F811
    """A volunteer (with a Latin name on her profile) with 2 h 30 approved at `site_opportunity`."""
    volunteer = make_volunteer(
        "holder", full_name_ar=HOLDER_NAME_AR, full_name_latin=HOLDER_NAME_LATIN
    )
    work_hours(volunteer)
    return volunteer


@pytest.fixture
def certificate(holder, site_opportunity):  # noqa: F811
    return services.issue_hours_certificate(
        actor=holder, volunteer=holder, opportunity=site_opportunity, language="en"
    )
