"""Browser tests: one shared headless Chromium (Debian's), one context per test, pytest-django's
live_server (transactional database), a fast sign-in, axe-core and screenshots.

Chromium comes from the OS (`make test` installs the `chromium` package); Playwright's own browser
download is not used. The checks themselves are in helpers.py and axe.py.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import sync_playwright

from tests.browser.helpers import DESKTOP, login

CHROMIUM = os.environ.get("ATAA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # No internet here: without these Chromium's own background connections are refused.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser(django_db_setup, live_server):
    # The test database and the live server exist before Playwright starts.

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package.")
    # Playwright's sync API keeps an asyncio event loop on this thread from here on; Django would
    # then refuse the ORM calls the tests (and pytest-django's database flush) make on it. The
    # live server answers from its own thread and is not affected.
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # Django's connections are context-local: once Playwright's loop runs, the tests get new
    # connection objects, without the snapshot of the seeded data that serialized rollback
    # restores after each flush (root conftest). Hand the snapshot over to them.
    snapshot = {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }
    playwright = sync_playwright().start()
    for alias, contents in snapshot.items():
        connections[alias]._test_serialized_contents = contents
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def context(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="ar-SA", timezone_id="Asia/Riyadh"
    )
    context.set_default_timeout(10_000)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def sign_in(context, live_server):
    """`sign_in(user)`: the test's browser context is signed in as `user`."""
    return lambda user: login(context, user, live_server.url)


@pytest.fixture
def world(
    organization,
    other_organization,
    org_admin,
    coordinator,
    case_worker,
    auditor,
    outsider,
    platform_admin,
    stranger,
    password,
):
    """The personas, plus what makes their pages full: a pending registration, open invitations
    (one to `stranger`), an API token, audit events, and an admin of two organizations (so the
    header's organization switcher shows)."""
    from ataa.accounts import services as account_services
    from ataa.accounts.models import User
    from ataa.core.models import City
    from ataa.organizations import services as org_services
    from ataa.organizations.models import Membership, Organization, Role

    Membership.objects.create(user=org_admin, organization=other_organization, role=Role.AUDITOR)
    applicant = User.objects.create_user(
        email="applicant@amal.example", password="x-" * 10, full_name="هند الحربي"
    )
    pending = org_services.organization_register(
        user=applicant,
        name_ar="جمعية الأمل بمكة",
        name_en="Al-Amal Society Makkah",
        kind=Organization.Kind.CHARITY,
        city=City.objects.get(code="makkah"),
        registration_number="MK-2041",
        ip_address="127.0.0.1",
    )
    invitation = org_services.invitation_create(
        organization=organization,
        email=stranger.email,
        role=Role.COORDINATOR,
        invited_by=org_admin,
        ip_address="127.0.0.1",
    )
    org_services.invitation_create(
        organization=organization,
        email="new.volunteer@example.com",
        role=Role.CASE_WORKER,
        invited_by=org_admin,
        ip_address="127.0.0.1",
    )
    account_services.token_create(user=org_admin, name="تكامل نظام المحاسبة", expires_in_days=90)
    return {
        "organization": organization,
        "other_organization": other_organization,
        "pending": pending,
        "invitation": invitation,
        "invitation_token": org_services.invitation_token(invitation),
        "org_admin": org_admin,
        "coordinator": coordinator,
        "case_worker": case_worker,
        "auditor": auditor,
        "outsider": outsider,
        "platform_admin": platform_admin,
        "stranger": stranger,
        "applicant": applicant,
        "password": password,
    }
