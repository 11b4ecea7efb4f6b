"""A form sent back with errors: every error is tied to its labelled field, the page still
passes axe, in both languages."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import axe_check
from tests.browser.helpers import assert_references_resolve, screenshot, switch_language

pytestmark = pytest.mark.browser

ERRORS = """() => Array.from(
    document.querySelectorAll('main form [aria-invalid="true"]')).map((el) => {
  const labels = Array.from(el.labels || []).map((l) => l.innerText.trim()).filter(Boolean);
  const described = (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)
    .map((id) => document.getElementById(id)).filter(Boolean);
  return {
    name: el.name,
    labels,
    errors: described.filter((d) => d.classList.contains('errorlist'))
      .map((d) => d.innerText.trim()).filter(Boolean),
  };
})"""

FORMS = {
    # name: (persona, path, submit button's form selector, fields that must be reported)
    "organization-register": (
        "stranger",
        lambda w: "/orgs/new/",
        "main form.stack-form",
        {"name_ar", "name_en", "city"},
    ),
    "invite-member": (
        "org_admin",
        lambda w: f"/orgs/{w['organization'].pk}/members/",
        "main form.stack-form",
        {"email"},
    ),
    "api-token": ("org_admin", lambda w: "/account/tokens/", "main form.stack-form", {"name"}),
    "organization-settings": (
        "org_admin",
        lambda w: f"/orgs/{w['organization'].pk}/settings/",
        "main form.stack-form",
        # The city is a list that keeps the organization's city; the text fields are emptied.
        {"name_ar", "name_en"},
    ),
}


def submit_empty(page, form_selector: str) -> None:
    form = page.locator(form_selector)
    for field in form.locator('input[type="text"], input[type="email"], textarea').all():
        field.fill("")
    form.locator('button[type="submit"]').click()
    expect(page.locator("main .alert.error")).to_be_visible()


@pytest.mark.parametrize("name", FORMS)
def test_empty_form_shows_labelled_errors(name, world, page, sign_in):
    persona, path, form_selector, required = FORMS[name]
    sign_in(world[persona])
    page.goto(path(world))
    for language in ("ar", "en"):
        if language == "en":
            switch_language(page, "en")
        submit_empty(page, form_selector)
        expect(page.locator("main .alert.error")).to_have_attribute("role", "alert")
        errors = {error["name"]: error for error in page.evaluate(ERRORS)}
        assert required <= set(errors), f"{name} ({language}): fields in error {sorted(errors)}"
        for field, error in errors.items():
            assert error["labels"], f"{name} ({language}): {field} has no label"
            assert error["errors"], f"{name} ({language}): {field}'s error is not tied to it"
        assert_references_resolve(page, f"{name} with errors ({language})")
        axe_check(page, f"{name} with errors ({language})")
        screenshot(page, f"form-{name}-errors-{language}")


def test_wrong_password_is_announced(world, page):
    page.goto("/accounts/login/")
    for language in ("ar", "en"):
        if language == "en":
            switch_language(page, "en")
        page.locator('input[name="login"]').fill(world["org_admin"].email)
        page.locator('input[name="password"]').fill("not-the-password")
        page.locator('main form button[type="submit"]').click()
        alert = page.locator('main [role="alert"]')
        expect(alert).to_be_visible()
        expect(alert).not_to_be_empty()
        axe_check(page, f"login with a wrong password ({language})")
        screenshot(page, f"form-login-error-{language}")
