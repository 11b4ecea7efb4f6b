"""Organization-scoped operations pass the access chokepoint before their input is read.

    @router.patch("/{organization_id}", ...)
    @organization_scoped(roles=ADMIN_ROLES)
    def organization_update(request, organization_id: int, payload: OrganizationPatchIn):
        organization = scoped_organization(request)

Ninja validates the body and query before it calls the view, so a check inside the view would
come too late: an outsider sending a malformed body would learn "422, these fields are wrong"
about an organization they must not know exists. `organization_scoped` runs
`ataa.organizations.access.access_organization_by_id` after authentication and before any input
is parsed, so outsiders get 404 and members of the wrong role 403 whatever they send; the view
then takes the organization it fetched from `scoped_organization(request)`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.http import HttpRequest
from ninja.operation import Operation
from ninja.utils import contribute_operation_callback

from ataa.organizations.access import ALL_ROLES, access_organization_by_id
from ataa.organizations.models import Organization

_SPEC = "_ataa_organization_access"
_FETCHED = "_ataa_scoped_organization"


class OrganizationScopedOperation(Operation):
    """An operation that fetches its organization through the chokepoint before parsing input."""

    def _get_values(self, request: HttpRequest, path_params, temporal_response):
        spec = getattr(self.view_func, _SPEC)
        organization = access_organization_by_id(
            request.auth,
            path_params.get("organization_id"),
            roles=spec["roles"],
            allow_inactive=spec["allow_inactive"],
        )
        setattr(request, _FETCHED, organization)
        return super()._get_values(request, path_params, temporal_response)


def _scope_operation(operation: Operation) -> None:
    if "{organization_id}" not in operation.path:
        raise TypeError(f"{operation.view_func.__name__}: no {{organization_id}} in the path")
    if type(operation) is not Operation:  # async operations are not used in this API
        raise TypeError(f"{operation.view_func.__name__}: only sync operations can be scoped")
    # Operations are cloned when the API is built; a clone keeps its class (Operation.clone).
    operation.__class__ = OrganizationScopedOperation


def organization_scoped(
    *, roles: Iterable[str] = ALL_ROLES, allow_inactive: bool = False
) -> Callable:
    """Declare the roles an operation needs; place it under the @router.<method> decorator."""

    def decorator(view_func):
        setattr(view_func, _SPEC, {"roles": frozenset(roles), "allow_inactive": allow_inactive})
        contribute_operation_callback(view_func, _scope_operation)
        return view_func

    return decorator


def scoped_organization(request: HttpRequest) -> Organization:
    """The organization the chokepoint returned for this request (with `viewer_role`)."""
    return getattr(request, _FETCHED)


def is_organization_scoped(view_func) -> bool:
    return hasattr(view_func, _SPEC)
