"""Rosters of shifts (and of opportunities without shifts), their CSV/XLSX exports, and the
roster's actions on an application: cancel with a reason, mark as not having come.

Admins and coordinators of the organization, like the applications list: a roster carries
names, answers and the phone numbers volunteers chose to share (`phone` is null otherwise).
The same selectors and services as the roster pages (ataa.opportunities.roster,
ataa.opportunities.applications); every fetch passes the organization chokepoint first.
"""

import datetime as dt
from typing import Literal

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from ataa.api.v1.opportunities import ApplicationStaffOut, ShiftOut
from ataa.api.v1.schemas import InputSchema
from ataa.api.v1.scoping import organization_scoped, scoped_organization
from ataa.core.audit import client_ip
from ataa.opportunities import services
from ataa.opportunities.access import (
    MANAGE_ROLES,
    access_application_by_id,
    access_opportunity_by_id,
    access_shift_by_id,
)
from ataa.opportunities.models import Application
from ataa.opportunities.roster import CONTENT_TYPES, Roster, roster_export, roster_for

router = Router(tags=["rosters"])

ONE = "/organizations/{organization_id}/opportunities/{opportunity_id}"


class RosterQuestionOut(Schema):
    id: int
    text_ar: str
    text_en: str
    required: bool


class RosterRowOut(Schema):
    application_id: int
    position: int = Field(description="Number on the roster, or place in line on the waitlist.")
    status: Application.Status
    volunteer_id: int
    full_name: str = Field(description="The name on the volunteer profile, in Arabic.")
    full_name_latin: str
    party_size: int
    phone: str | None = Field(
        description="Null when the volunteer does not share the phone number with organizations."
    )
    answers: dict[str, str] = Field(description="Answers by question id.")
    applied_at: dt.datetime


class RosterOut(Schema):
    opportunity_id: int
    shift: ShiftOut | None
    capacity: int
    taken: int = Field(description="Places taken by the accepted applications.")
    has_started: bool = Field(description="Whether no-show may be marked.")
    questions: list[RosterQuestionOut]
    accepted: list[RosterRowOut] = Field(description="Sorted by name.")
    waitlist: list[RosterRowOut] = Field(description="In the order places are offered.")


class CancelIn(InputSchema):
    reason: Application.CancelReason
    note: str = Field("", max_length=500, description="Required when the reason is `other`.")


def _rows(rows) -> list[dict]:
    return [
        {
            "application_id": row.application.pk,
            "position": row.position,
            "status": row.status,
            "volunteer_id": row.application.volunteer_id,
            "full_name": row.name,
            "full_name_latin": row.name_latin,
            "party_size": row.party_size,
            "phone": row.phone,
            "answers": row.application.answers or {},
            "applied_at": row.application.created_at,
        }
        for row in rows
    ]


def _out(roster: Roster) -> dict:
    return {
        "opportunity_id": roster.opportunity.pk,
        "shift": roster.shift,
        "capacity": roster.capacity,
        "taken": roster.taken,
        "has_started": roster.has_started,
        "questions": roster.questions,
        "accepted": _rows(roster.accepted),
        "waitlist": _rows(roster.waitlist),
    }


def _opportunity(request, opportunity_id):
    return access_opportunity_by_id(
        request.auth, scoped_organization(request), opportunity_id, roles=MANAGE_ROLES
    )


def _file(request, roster: Roster, fmt: str) -> HttpResponse:
    content, content_type, filename = roster_export(
        roster=roster, fmt=fmt, actor=request.auth, ip_address=client_ip(request)
    )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class ExportIn(Schema):
    format: Literal["csv", "xlsx"] = Field(
        "csv", description="csv: UTF-8 with a byte order mark; xlsx: one sheet."
    )


EXPORT_DOC = {
    "responses": {
        200: {
            "description": "The roster as a file (attachment): accepted, then the waitlist.",
            "content": {
                CONTENT_TYPES[fmt].split(";")[0]: {"schema": {"type": "string", "format": "binary"}}
                for fmt in CONTENT_TYPES
            },
        }
    }
}


@router.get(ONE + "/shifts/{shift_id}/roster", response=RosterOut)
@organization_scoped(roles=MANAGE_ROLES)
def shift_roster_get(request, organization_id: int, opportunity_id: int, shift_id: int):
    """The roster of a shift: accepted volunteers (by name), then the waitlist (in order)."""
    opportunity = _opportunity(request, opportunity_id)
    shift = access_shift_by_id(opportunity, shift_id)
    return _out(roster_for(opportunity=opportunity, shift=shift))


@router.get(ONE + "/roster", response=RosterOut)
@organization_scoped(roles=MANAGE_ROLES)
def opportunity_roster_get(request, organization_id: int, opportunity_id: int):
    """The roster of the opportunity's applications without a shift."""
    return _out(roster_for(opportunity=_opportunity(request, opportunity_id)))


@router.get(ONE + "/shifts/{shift_id}/roster/export", openapi_extra=EXPORT_DOC)
@organization_scoped(roles=MANAGE_ROLES)
def shift_roster_export(
    request, organization_id: int, opportunity_id: int, shift_id: int, query: Query[ExportIn]
):
    """The shift's roster as CSV or XLSX. Recorded in the audit log (`roster.exported`)."""
    opportunity = _opportunity(request, opportunity_id)
    shift = access_shift_by_id(opportunity, shift_id)
    return _file(request, roster_for(opportunity=opportunity, shift=shift), query.format)


@router.get(ONE + "/roster/export", openapi_extra=EXPORT_DOC)
@organization_scoped(roles=MANAGE_ROLES)
def opportunity_roster_export(
    request, organization_id: int, opportunity_id: int, query: Query[ExportIn]
):
    """The roster of the applications without a shift as CSV or XLSX (audited)."""
    opportunity = _opportunity(request, opportunity_id)
    return _file(request, roster_for(opportunity=opportunity), query.format)


@router.post(ONE + "/applications/{application_id}/cancel", response=ApplicationStaffOut)
@organization_scoped(roles=MANAGE_ROLES)
def application_cancel(
    request, organization_id: int, opportunity_id: int, application_id: int, payload: CancelIn
):
    """Cancel a pending, waitlisted or accepted application with a reason; the volunteer is
    told, and a place it held goes to the first waitlisted application that fits."""
    opportunity = _opportunity(request, opportunity_id)
    application = access_application_by_id(
        scoped_organization(request), opportunity, application_id
    )
    return services.application_cancel(
        application=application,
        decided_by=request.auth,
        reason=payload.reason,
        note=payload.note,
        ip_address=client_ip(request),
    )


@router.post(ONE + "/applications/{application_id}/no-show", response=ApplicationStaffOut)
@organization_scoped(roles=MANAGE_ROLES)
def application_mark_no_show(
    request, organization_id: int, opportunity_id: int, application_id: int
):
    """Mark an accepted volunteer as not having come; refused (`not_started`, 409) before the
    shift (or the opportunity) has started."""
    opportunity = _opportunity(request, opportunity_id)
    application = access_application_by_id(
        scoped_organization(request), opportunity, application_id
    )
    return services.application_mark_no_show(
        application=application, decided_by=request.auth, ip_address=client_ip(request)
    )
