"""Bad input to any form page gives a clear answer, never a 500, and never a half-written record."""

import pytest

from ataa.accounts.models import PersonalAccessToken, User
from ataa.core.models import AuditEvent
from ataa.organizations.models import Invitation, Membership, Organization
from conftest import NASTY_VALUES, table_state

pytestmark = pytest.mark.django_db


# (persona fixture, url template, the form's field names)
FORMS = [
    (None, "/accounts/login/", ["login", "password"]),
    (None, "/accounts/signup/", ["full_name", "email", "password1", "password2"]),
    (None, "/accounts/password/reset/", ["email"]),
    ("coordinator", "/account/settings/", ["full_name", "phone", "preferred_language"]),
    ("coordinator", "/account/tokens/", ["name", "expires_in_days"]),
    ("stranger", "/orgs/new/", ["name_ar", "name_en", "kind", "city", "registration_number"]),
    (
        "org_admin",
        "/orgs/{org}/settings/",
        ["name_ar", "name_en", "kind", "city", "registration_number"],
    ),
    ("org_admin", "/orgs/{org}/members/", ["email", "role"]),
    ("org_admin", "/orgs/{org}/members/{membership}/role/", ["role"]),
    ("platform_admin", "/platform/organizations/{org}/decide/", ["decision"]),
    (None, "/language/", ["language", "next"]),
]


def snapshot():
    return table_state(User, Organization, Membership, Invitation, PersonalAccessToken, AuditEvent)


@pytest.mark.parametrize(("persona", "url", "fields"), FORMS, ids=[f[1] for f in FORMS])
def test_nasty_input_never_breaks_a_form(
    request, client, organization, coordinator, persona, url, fields
):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    if "{membership}" in url:
        url = url.replace("{membership}", str(Membership.objects.get(user=coordinator).pk))
    url = url.replace("{org}", str(organization.pk))
    before = snapshot()
    for value in NASTY_VALUES:
        response = client.post(url, {field: value for field in fields})
        assert response.status_code < 500, f"{url} answered {response.status_code} to {value!r}"
        if response.status_code == 200 and response.context and "form" in response.context:
            assert response.context["form"].errors, f"{url} accepted {value!r}"
    assert snapshot() == before
