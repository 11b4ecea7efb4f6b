"""Keyboard alone: sign in, and every control on a busy page shows where the focus is."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_focus_visible, focus_state, switch_language

pytestmark = pytest.mark.browser

CONTROLS = "a[href], button, input:not([type=hidden]), select, textarea"


def tab_to(page, selector: str, *, limit: int = 40) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            assert_focus_visible(focus_state(page), selector)
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector}")


def test_sign_in_with_the_keyboard_alone(world, page):
    page.goto("/")
    tab_to(page, 'header a[href="/accounts/login/"]')
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))
    tab_to(page, 'input[name="login"]')
    page.keyboard.type(world["org_admin"].email)
    page.keyboard.press("Tab")
    expect(page.locator('input[name="password"]')).to_be_focused()
    page.keyboard.type(world["password"])
    page.keyboard.press("Enter")
    expect(page.locator("header form button.link-button").first).to_be_visible()
    expect(page.locator("main h1")).not_to_have_text("")
    assert page.url.rstrip("/") == page.evaluate("location.origin"), page.url


def test_switch_language_with_the_keyboard(page):
    page.goto("/")
    tab_to(page, 'form.language-switch button[value="en"]')
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    tab_to(page, 'form.language-switch button[value="ar"]')
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_control_shows_focus(language, world, page, sign_in):
    """Tab through the whole members page (links, selects, buttons, inputs): each focused
    element has a visible outline, and focus never gets stuck."""
    sign_in(world["org_admin"])
    page.goto(f"/orgs/{world['organization'].pk}/members/")
    if language == "en":
        switch_language(page, "en")
    count = page.evaluate(f"document.querySelectorAll('{CONTROLS}').length")
    reached = []
    for _ in range(count):
        page.keyboard.press("Tab")
        state = focus_state(page)
        assert state["tag"] != "body", f"focus lost after {reached[-3:]}"
        assert_focus_visible(state, f"{state['tag']} '{state['text']}' ({language})")
        reached.append(
            page.evaluate(
                f"Array.from(document.querySelectorAll('{CONTROLS}'))"
                ".indexOf(document.activeElement)"
            )
        )
    assert sorted(reached) == list(range(count)), f"{count} controls, reached {reached}"
