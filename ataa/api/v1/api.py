"""The JSON API, /api/v1: OpenAPI at /api/v1/openapi.json, interactive docs at /api/v1/docs.

Every operation needs a caller: a personal access token (`Authorization: Bearer ataa_…`) or the
browser session with its CSRF token. Errors have one shape (errors.py); lists are paginated
(pagination.py); organization-scoped operations pass the access chokepoint before their input is
read (scoping.py). Endpoints call the same services, selectors and access functions as the
HTML views, one module per resource.
"""

from __future__ import annotations

from functools import wraps

from django.utils.translation import gettext
from ninja import NinjaAPI, Swagger

from ataa.api.v1 import (
    audit_events,
    certificates,
    error_codes,
    errors,
    evaluations,
    hours,
    invitations,
    me,
    members,
    my_shifts,
    notifications,
    opportunities,
    organizations,
    qualification_reviews,
    questions,
    rosters,
    tokens,
    volunteers,
)
from ataa.api.v1.auth import SessionAuth, TokenAuth

DESCRIPTION = """\
The JSON API of Ataa (عطاء).

**Authentication.** Send a personal access token, made on your account settings page, as
`Authorization: Bearer ataa_…`. Pages of Ataa itself may use the browser session instead; unsafe
requests then need the CSRF token in the `X-CSRFToken` header.

**Errors** have one shape: `{"error": {"code": "...", "message": "...", "fields": {...}}}`.
Branch on `code`; `message` and `fields` are for people, in your preferred language (else the
`Accept-Language` header if it asks for Arabic or English, else Arabic).

**Lists** are paginated: `?page=1&page_size=50` (at most 100), answering `items` and `count`.
"""


class AtaaAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        return operation.view_func.__name__

    def _get_urls(self):
        """Ninja answers a method a path lacks with an empty 405; give it the error shape too."""
        urls = super()._get_urls()
        for pattern in urls:
            if getattr(pattern.callback, "csrf_exempt", False):  # the operations' views
                pattern.callback = self._shaped_405(pattern.callback)
        return urls

    def _shaped_405(self, view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if response.status_code != 405:
                return response
            shaped = self.create_response(
                request,
                errors.error_body(
                    error_codes.METHOD_NOT_ALLOWED,
                    gettext("This address does not accept the method %(method)s.")
                    % {"method": request.method},
                ),
                status=405,
            )
            shaped["Allow"] = response.get("Allow", "")
            return shaped

        return wrapper

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        """The generated document, plus the error shape as every operation's default answer."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["ErrorOut"] = errors.ErrorOut.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        components.update(components["ErrorOut"].pop("$defs", {}))
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].setdefault(
                    "default",
                    {
                        "description": "An error: see `error.code`.",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ErrorOut"}
                            }
                        },
                    },
                )
        return schema


api = AtaaAPI(
    title="Ataa API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Served from ninja's own static files (no CDN), so the docs work on a closed network.
    docs=Swagger(settings={"validatorUrl": None, "persistAuthorization": False}),
    auth=[TokenAuth(), SessionAuth()],
)
errors.install(api)

for module in (
    me,
    tokens,
    organizations,
    members,
    invitations,
    audit_events,
    volunteers,
    opportunities,
    my_shifts,
    notifications,
    rosters,
    questions,
    qualification_reviews,
    hours,
    certificates,
    evaluations,
):
    api.add_router("", module.router)
