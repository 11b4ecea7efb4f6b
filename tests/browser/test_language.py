"""Arabic by default; English by the switch, remembered (cookie, and on the account)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import assert_language, login, switch_language

pytestmark = pytest.mark.browser


def test_arabic_by_default_even_for_an_english_browser(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    try:
        page = context.new_page()
        page.goto("/")
        assert_language(page, "ar")
    finally:
        context.close()


def test_english_is_remembered_for_a_visitor(page):
    page.goto("/accounts/login/")
    assert_language(page, "ar")
    switch_language(page, "en")
    assert page.url.endswith("/accounts/login/")
    page.reload()
    assert_language(page, "en")
    page.goto("/")
    assert_language(page, "en")
    switch_language(page, "ar")
    page.reload()
    assert_language(page, "ar")


def test_english_is_saved_on_the_account(world, page, sign_in, browser, live_server):
    user = world["coordinator"]
    sign_in(user)
    page.goto("/orgs/")
    assert_language(page, "ar")
    switch_language(page, "en")
    page.reload()
    assert_language(page, "en")
    user.refresh_from_db()
    assert user.preferred_language == "en"

    # Another browser, no language cookie: the account's choice wins.
    other = browser.new_context(base_url=live_server.url)
    try:
        login(other, user, live_server.url)
        other_page = other.new_page()
        other_page.goto("/")
        assert_language(other_page, "en")
    finally:
        other.close()
