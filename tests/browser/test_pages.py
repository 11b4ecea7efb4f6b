"""Every page, as the persona who uses it, in Arabic (the default) and then in English through the
header's language switch: lang/dir, landmarks, axe (serious/critical fail), screenshots, no
sideways scrolling at 360 px, skip link and visible focus by keyboard."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, switch_language

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Case:
    name: str
    persona: str | None  # a key of the `world` fixture; None: not signed in
    path: Callable[[dict], str]
    status: int = 200
    steps: Callable | None = None  # what the person does before the page under test shows

    def __str__(self):
        return self.name


def org(suffix: str = "") -> Callable[[dict], str]:
    return lambda w: f"/orgs/{w['organization'].pk}/{suffix}"


CASES = [
    Case("home-anonymous", None, lambda w: "/"),
    Case("home-signed-in", "org_admin", lambda w: "/"),
    Case("login", None, lambda w: "/accounts/login/"),
    Case("signup", None, lambda w: "/accounts/signup/"),
    Case("password-reset", None, lambda w: "/accounts/password/reset/"),
    Case("account-settings", "org_admin", lambda w: "/account/settings/"),
    Case("account-email", "org_admin", lambda w: "/accounts/email/"),
    Case("password-change", "org_admin", lambda w: "/accounts/password/change/"),
    Case("api-tokens", "org_admin", lambda w: "/account/tokens/"),
    Case("account-notifications", "org_admin", lambda w: "/account/notifications/"),
    Case("two-factor", "org_admin", lambda w: "/accounts/2fa/"),
    Case("reauthenticate", "org_admin", lambda w: "/accounts/2fa/totp/activate/"),
    Case(
        "two-factor-activate",
        "org_admin",
        lambda w: "/accounts/2fa/totp/activate/",
        steps=lambda page, w: reauthenticate(page, w["password"]),
    ),
    Case("my-organizations", "org_admin", lambda w: "/orgs/"),
    Case("my-organizations-none", "stranger", lambda w: "/orgs/"),
    Case("organization-register", "stranger", lambda w: "/orgs/new/"),
    Case("organization-dashboard", "org_admin", org()),
    Case("organization-dashboard-pending", "applicant", lambda w: f"/orgs/{w['pending'].pk}/"),
    Case("members-admin", "org_admin", org("members/")),
    Case("members-coordinator", "coordinator", org("members/")),
    Case("organization-settings", "org_admin", org("settings/")),
    Case("organization-audit-log", "auditor", org("audit/")),
    Case("invitation-accept", "stranger", lambda w: f"/invitations/{w['invitation_token']}/"),
    Case(
        "invitation-accept-anonymous",
        None,
        lambda w: f"/invitations/{w['invitation_token']}/",
    ),
    Case("platform-approvals", "platform_admin", lambda w: "/platform/organizations/"),
    Case("platform-audit-log", "platform_admin", lambda w: "/platform/audit/"),
    Case("not-found", None, lambda w: "/no-such-page/", status=404),
    Case("not-found-signed-in", "outsider", org(), status=404),
]


def reauthenticate(page, password):
    """allauth asks for the password again before two-factor set-up (the sign-in was forced)."""
    page.locator('input[name="password"]').fill(password)
    page.locator('form button[type="submit"]').last.click()
    expect(page.locator('input[name="code"]')).to_be_visible()


@pytest.mark.parametrize("case", CASES, ids=str)
def test_page_in_arabic_then_english(case, world, page, sign_in):
    if case.persona:
        sign_in(world[case.persona])
    response = page.goto(case.path(world))
    assert response.status == case.status, f"{case.name}: HTTP {response.status} at {page.url}"
    if case.steps:
        case.steps(page, world)
    check_page(page, case.name, "ar")

    switch_language(page, "en")
    check_page(page, case.name, "en")
