"""The 500 page: rendered by Django without a request or context, still Ataa's, in both
languages, accessible. (The 404 page is among test_pages' cases.)"""

from __future__ import annotations

import logging

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from tests.browser.axe import axe_check
from tests.browser.helpers import (
    assert_fits_phone,
    assert_language,
    assert_skip_link,
    screenshot,
)

pytestmark = pytest.mark.browser


@pytest.fixture
def failing_page(settings, caplog):
    settings.ROOT_URLCONF = "tests.browser.urls"
    caplog.set_level(logging.CRITICAL, logger="django.request")  # the failure is on purpose
    return "/__browser-tests__/fail/"


@pytest.mark.parametrize("language", ["ar", "en"])
def test_server_error_page(language, failing_page, context, page, live_server):
    if language == "en":
        context.add_cookies(
            [{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url}]
        )
    response = page.goto(failing_page)
    assert response.status == 500
    assert_language(page, language)
    expect(page.locator("main#main h1")).to_have_count(1)
    axe_check(page, f"the 500 page ({language})")
    screenshot(page, f"server-error-{language}")
    assert_fits_phone(page, f"server-error-{language}")
    assert_skip_link(page, f"the 500 page ({language})")
