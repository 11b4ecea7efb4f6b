"""Every URL pattern and API operation, enumerated: outsiders get 404 on organization-scoped ones.

Each pattern of the URLconf is classified below. Patterns with an `organization_id` (or another
object id) are filled with ids of objects of `organization` and requested by `outsider` (an admin
of another organization) with every method they accept: the answer must be 404, for pages and for
the API alike. Anonymous visitors must be sent to the login page (pages) or get 401 (API). A new
pattern that fits no class fails this test until someone classifies it, so no endpoint can skip
the access chokepoint unnoticed.
"""

from __future__ import annotations

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# Patterns that are not scoped to an organization or a person's objects, with the reason.
NOT_OBJECT_SCOPED = {
    "": "home page, public",
    "volunteer/shifts/": "the signed-in person's own accepted places",
    "volunteer/shifts/calendar/": "makes the signed-in person's own calendar feed",
    "volunteer/shifts/calendar/off/": "turns the signed-in person's own calendar feed off",
    "calendar/<str:token>.ics": "the secret feed token is the capability (404 unless known)",
    "api/v1/me/shifts": "the caller's own accepted places",
    "api/v1/me/calendar-feed": "the caller's own calendar feed",
    "account/notifications/": "the signed-in person's own notification channels",
    "api/v1/me/notifications": "the caller's own notification channels",
    "healthz": "health check, public, no data",
    "language/": "language switch, the visitor's own cookie",
    "account/settings/": "the signed-in person's own profile",
    "account/tokens/": "the signed-in person's own tokens",
    "orgs/": "lists only the signed-in person's memberships",
    "orgs/new/": "registers a new organization of the signed-in person",
    "orgs/switch/": "fetches the organization through the chokepoint (tested below)",
    "platform/organizations/": "platform admins only (tested below)",
    "platform/audit/": "platform admins only (tested below)",
    "invitations/<str:token>/": "the signed invitation token is the capability",
    "api/v1/": "API root, answers 404",
    "api/v1/me": "the caller's own account",
    "api/v1/me/tokens": "the caller's own tokens (revoking one is scoped by token_id)",
    "api/v1/organizations": "lists the caller's organizations / registers a new one",
    "api/v1/invitations/accept": "the signed invitation token in the body is the capability",
    "volunteer/profile/": "the signed-in person's own volunteer profile",
    "volunteer/districts/": "public place names (districts of a city)",
    "volunteer/qualifications/": "the signed-in person's own qualifications",
    "volunteer/qualifications/remove/": "id in the POST body, via access_qualification_by_id",
    "api/v1/volunteer-profile": "the caller's own volunteer profile",
    "api/v1/volunteer-profile/qualifications": "the caller's own qualifications",
    "api/v1/taxonomy/skills": "public skills taxonomy",
    "api/v1/places/cities": "public cities and districts",
    "api/v1/docs": "API documentation, public",
    "api/v1/openapi.json": "API schema, public",
    "opportunities/": "public list of published, public opportunities",
    "api/v1/opportunities": "public list of published, public opportunities",
    "volunteer/applications/": "the signed-in person's own applications",
    "api/v1/me/applications": "the caller's own applications (withdrawing one is scoped by id)",
    "volunteer/check-in/": "the signed-in person's own shifts of today, and the code scanner",
    "volunteer/hours/": "the signed-in person's own hours (and submitting remote hours)",
    "api/v1/me/hours": "the caller's own hours (an application id in the body is checked)",
    "api/v1/me/hours/totals": "the caller's own totals",
    ".well-known/ataa-certificate-keys.json": "the public keys that verify certificates",
    "verify/": "public certificate verification form",
    "verify/<str:code>/": "public certificate verification: the code is what is verified",
    "api/v1/certificates/verify/<code>": "public certificate verification by code",
    "volunteer/certificates/": "the signed-in person's own certificates (and getting one)",
    "api/v1/me/certificates": "the caller's own certificates (an opportunity id is checked)",
    "volunteer/evaluations/": "the signed-in person's own averages and ratings",
    "api/v1/me/evaluations": "the caller's own averages",
    "api/v1/me/ratings": "the caller's own ratings (an attendance id in the body is checked)",
}
# API routes whose id names a place the caller may hold: the service checks the caller's own
# accepted application and refuses everyone else with its message, showing nothing of the object
# (ataa/api/tests/test_hours.py tests it). The page of the same (check-in/<shift_id>/) answers 404
# to anyone without an application there, so it is tested as scoped.
OWN_PLACE_ROUTES = {
    "api/v1/shifts/<shift_id>/check-in": "check-in by code: only an accepted volunteer",
}
# Public pages of one object: they answer by the object's visibility rules, not by membership.
# The object of scoped_object_ids is a draft, so everyone (outsider, anonymous) gets 404.
PUBLIC_OBJECT_ROUTES = {
    "opportunities/<int:opportunity_id>/": "public opportunity page (ataa.opportunities.access)",
    "api/v1/opportunities/<opportunity_id>": "public opportunity (ataa.opportunities.access)",
}
# Prefixes owned by libraries, with the reason they hold no organization data.
NOT_OBJECT_SCOPED_PREFIXES = {
    "accounts/": "django-allauth: the signed-in person's own login, email, password and MFA",
    "admin/": "Django admin: staff only (tested below)",
    "media/": "uploaded files in development (DEBUG) only",
    "static/": "static files",
}
SCOPING_KWARGS = {
    "organization_id",
    "membership_id",
    "invitation_id",
    "token_id",
    "qualification_id",
    "opportunity_id",
    "application_id",
    "shift_id",
    "question_id",
    "attendance_id",
    "entry_id",
    "certificate_id",
}
PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def all_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def kwargs_of(route: str) -> set[str]:
    return {match["name"] for match in PARAM.finditer(route)}


def fill(route: str, values: dict) -> str:
    return "/" + PARAM.sub(lambda match: str(values[match["name"]]), route).lstrip("^").rstrip("$")


def api_methods(route: str) -> list[str]:
    """The HTTP methods an API route accepts, from the OpenAPI document of the code."""
    from ataa.api.v1.api import api

    schema = api.get_openapi_schema()
    openapi_path = "/" + PARAM.sub(lambda match: "{" + match["name"] + "}", route)
    operations = schema["paths"].get(openapi_path, {})
    return [
        method.upper()
        for method in operations
        if method in {"get", "post", "put", "patch", "delete"}
    ]


@pytest.fixture
def objects(scoped_object_ids):
    return scoped_object_ids


def classify(route: str) -> str:
    if any(route.startswith(prefix) for prefix in NOT_OBJECT_SCOPED_PREFIXES):
        return "library"
    if route in PUBLIC_OBJECT_ROUTES:
        return "public_object"
    if route in OWN_PLACE_ROUTES:
        return "own_place"
    if kwargs_of(route) & SCOPING_KWARGS:
        return "scoped"
    if route in NOT_OBJECT_SCOPED or route.rstrip("/") in NOT_OBJECT_SCOPED:
        return "not_scoped"
    return "unclassified"


def test_every_url_pattern_is_classified():
    unclassified = [route for route, _ in all_patterns() if classify(route) == "unclassified"]
    assert not unclassified, (
        "Classify these URL patterns in test_url_access.py (object-scoped ones need an id kwarg "
        f"that is fetched through the access chokepoint): {unclassified}"
    )


def test_unknown_kwargs_are_not_silently_unscoped():
    unknown = {
        route: kwargs_of(route) - SCOPING_KWARGS
        for route, _ in all_patterns()
        if classify(route) == "scoped" and kwargs_of(route) - SCOPING_KWARGS
    }
    assert not unknown, f"Teach this test to fill these URL kwargs: {unknown}"


def scoped_requests(objects):
    for route, _pattern in all_patterns():
        if classify(route) != "scoped":
            continue
        url = fill(route, objects)
        methods = api_methods(route) if route.startswith("api/") else ["GET", "POST"]
        assert methods, f"no methods found for {route}"
        for method in methods:
            yield route, url, method


def send(client, method, url):
    if method in {"POST", "PUT", "PATCH"}:
        return client.generic(method, url, data="{}", content_type="application/json")
    return client.generic(method, url)


def test_outsiders_get_404_on_every_organization_scoped_url_and_operation(
    client, outsider, objects
):
    client.force_login(outsider)
    seen = []
    for route, url, method in scoped_requests(objects):
        response = send(client, method, url)
        seen.append(route)
        # 405 (a POST-only page asked with GET) is decided before any object is looked up.
        allowed = {404, 405} if method == "GET" and not route.startswith("api/") else {404}
        assert response.status_code in allowed, (
            f"{method} {url} answered {response.status_code} to an outsider"
        )
    # The enumeration really covers pages and API operations.
    assert any(route.startswith("orgs/") for route in seen)
    assert any(route.startswith("api/") for route in seen)


def test_anonymous_visitors_are_sent_to_login_or_get_401(client, objects):
    for route, url, method in scoped_requests(objects):
        response = send(client, method, url)
        if response.status_code == 405 and method == "GET":
            continue
        if route.startswith("api/"):
            assert response.status_code == 401, f"{method} {url} answered {response.status_code}"
            assert response.json()["error"]["code"]
        else:
            assert response.status_code == 302, f"{method} {url} answered {response.status_code}"
            assert response["Location"].startswith("/accounts/login/")


def test_outsider_switching_to_a_foreign_organization_gets_404(client, outsider, organization):
    client.force_login(outsider)
    assert client.get("/orgs/switch/", {"organization": organization.pk}).status_code == 404


def test_platform_pages_are_404_to_everyone_but_platform_admins(client, org_admin, outsider):
    for user in (org_admin, outsider):
        client.force_login(user)
        for url in ("/platform/organizations/", "/platform/audit/"):
            assert client.get(url).status_code == 404


def test_django_admin_is_closed_to_non_staff(client, org_admin):
    client.force_login(org_admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_public_object_routes_answer_404_for_an_object_that_is_not_public(
    client, outsider, objects
):
    routes = [route for route, _ in all_patterns() if classify(route) == "public_object"]
    assert sorted(routes) == sorted(PUBLIC_OBJECT_ROUTES)
    for signed_in in (False, True):
        if signed_in:
            client.force_login(outsider)
        for route in routes:
            response = client.get(fill(route, objects))
            assert response.status_code == 404, f"GET {route} answered {response.status_code}"
