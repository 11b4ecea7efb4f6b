"""The volunteers' demo data: a full profile for the demo volunteer, 2,000 more, idempotent."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ataa.accounts.demo import VOLUNTEER_EMAIL
from ataa.volunteers.demo import EXTRA_VOLUNTEERS, _seed_extra_volunteers
from ataa.volunteers.models import ConsentRecord, VolunteerProfile

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_volunteers_profiles_once():
    call_command("seed_demo", stdout=StringIO())
    demo = VolunteerProfile.objects.select_related("city").get(user__email=VOLUNTEER_EMAIL)
    assert demo.city.code == "jeddah" and demo.skills.exists() and demo.availability
    assert VolunteerProfile.objects.count() == EXTRA_VOLUNTEERS + 1
    assert VolunteerProfile.objects.values("city").distinct().count() >= 5
    assert not VolunteerProfile.objects.filter(is_group=True, party_size__lt=2).exists()
    assert ConsentRecord.objects.filter(purpose="profile_processing").count() == (
        EXTRA_VOLUNTEERS + 1
    )
    counts = (VolunteerProfile.objects.count(), ConsentRecord.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (VolunteerProfile.objects.count(), ConsentRecord.objects.count()) == counts


def test_the_synthetic_volunteers_are_written_in_bulk():
    # Query count, not seconds: statements carry batches of rows (SQLite caps a statement at
    # 999 parameters, so a batch holds tens of rows), never one statement per volunteer.
    with CaptureQueriesContext(connection) as queries:
        created = _seed_extra_volunteers()
    assert created == EXTRA_VOLUNTEERS
    assert len(queries) <= EXTRA_VOLUNTEERS // 10, len(queries)
