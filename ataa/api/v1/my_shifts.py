"""Your shifts and your calendar feed: GET /me/shifts, POST and DELETE /me/calendar-feed.

The same selectors and services as the "my shifts" page (ataa.opportunities.calendar_feed). A
shift here is an accepted place, so it carries the opportunity's exact address. The calendar
feed's address holds its secret token and is answered once, by the POST that makes it.
"""

import datetime as dt
from typing import Literal

from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ataa.api.v1.opportunities import OrganizationRefOut, RefOut, ShiftOut
from ataa.api.v1.pagination import PageNumberPagination
from ataa.core.audit import client_ip
from ataa.opportunities import calendar_feed
from ataa.opportunities.models import Application, Opportunity

router = Router(tags=["me"])


class MyShiftOpportunityOut(Schema):
    id: int
    title_ar: str
    title_en: str
    organization: OrganizationRefOut
    status: Opportunity.Status
    work_mode: Opportunity.WorkMode
    city: RefOut | None
    district: RefOut | None
    exact_address: str = Field(description="Shared with accepted volunteers only.")
    starts_on: dt.date | None
    ends_on: dt.date | None


class MyShiftOut(Schema):
    """One of the caller's accepted places: a shift, or a whole opportunity (`shift` null,
    then the opportunity's dates say when)."""

    id: int = Field(
        description="The application's id; withdraw with POST /me/applications/{id}/withdraw."
    )
    status: Application.Status
    party_size: int
    opportunity: MyShiftOpportunityOut
    shift: ShiftOut | None
    decided_at: dt.datetime | None


class CalendarFeedOut(Schema):
    url: str = Field(
        description="The feed's address (iCal). It holds a secret: shown only in this answer."
    )
    webcal_url: str = Field(description="The same address as webcal://, for phones.")
    created_at: dt.datetime


@router.get("/me/shifts", response=list[MyShiftOut])
@paginate(PageNumberPagination)
def my_shift_list(request, when: Literal["upcoming", "past"] = "upcoming"):
    """Your accepted places: `when=upcoming` (the default) soonest first, `when=past` latest
    first. Withdrawn, cancelled and rejected ones are not listed."""
    return calendar_feed.my_shift_list(user=request.auth, upcoming=when == "upcoming")


@router.post("/me/calendar-feed", response={201: CalendarFeedOut})
def calendar_feed_create(request, response: HttpResponse):
    """Make your private calendar feed, or a new address for it: the old address stops working
    at once. The answer holds the address, which is not shown again."""
    feed, raw = calendar_feed.calendar_feed_create(user=request.auth, ip_address=client_ip(request))
    add_never_cache_headers(response)
    return {**calendar_feed.feed_addresses(request, raw), "created_at": feed.created_at}


@router.delete("/me/calendar-feed", response={204: None})
def calendar_feed_revoke(request):
    """Turn your calendar feed off: its address answers 404 from now on. Harmless when it is
    already off."""
    calendar_feed.calendar_feed_revoke(user=request.auth, ip_address=client_ip(request))
