"""Background work of opportunities, registered at start-up (ataa.core.apps autodiscovers the
`tasks` module of every app).

- The notification kinds of opportunities (applications, shift reminders, shift messages) are
  rendered in `notices`; `ataa.notifications` sends them by each person's channels.
- `reminders` registers the periodic task `opportunities.send_shift_reminders`.
"""

from ataa.core.tasks import task
from ataa.notifications.services import Notice, notify
from ataa.opportunities import notices, reminders  # noqa: F401  (registers kinds and tasks)
from ataa.opportunities.models import Application


@task("opportunities.send_application_email")
def send_application_email(*, application_id: int, kind: str) -> None:
    """Rows queued before application emails moved to ataa.notifications: notify now (once)."""
    recipient_id = (
        Application.objects.filter(pk=application_id).values_list("volunteer_id", flat=True).first()
    )
    if recipient_id is None or kind not in notices.APPLICATION_KINDS:
        return
    notify(
        [
            Notice(
                recipient_id=recipient_id,
                kind=notices.APPLICATION_KINDS[kind],
                object_id=application_id,
            )
        ]
    )
