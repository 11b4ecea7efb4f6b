"""The reminder a day before each shift: a periodic task (ataa.core.tasks.periodic).

Every few minutes the workers enqueue `opportunities.send_shift_reminders`, which finds the
accepted applications whose shift starts within the next 24 hours (and has not started) and
notifies each volunteer (`shift.reminder`, rendered in ataa.opportunities.notices). The
notification's dedup key is the application and its shift, so however often the task runs —
twice in a row, on two workers — each volunteer is reminded once per shift.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from ataa.core.tasks import periodic
from ataa.notifications.models import Delivery
from ataa.notifications.services import Notice, notify
from ataa.opportunities.models import Application, Opportunity
from ataa.opportunities.notices import SHIFT_REMINDER

REMIND_BEFORE = dt.timedelta(hours=24)
EVERY = dt.timedelta(minutes=5)
TASK = "opportunities.send_shift_reminders"


def reminders_due(*, now: dt.datetime) -> QuerySet[Application]:
    """Accepted applications whose shift starts after `now` and within REMIND_BEFORE, and whose
    reminder has not been queued yet: the task runs every few minutes over the whole window, so
    the ones already reminded are left out in the query rather than found again each time (the
    dedup key still guards two runs at the same moment)."""
    already = Delivery.objects.filter(kind=SHIFT_REMINDER, object_id=OuterRef("pk"))
    return (
        Application.objects.filter(
            status=Application.Status.ACCEPTED,
            shift__starts_at__gt=now,
            shift__starts_at__lte=now + REMIND_BEFORE,
        )
        .exclude(opportunity__status=Opportunity.Status.ARCHIVED)
        .exclude(Exists(already))
        .order_by("shift__starts_at", "id")
    )


def reminder_notice(*, application_id: int, volunteer_id: int, shift_id: int) -> Notice:
    return Notice(
        recipient_id=volunteer_id,
        kind=SHIFT_REMINDER,
        object_id=application_id,
        key=f"{application_id}-{shift_id}",
    )


@periodic(TASK, every=EVERY)
def send_shift_reminders() -> int:
    """Queue the reminders that are due and not queued yet; return how many deliveries."""
    now = timezone.now()
    with transaction.atomic():
        due = reminders_due(now=now).values_list("pk", "volunteer_id", "shift_id")
        notices = [
            reminder_notice(application_id=pk, volunteer_id=volunteer_id, shift_id=shift_id)
            for pk, volunteer_id, shift_id in due
        ]
        return len(notify(notices))
