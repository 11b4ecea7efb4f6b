"""Periodic work of attendance: close the check-outs volunteers forgot."""

from __future__ import annotations

import datetime as dt

from ataa.core.tasks import periodic
from ataa.hours import services

EVERY = dt.timedelta(minutes=5)
TASK = "hours.close_forgotten_check_outs"


@periodic(TASK, every=EVERY)
def close_forgotten_check_outs() -> int:
    """Attendances still open after their shift ended are closed at its end and flagged."""
    return services.close_forgotten_check_outs()
