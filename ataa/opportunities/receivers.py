"""What opportunities do when something below them changes.

An organization's names are part of its opportunities' search text (`compute_search_text`), so a
rename queues a task that recomputes them: in the background, since a national organization may
have thousands of opportunities.
"""

from django.dispatch import receiver

from ataa.core.tasks import enqueue, task
from ataa.opportunities.services import opportunity_refresh_search_text
from ataa.organizations.models import Organization
from ataa.organizations.signals import organization_renamed

REFRESH_SEARCH_TEXT = "opportunities.refresh_search_text"


@receiver(organization_renamed, dispatch_uid="opportunities.organization_renamed")
def _organization_renamed(sender, *, organization_id: int, **kwargs) -> None:
    enqueue(REFRESH_SEARCH_TEXT, organization_id=organization_id)


@task(REFRESH_SEARCH_TEXT)
def refresh_search_text(*, organization_id: int) -> None:
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is not None:  # running it twice computes the same text
        opportunity_refresh_search_text(organization=organization)
