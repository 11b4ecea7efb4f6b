"""Who is calling: a personal access token (integrations) or the browser session (with CSRF).

Both are on for every operation. A request that carries an Authorization header is judged by its
token alone, so a bad token answers 401 even from a browser that is signed in.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from ataa.accounts.services import token_authenticate
from ataa.api.v1.errors import CsrfFailed


def _use_language_of(request: HttpRequest, user) -> None:
    """API messages speak the caller's chosen language (the middleware could not know it yet)."""
    language = getattr(user, "preferred_language", None)
    if language in dict(settings.LANGUAGES):
        translation.activate(language)
        request.LANGUAGE_CODE = language


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ataa_…` (a personal access token made on the account page)."""

    def __call__(self, request: HttpRequest):
        # Ninja's HttpBearer logs unexpected headers in DEBUG; a header may hold a secret, so
        # this reads it without logging anything.
        scheme, _space, raw = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            return None
        return self.authenticate(request, raw.strip())

    def authenticate(self, request: HttpRequest, token: str):
        user = token_authenticate(token)
        if user is not None:
            _use_language_of(request, user)
        return user


class SessionAuth(APIKeyCookie):
    """The signed-in browser; unsafe methods need the CSRF token, as on the HTML pages."""

    param_name = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)  # `csrf` also makes the docs page send the CSRF token

    def _get_key(self, request: HttpRequest):
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key):
        if "Authorization" in request.headers:
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if check_csrf(request) is not None:
            raise CsrfFailed
        _use_language_of(request, user)
        return user
