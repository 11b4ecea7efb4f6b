"""Demo hours: the demo volunteer's remote hours (two approved, one waiting) and, on the remote
opportunities with a roster, hours of the accepted synthetic volunteers waiting for approval, so
the coordinators' approval page is not empty. Made through the services; a second run creates
nothing."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ataa.accounts.demo import VOLUNTEER_EMAIL
from ataa.core.demo import demo_seeder
from ataa.core.errors import ServiceError
from ataa.hours import services
from ataa.hours.models import HourEntry
from ataa.opportunities.models import Application, Opportunity
from ataa.organizations.models import Membership, Role

WORK = [
    "ترجمة دليل المتطوعين الجدد إلى الإنجليزية",
    "مراجعة بيانات الأسر المسجلة وتحديث أرقام التواصل",
    "تصميم منشورات حملة السلال الرمضانية",
    "الرد على استفسارات المتطوعين عبر البريد",
]
ROSTER_ENTRIES = 12


def _accepted_remote():
    return (
        Application.objects.filter(
            status=Application.Status.ACCEPTED,
            opportunity__work_mode__in=[Opportunity.WorkMode.REMOTE, Opportunity.WorkMode.HYBRID],
        )
        .select_related("opportunity", "volunteer")
        .order_by("pk")
    )


def _manager(organization_id: int):
    membership = (
        Membership.objects.filter(
            organization_id=organization_id, role__in=[Role.COORDINATOR, Role.ADMIN]
        )
        .select_related("user")
        .order_by("role", "pk")
        .first()
    )
    return membership.user if membership else None


def _submit(application, *, days_ago: int, hours: int, text: str):
    start = timezone.now().replace(minute=0, second=0, microsecond=0) - dt.timedelta(
        days=days_ago, hours=2
    )
    try:
        return services.submit_remote_hours(
            volunteer=application.volunteer,
            application=application,
            starts_at=start - dt.timedelta(hours=hours),
            ends_at=start,
            description=text,
        )
    except ServiceError:
        return None  # an overlap with hours already there: leave it


@demo_seeder(order=70)
def seed_hours() -> int:
    if HourEntry.objects.exists():
        return 0
    created = 0
    mine = _accepted_remote().filter(volunteer__email=VOLUNTEER_EMAIL).first()
    if mine is not None:
        entries = [
            _submit(mine, days_ago=days, hours=hours, text=WORK[index])
            for index, (days, hours) in enumerate([(20, 3), (12, 2), (2, 2)])
        ]
        manager = _manager(mine.opportunity.organization_id)
        approved = [entry.pk for entry in entries[:2] if entry is not None]
        if manager and approved:
            services.approve_hours(
                actor=manager,
                organization_id=mine.opportunity.organization_id,
                entry_ids=approved,
            )
        created += sum(entry is not None for entry in entries)
    others = _accepted_remote().exclude(volunteer__email=VOLUNTEER_EMAIL)[:ROSTER_ENTRIES]
    for index, application in enumerate(others):
        entry = _submit(
            application, days_ago=1 + index % 6, hours=1 + index % 3, text=WORK[index % 4]
        )
        created += entry is not None
    return created
