"""Organization-scoped operations answer outsiders 404 whatever they send, and change nothing.

The operations are enumerated from the OpenAPI document, so a new one is covered automatically.
"""

from __future__ import annotations

import re

import pytest

from ataa.accounts.models import PersonalAccessToken
from ataa.api.tests.conftest import PUBLIC_OPERATIONS, ApiClient, error_of
from ataa.api.v1.api import api as ninja_api
from ataa.api.v1.scoping import is_organization_scoped
from ataa.core.models import AuditEvent, OutboxMessage
from ataa.organizations.models import Invitation, Membership, Organization

pytestmark = pytest.mark.django_db

PARAM = re.compile(r"\{(\w+)\}")
# A body each write operation would accept from an admin of the organization.
VALID_BODIES = {
    "organization_update": {"city": "taif"},
    "member_update": {"role": "auditor"},
    "invitation_create": {"email": "someone@example.com", "role": "auditor"},
}


def operations():
    schema = ninja_api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method.upper(), operation["operationId"]


def scoped_operations():
    return [op for op in operations() if "{organization_id}" in op[0]]


@pytest.fixture
def ids(scoped_object_ids):
    return scoped_object_ids


def fill(path, ids):
    return PARAM.sub(lambda match: str(ids[match[1]]), path)


def everything():
    return (
        list(Organization.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
        list(Invitation.objects.order_by("pk").values()),
        list(PersonalAccessToken.objects.order_by("pk").values("pk", "revoked_at")),
        AuditEvent.objects.count(),
        OutboxMessage.objects.count(),
    )


def test_the_enumeration_finds_the_scoped_operations():
    found = {operation_id for _path, _method, operation_id in scoped_operations()}
    assert {"member_list", "member_remove", "invitation_create", "audit_event_list"} <= found


def test_every_operation_with_an_organization_id_passes_the_chokepoint_first():
    for bound_router in ninja_api._get_bound_routers():
        for path, path_view in bound_router.path_operations.items():
            for operation in path_view.operations:
                if "{organization_id}" in path:
                    assert is_organization_scoped(operation.view_func), path
                    assert type(operation).__name__ == "OrganizationScopedOperation", path


@pytest.mark.parametrize("body", ["valid", "{}", "malformed", "none"])
def test_outsiders_get_404_on_every_scoped_operation_whatever_they_send(outsider, ids, body):
    api = ApiClient(outsider)
    before = everything()
    for path, method, operation_id in scoped_operations():
        url = fill(path, ids)
        if body == "valid":
            response = api.request(method, url, VALID_BODIES.get(operation_id))
        elif body == "{}":
            response = api.request(method, url, {})
        elif body == "malformed":
            response = api.request(method, url, raw="{oops")
        else:
            response = api.request(method, url, page=0)
        assert response.status_code == 404, (method, url, body, response.content)
        assert error_of(response)["code"] == "not_found"
    assert everything() == before


def test_outsiders_cannot_revoke_someone_elses_token(outsider, ids):
    api = ApiClient(outsider)
    before = everything()
    assert api.delete(f"me/tokens/{ids['token_id']}").status_code == 404
    assert everything() == before


def test_anonymous_callers_get_401_on_every_operation(ids):
    api = ApiClient()
    before = everything()
    for path, method, operation_id in operations():
        if operation_id in PUBLIC_OPERATIONS:
            continue
        response = api.request(method, fill(path, ids), VALID_BODIES.get(operation_id, {}))
        assert response.status_code == 401, (method, path)
        assert error_of(response)["code"] == "not_authenticated"
    assert everything() == before


def test_members_of_an_organization_awaiting_approval_only_read_it(org_admin, organization, ids):
    Organization.objects.filter(pk=organization.pk).update(status=Organization.Status.PENDING)
    api = ApiClient(org_admin)
    before = everything()
    for path, method, operation_id in scoped_operations():
        response = api.request(method, fill(path, ids), VALID_BODIES.get(operation_id))
        if operation_id in {"organization_get", "audit_event_list"}:
            assert response.status_code == 200, operation_id
        else:
            assert response.status_code == 404, operation_id
    assert everything() == before
