"""Helpers for the API tests: a client that calls /api/v1 with a persona's API token."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from ataa.accounts.services import token_create

API = "/api/v1"


class ApiClient:
    """Calls the API as one person, with a personal access token (no session, no CSRF)."""

    def __init__(self, user=None, *, raw_token: str | None = None, **headers):
        self.client = Client(enforce_csrf_checks=True)
        self.headers = dict(headers)
        if user is not None and raw_token is None:
            _token, raw_token = token_create(user=user, name="tests")
        if raw_token is not None:
            self.headers["Authorization"] = f"Bearer {raw_token}"

    def request(self, method: str, path: str, body=None, *, raw: str | None = None, **params):
        url = path if path.startswith("/") else f"{API}/{path}"
        if params:
            from urllib.parse import urlencode

            url += "?" + urlencode(params)
        data = raw if raw is not None else (json.dumps(body) if body is not None else "")
        return self.client.generic(
            method, url, data=data, content_type="application/json", headers=self.headers
        )

    def get(self, path, **params):
        return self.request("GET", path, **params)

    def post(self, path, body=None, **kwargs):
        return self.request("POST", path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.request("PATCH", path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


def error_of(response) -> dict:
    """The `error` object of an error response, after checking the shape is exactly ours."""
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert set(error) == {"code", "message", "fields"}, error
    assert isinstance(error["code"], str) and error["code"]
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)
    for name, messages in error["fields"].items():
        assert isinstance(name, str)
        assert messages and all(isinstance(text, str) and text for text in messages)
    return error


@pytest.fixture
def api_as():
    """api_as(user) -> an ApiClient authenticated with a fresh token of that user."""
    return ApiClient


@pytest.fixture
def anonymous_api(db):
    return ApiClient()


# Operations anyone may call without signing in (auth=None), with the reason.
PUBLIC_OPERATIONS = {
    "skill_taxonomy": "the public skills taxonomy",
    "city_list": "public cities and districts",
    "opportunity_public_list": "published, public opportunities",
    "opportunity_public_get": "one opportunity, by its visibility rules",
    "certificate_verify": "a certificate's status and signed facts, by its code",
}
