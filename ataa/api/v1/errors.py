"""One error shape for every refused request: {"error": {"code", "message", "fields"}}.

`code` comes from error_codes.py and is stable; `message` and the messages in `fields` are
translated into the language of the request (ataa.accounts.middleware, ataa.api.v1.auth). Field
messages reuse Django's own wording where Django has it ("This field is required."), so they read
the same as on the HTML forms and arrive already translated.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from django.core import signals
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext, ngettext
from ninja import Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from ataa.api.v1 import error_codes
from ataa.core.errors import ServiceError
from ataa.organizations.access import MfaRequired

logger = logging.getLogger("ataa.api")


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorDetail


class CsrfFailed(Exception):
    """A browser session sent an unsafe request without a valid CSRF token."""


class InvitationTokenInvalid(Exception):
    """The invitation token is unknown, forged or too old."""


def error_body(code: str, message, fields: dict[str, list] | None = None) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "message": str(message),
            "fields": {
                name: [str(text) for text in texts] for name, texts in (fields or {}).items()
            },
        }
    }


def install(api) -> None:
    """Register the handlers on the NinjaAPI; the most specific exception class wins."""

    def respond(request, status, code, message, fields=None) -> HttpResponse:
        return api.create_response(request, error_body(code, message, fields), status=status)

    @api.exception_handler(ValidationError)
    def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return validation_error_response(request, exc, respond)

    @api.exception_handler(AuthenticationError)
    def on_authentication_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(
            request,
            401,
            error_codes.NOT_AUTHENTICATED,
            gettext("Sign in, or send a valid API token as “Authorization: Bearer …”."),
        )
        response["WWW-Authenticate"] = 'Bearer realm="api"'
        return response

    @api.exception_handler(CsrfFailed)
    def on_csrf_failed(request: HttpRequest, exc: CsrfFailed) -> HttpResponse:
        return respond(
            request,
            403,
            error_codes.CSRF_FAILED,
            gettext(
                "The request came without a valid CSRF token. Send the token of the page in the "
                "X-CSRFToken header, or use an API token."
            ),
        )

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        # Ninja raises HttpError(400) for a body that is not JSON, and 429 when throttled.
        if exc.status_code == 400:
            return respond(
                request,
                400,
                error_codes.MALFORMED_BODY,
                gettext("The request body is not valid JSON."),
            )
        if exc.status_code == 429:
            return respond(
                request, 429, error_codes.THROTTLED, gettext("Too many requests. Try again later.")
            )
        if exc.status_code == 403:
            return forbidden(request, respond)
        if exc.status_code == 404:
            return not_found(request, respond)
        return respond(
            request,
            exc.status_code,
            error_codes.SERVER_ERROR if exc.status_code >= 500 else error_codes.INVALID_INPUT,
            gettext("The request could not be handled."),
        )

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return not_found(request, respond)

    @api.exception_handler(InvitationTokenInvalid)
    def on_invitation_token_invalid(request, exc) -> HttpResponse:
        message = gettext("This invitation link is not valid, or it has expired.")
        return respond(
            request, 404, error_codes.INVITATION_NOT_FOUND, message, {"token": [message]}
        )

    @api.exception_handler(PermissionDenied)
    def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return forbidden(request, respond)

    @api.exception_handler(MfaRequired)
    def on_mfa_required(request: HttpRequest, exc: MfaRequired) -> HttpResponse:
        return respond(
            request,
            403,
            error_codes.MFA_REQUIRED,
            gettext(
                "This organization requires two-factor authentication. Set up an "
                "authenticator app in your account settings first."
            ),
        )

    @api.exception_handler(ServiceError)
    def on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
        status = error_codes.SERVICE_ERROR_STATUS.get(
            exc.code, error_codes.SERVICE_ERROR_DEFAULT_STATUS
        )
        return respond(request, status, exc.code, exc.message, exc.fields)

    @api.exception_handler(Exception)
    def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
        # A bug. Log it without the request's data (it may hold personal data), tell Django's
        # error reporting (the test client re-raises it from this signal), answer in our shape.
        match = getattr(request, "resolver_match", None)
        logger.error(
            "Unhandled error in API operation %s",
            match.url_name if match else "?",
            exc_info=exc,
        )
        signals.got_request_exception.send(sender=None, request=request)
        return respond(
            request,
            500,
            error_codes.SERVER_ERROR,
            gettext("Something went wrong on our side. It has been logged; try again later."),
        )


def not_found(request, respond) -> HttpResponse:
    return respond(
        request, 404, error_codes.NOT_FOUND, gettext("This was not found, or it is not yours.")
    )


def forbidden(request, respond) -> HttpResponse:
    return respond(
        request,
        403,
        error_codes.FORBIDDEN,
        gettext("Your role in this organization does not allow this action."),
    )


# --- Validation errors ----------------------------------------------------------------------

# Errors that mean "the body as a whole is not what was asked for", not "a field is wrong".
_BODY_SHAPE_ERRORS = {"model_attributes_type", "dict_type", "model_type", "missing", "json_type"}
_QUOTED = re.compile(r"'([^']*)'")


def validation_error_response(request, exc: ValidationError, respond) -> HttpResponse:
    errors = exc.errors
    # A path parameter that does not parse (e.g. /members/abc) names nothing that exists.
    if any(error["loc"][:1] == ("path",) for error in errors):
        return not_found(request, respond)
    for error in errors:
        loc = tuple(error["loc"])
        if loc[0] == "body" and len(loc) <= 2 and error["type"] in _BODY_SHAPE_ERRORS:
            return respond(
                request,
                400,
                error_codes.MALFORMED_BODY,
                gettext("The request body must be a JSON object."),
            )
    fields: dict[str, list[str]] = {}
    for error in errors:
        fields.setdefault(field_name(error["loc"]), []).append(field_message(error))
    return respond(
        request,
        422,
        error_codes.INVALID_INPUT,
        ngettext(
            "One field is not valid: %(fields)s.",
            "Some fields are not valid: %(fields)s.",
            len(fields),
        )
        % {"fields": ", ".join(sorted(fields))},
        fields,
    )


def field_name(loc) -> str:
    """("body", "payload", "email") -> "email"; ("query", "page") -> "page"."""
    loc = list(loc)
    source = loc.pop(0) if loc else ""
    if source == "body" and loc:
        loc.pop(0)  # the name of the view's body parameter
    return ".".join(str(part) for part in loc) or error_codes.NON_FIELD


def field_message(error: dict) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if kind == "value_error":
        # Our validators raise ValueError with a message already translated (see fields.py).
        return str(ctx.get("error", "")) or gettext("Enter a valid value.")
    if kind == "missing":
        return gettext("This field is required.")
    if kind == "extra_forbidden":
        return gettext("This field is not accepted here.")
    if kind in {"string_type", "string_unicode"}:
        return gettext("Enter text.")
    if kind == "string_too_short":
        return gettext("This field is required.")
    if kind == "string_too_long":
        count = int(ctx.get("max_length", 0))
        return ngettext(
            "Use at most %(count)d character.", "Use at most %(count)d characters.", count
        ) % {"count": count}
    if kind in {"int_parsing", "int_type", "int_from_float"}:
        return gettext("Enter a whole number.")
    if kind in {"bool_parsing", "bool_type"}:
        return gettext("Enter true or false.")
    if kind in {"greater_than_equal", "greater_than"}:
        limit = ctx.get("ge", ctx.get("gt"))
        return gettext("Ensure this value is greater than or equal to %(limit_value)s.") % {
            "limit_value": limit
        }
    if kind in {"less_than_equal", "less_than"}:
        limit = ctx.get("le", ctx.get("lt"))
        return gettext("Ensure this value is less than or equal to %(limit_value)s.") % {
            "limit_value": limit
        }
    if kind in {"enum", "literal_error"}:
        choices = ", ".join(_QUOTED.findall(str(ctx.get("expected", ""))))
        return gettext("Choose one of: %(choices)s.") % {"choices": choices}
    if kind in {"datetime_parsing", "datetime_type", "datetime_from_date_parsing"}:
        return gettext("Enter a valid date/time.")
    return gettext("Enter a valid value.")
