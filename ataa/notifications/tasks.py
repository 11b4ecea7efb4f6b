"""The one task of notifications: send one delivery (by its id). Safe to run twice: a delivery
that is no longer pending is left alone."""

from __future__ import annotations

from ataa.core.tasks import task
from ataa.notifications import services
from ataa.notifications.models import Delivery


@task(services.SEND_TASK)
def send_delivery(*, delivery_id: int) -> None:
    delivery = (
        Delivery.objects.select_related("recipient__notification_preference", "message")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return
    services.delivery_send(delivery=delivery)
