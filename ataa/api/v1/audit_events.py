"""An organization's audit log (admins and auditors), newest first."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ataa.api.v1.pagination import PageNumberPagination
from ataa.api.v1.scoping import organization_scoped, scoped_organization
from ataa.core.audit import verb_label
from ataa.organizations import selectors
from ataa.organizations.access import AUDIT_ROLES

router = Router(tags=["audit"])


class AuditEventOut(Schema):
    id: int
    created_at: dt.datetime
    verb: str = Field(description="A stable code, e.g. membership.removed.")
    description: str = Field(description="The verb in words, in the request's language.")
    actor_id: int | None
    actor_name: str | None = Field(None, alias="actor.full_name")
    target_type: str
    target_id: str
    ip_address: str | None
    payload: dict[str, Any] = Field(description="Ids, numbers and codes only.")

    @staticmethod
    def resolve_description(event) -> str:
        return str(verb_label(event.verb))


@router.get("/organizations/{organization_id}/audit-events", response=list[AuditEventOut])
@paginate(PageNumberPagination)
@organization_scoped(roles=AUDIT_ROLES, allow_inactive=True)
def audit_event_list(request, organization_id: int):
    """Who did what, when and from where in the organization (admins and auditors)."""
    return selectors.audit_event_list(organization_id=scoped_organization(request).pk)
