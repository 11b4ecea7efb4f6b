"""The volunteer's "my shifts" page, its calendar link, and the private calendar feed itself.

The page and its buttons are the signed-in person's own (no id but an application's, fetched
through access_own_application_by_id). The feed at /calendar/<token>.ics needs no login: the
token is the credential. An unknown, replaced or turned-off token answers a bare 404 that
neither shows nor logs the address.
"""

from __future__ import annotations

import hashlib

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseNotFound
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.cache import add_never_cache_headers, get_conditional_response
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.opportunities import calendar_feed, services
from ataa.opportunities.access import access_own_application_by_id

PAGE_SIZE = 50
MAX_UPCOMING = 200
FEED_MAX_AGE = 15 * 60  # seconds a client may keep the feed before asking again


class FeedLinkForm(forms.Form):
    """The new feed address in a read-only field, easy to select and copy."""

    url = forms.CharField(
        label=gettext_lazy("Your calendar link"),
        required=False,
        help_text=gettext_lazy("Copy it now: it is shown only this once."),
        widget=forms.URLInput(attrs={"readonly": True, "spellcheck": "false"}),
    )


def _context(request, **extra) -> dict:
    user = request.user
    return {
        "upcoming": list(calendar_feed.my_shift_list(user=user, upcoming=True)[:MAX_UPCOMING]),
        "page": Paginator(
            calendar_feed.my_shift_list(user=user, upcoming=False), PAGE_SIZE
        ).get_page(request.GET.get("page")),
        "feed": calendar_feed.calendar_feed_of(user=user),
        "current": "shifts",
        **extra,
    }


@login_required
def my_shifts(request):
    return render(request, "opportunities/my_shifts.html", _context(request))


@login_required
@require_POST
def my_shift_withdraw(request, application_id):
    application = access_own_application_by_id(request.user, application_id)
    try:
        services.application_withdraw(
            application=application, volunteer=request.user, ip_address=client_ip(request)
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your application is withdrawn."))
    return redirect("my_shifts")


@login_required
@require_POST
def my_calendar_feed_create(request):
    """Make the calendar link (or a new one, which stops the old one) and show it once."""
    _feed, raw = calendar_feed.calendar_feed_create(
        user=request.user, ip_address=client_ip(request)
    )
    addresses = calendar_feed.feed_addresses(request, raw)
    response = render(
        request,
        "opportunities/my_shifts.html",
        _context(
            request,
            new_feed=addresses,
            feed_form=FeedLinkForm(initial={"url": addresses["url"]}, auto_id="feed_%s"),
        ),
    )
    add_never_cache_headers(response)  # the page carries the secret address
    return response


@login_required
@require_POST
def my_calendar_feed_revoke(request):
    if calendar_feed.calendar_feed_revoke(user=request.user, ip_address=client_ip(request)):
        messages.success(
            request,
            _("Your calendar link is turned off. Calendars that use it get no more updates."),
        )
    else:
        messages.info(request, _("Your calendar link was already off."))
    return redirect("my_shifts")


def _not_found() -> HttpResponse:
    """A bare 404: the error page would repeat the address (and its token) in its language
    switch, and Django's request log would write it down."""
    response = HttpResponseNotFound(_("Not found."), content_type="text/plain; charset=utf-8")
    response._has_been_logged = True  # django.utils.log.log_response skips it
    add_never_cache_headers(response)
    return response


@require_safe
def calendar_feed_view(request, token):
    """The person's accepted places as an iCal feed, in their preferred language."""
    feed = calendar_feed.calendar_feed_authenticate(token)
    if feed is None:
        return _not_found()
    language = feed.user.preferred_language or "ar"
    with translation.override(language):
        body = calendar_feed.calendar_feed_ics(
            applications=calendar_feed.calendar_feed_application_list(user=feed.user),
            site=request.build_absolute_uri("/"),
        )
    etag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = f"private, max-age={FEED_MAX_AGE}"
    response["Content-Disposition"] = 'inline; filename="ataa-shifts.ics"'
    response["Content-Language"] = language
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["ETag"] = etag
    return get_conditional_response(request, etag=etag, response=response)
