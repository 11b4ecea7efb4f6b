"""A volunteer's own shifts ("my shifts") and their private calendar feed (iCal).

Reads: `my_shift_list` (accepted places, upcoming soonest first or past latest first) and
`calendar_feed_application_list` (what the feed shows: accepted places, upcoming and of the last
FEED_PAST_DAYS days). Both are pre-joined: the query count does not grow with the rows.

Writes: `calendar_feed_create` makes the person's feed, or gives it a new token (the old address
stops working at once); `calendar_feed_revoke` turns it off. Only the SHA-256 of the token is
stored; the token travels once, in the answer that made it, and never goes into the audit log,
a log line or a task argument.

`calendar_feed_authenticate` finds the feed of a token from the feed's address (the token is
the credential: the feed needs no login), and `calendar_feed_ics` writes the iCal document.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import DateTimeField, F, Q, QuerySet
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ataa.accounts.models import hash_token
from ataa.core.audit import audit_record
from ataa.core.errors import PermissionRefused
from ataa.opportunities import selectors
from ataa.opportunities.models import Application, CalendarFeed, Opportunity

FEED_PAST_DAYS = 90
FEED_MAX_EVENTS = 500
# last_used_at is written at most this often: a phone asks for the feed every hour or so.
LAST_USED_EVERY = dt.timedelta(minutes=10)
# secrets.token_urlsafe(32) gives 43 characters; anything else is not a feed token.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{40,64}")

# When a place begins: the shift's start, else the opportunity's first day (as a datetime, so
# both kinds sort together).
BEGINS = Coalesce("shift__starts_at", Cast("opportunity__starts_on", output_field=DateTimeField()))


# --- Reads ----------------------------------------------------------------------------------


def my_shift_list(*, user, upcoming: bool) -> QuerySet[Application]:
    """The person's accepted places with their opportunity, organization, place and shift.

    Upcoming ones (the shift, or else the opportunity, has not ended; the same rule as
    `selectors.my_application_list`) soonest first, those without dates last; past ones latest
    first.
    """
    queryset = (
        selectors.my_application_list(user=user, upcoming=upcoming)
        .filter(status=Application.Status.ACCEPTED)
        .select_related(
            "opportunity", "opportunity__organization", "opportunity__city", "opportunity__district"
        )
        .annotate(begins=BEGINS)
    )
    if upcoming:
        return queryset.order_by(F("begins").asc(nulls_last=True), "pk")
    return queryset.order_by(F("begins").desc(nulls_last=True), "-pk")


def calendar_feed_application_list(*, user, now: dt.datetime | None = None) -> list[Application]:
    """What the person's calendar feed shows: accepted places of a shift that ends after
    FEED_PAST_DAYS days ago, and of whole opportunities with dates that end after then; at most
    FEED_MAX_EVENTS, soonest first. Withdrawn, cancelled and rejected places are not in it."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=FEED_PAST_DAYS)
    since_day = timezone.localdate(since)
    with_shift = Q(shift__isnull=False, shift__ends_at__gte=since)
    whole = Q(shift__isnull=True, opportunity__starts_on__isnull=False) & (
        Q(opportunity__ends_on__gte=since_day)
        | Q(opportunity__ends_on__isnull=True, opportunity__starts_on__gte=since_day)
    )
    return list(
        Application.objects.filter(volunteer=user, status=Application.Status.ACCEPTED)
        .filter(with_shift | whole)
        .select_related(
            "shift",
            "opportunity",
            "opportunity__organization",
            "opportunity__city",
            "opportunity__district",
        )
        .annotate(begins=BEGINS)
        .order_by("begins", "pk")[:FEED_MAX_EVENTS]
    )


def calendar_feed_of(*, user) -> CalendarFeed | None:
    """The person's calendar feed, if it is on."""
    if not getattr(user, "is_authenticated", False):
        return None
    return CalendarFeed.objects.filter(user=user).first()


def opportunity_path(opportunity: Opportunity) -> str | None:
    """The public page of an opportunity the person has a place in, with the link key of an
    unlisted one; None once it is no longer published (the page would answer 404)."""
    if opportunity.status != Opportunity.Status.PUBLISHED:
        return None
    path = reverse("opportunity_public_detail", args=[opportunity.pk])
    if opportunity.visibility == Opportunity.Visibility.UNLISTED:
        path += f"?key={opportunity.share_token}"
    return path


def place_text(opportunity: Opportunity, *, exact: bool) -> str:
    """Where it happens, in the active language: the exact address (when `exact`: only for
    accepted volunteers), the district and the city; "Remote" for a remote opportunity."""
    if opportunity.work_mode == Opportunity.WorkMode.REMOTE:
        return _("Remote")
    parts = [
        opportunity.exact_address.strip() if exact else "",
        opportunity.district.name if opportunity.district_id else "",
        opportunity.city.name if opportunity.city_id else "",
    ]
    text = _(", ").join(part for part in parts if part)
    if opportunity.work_mode == Opportunity.WorkMode.HYBRID:
        return _("%(place)s (or remote)") % {"place": text} if text else _("Remote")
    return text


# --- Writes ---------------------------------------------------------------------------------


def _require_person(user) -> None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise PermissionRefused(_("Sign in to manage your calendar link."), code="forbidden")


@transaction.atomic
def calendar_feed_create(*, user, ip_address: str | None = None) -> tuple[CalendarFeed, str]:
    """Make the person's calendar feed, or give it a new token: the old address stops working.

    Returns the feed and the raw token, which is not stored and is shown only this once.
    """
    _require_person(user)
    # One feed per person: lock the person's row so two clicks at once make one feed.
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk").get()
    raw = secrets.token_urlsafe(32)
    feed = CalendarFeed.objects.filter(user=user).first()
    renewed = feed is not None
    if feed is None:
        feed = CalendarFeed.objects.create(user=user, token_hash=hash_token(raw))
    else:
        feed.token_hash = hash_token(raw)
        feed.created_at = timezone.now()
        feed.last_used_at = None
        feed.save(update_fields=["token_hash", "created_at", "last_used_at"])
    audit_record(
        actor=user,
        verb="calendar_feed.renewed" if renewed else "calendar_feed.created",
        target=feed,
        ip_address=ip_address,
    )
    return feed, raw


@transaction.atomic
def calendar_feed_revoke(*, user, ip_address: str | None = None) -> bool:
    """Turn the person's calendar feed off: its address answers 404 from now on. Returns
    whether there was one (turning it off twice is harmless and audited once)."""
    _require_person(user)
    feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
    if feed is None:
        return False
    audit_record(actor=user, verb="calendar_feed.revoked", target=feed, ip_address=ip_address)
    feed.delete()
    return True


def calendar_feed_authenticate(raw) -> CalendarFeed | None:
    """The feed (with its person) of a token from a feed address; None if the token is unknown,
    was replaced or turned off, or its person can no longer sign in. Notes when it was used."""
    if not isinstance(raw, str) or not TOKEN_PATTERN.fullmatch(raw):
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    now = timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at > LAST_USED_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
        feed.last_used_at = now
    return feed


# --- The iCal document ----------------------------------------------------------------------


def feed_addresses(request, raw: str) -> dict[str, str]:
    """The feed's address for a token: `url` (https, or http in development) and `webcal_url`
    (the same address with webcal://, which phones open as "subscribe to this calendar")."""
    url = request.build_absolute_uri(reverse("calendar_feed", args=[raw]))
    return {"url": url, "webcal_url": "webcal://" + url.split("://", 1)[1]}


def _uid_host() -> str:
    return urlsplit(settings.ATAA_BASE_URL).hostname or "ataa"


def _event(application: Application, *, site: str, uid_host: str) -> icalendar.Event:
    opportunity = application.opportunity
    shift = application.shift
    event = icalendar.Event()
    event.add("uid", f"application-{application.pk}@{uid_host}")
    event.add("dtstamp", (application.decided_at or application.created_at).astimezone(dt.UTC))
    if shift is not None:
        event.add("dtstart", shift.starts_at.astimezone(dt.UTC))
        event.add("dtend", shift.ends_at.astimezone(dt.UTC))
    else:  # a whole opportunity: all-day, from its first to its last day
        event.add("dtstart", opportunity.starts_on)
        event.add("dtend", (opportunity.ends_on or opportunity.starts_on) + dt.timedelta(days=1))
    event.add("summary", opportunity.title)
    location = place_text(opportunity, exact=True)
    if location:
        event.add("location", location)
    lines = [_("Organization: %(name)s") % {"name": opportunity.organization.name}]
    path = opportunity_path(opportunity)
    if path:
        event.add("url", site + path)
        lines.append(_("About the opportunity: %(link)s") % {"link": site + path})
    lines.append(_("My shifts: %(link)s") % {"link": site + reverse("my_shifts")})
    event.add("description", "\n".join(lines))
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", dt.timedelta(days=-1))
    alarm.add("description", _("Tomorrow: %(title)s") % {"title": opportunity.title})
    event.add_component(alarm)
    return event


def calendar_feed_ics(*, applications: list[Application], site: str) -> bytes:
    """The iCal document of these places, in the active language; `site` is the scheme and
    host the links in it start with ("https://ataa.example"). Times are in UTC; a place
    without a shift is an all-day event over the opportunity's dates."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Ataa//My shifts//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("My volunteering shifts (Ataa)"))
    calendar.add("refresh-interval", dt.timedelta(hours=2), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT2H")
    site = site.rstrip("/")
    uid_host = _uid_host()
    for application in applications:
        calendar.add_component(_event(application, site=site, uid_host=uid_host))
    return calendar.to_ical()
