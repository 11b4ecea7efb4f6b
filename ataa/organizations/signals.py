"""Signals of organizations for the apps above them (which organizations may not import).

`organization_renamed` is sent inside the transaction of the change, so a receiver that queues a
task with `enqueue` commits or rolls back with it.
"""

from django.dispatch import Signal

# sender: Organization; organization_id: int
organization_renamed = Signal()
