"""The volunteers' demo data: a full profile for the demo volunteer, 200 more, idempotent."""

from __future__ import annotations

import time
from io import StringIO

import pytest
from django.core.management import call_command

from ataa.accounts.demo import VOLUNTEER_EMAIL
from ataa.volunteers.demo import EXTRA_VOLUNTEERS
from ataa.volunteers.models import ConsentRecord, VolunteerProfile

pytestmark = pytest.mark.django_db


def test_seed_demo_gives_volunteers_profiles_once_and_fast():
    started = time.monotonic()
    call_command("seed_demo", stdout=StringIO())
    seconds = time.monotonic() - started
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
    assert seconds < 10, f"seed_demo took {seconds:.1f} s"
