"""The demo data (`manage.py seed_demo`) and its logins (`manage.py demo_logins`).

Core may not import the apps above it (import-linter), so models come from the app registry.
"""

from __future__ import annotations

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from ataa.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, logins
from ataa.core.models import AuditEvent, OutboxMessage

pytestmark = pytest.mark.django_db

User = get_user_model()


def organization_model():
    return apps.get_model("organizations", "Organization")


def membership_model():
    return apps.get_model("organizations", "Membership")


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    """Rows of every Ataa model (and allauth's email addresses): demo data of later apps too."""
    models = [m for m in apps.get_models() if m.__module__.startswith("ataa.")]
    models.append(EmailAddress)
    return {model._meta.label: model.objects.count() for model in models}


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Login rate limits live in the cache; failed logins of other tests must not lock us out.
    cache.clear()
    yield
    cache.clear()


def test_seeding_twice_adds_nothing_the_second_time():
    first_output = seed()
    after_first = counts()
    second_output = seed()

    assert counts() == after_first
    assert "created" in first_output
    assert "nothing added" in second_output
    assert after_first["accounts.User"] >= len(logins())


def test_every_demo_login_signs_in_through_the_login_page():
    seed()
    demo_logins = logins()
    assert {login.email for login in demo_logins} <= set(
        User.objects.values_list("email", flat=True)
    )
    for login in demo_logins:
        assert login.email.endswith("@" + DEMO_EMAIL_DOMAIN)
        client = Client()
        response = client.post(
            reverse("account_login"), {"login": login.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, login.email
        user = User.objects.get(email=login.email)
        assert client.session["_auth_user_id"] == str(user.pk), login.email
        assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()


def test_a_wrong_password_does_not_sign_in():
    seed()
    client = Client()
    response = client.post(
        reverse("account_login"),
        {"login": logins()[0].email, "password": DEMO_PASSWORD + "-wrong"},
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_twenty_active_organizations_across_the_gulf_and_one_awaiting_approval():
    seed()
    Organization = organization_model()

    active = Organization.objects.filter(status="active")
    assert active.count() == 20
    cities = set(active.values_list("city__code", flat=True))
    assert {"jeddah", "riyadh", "dubai", "doha", "manama", "kuwait-city", "muscat"} <= cities
    assert len(cities) >= 15
    assert all(organization.is_verified for organization in active)
    assert set(active.values_list("kind", flat=True)) == {
        "charity",
        "government",
        "company",
        "volunteer_team",
    }

    pending = Organization.objects.get(status="pending")
    assert not pending.is_verified
    assert pending.created_by.email == f"applicant@{DEMO_EMAIL_DOMAIN}"


def test_the_platform_admin_is_a_platform_admin_and_sees_the_approval_queue():
    seed()
    admin = User.objects.get(email=f"platform-admin@{DEMO_EMAIL_DOMAIN}")
    assert admin.is_platform_admin
    assert not admin.memberships.exists()

    client = Client()
    client.force_login(admin)
    response = client.get(reverse("platform_organization_list"))
    assert response.status_code == 200
    pending = organization_model().objects.get(status="pending")
    assert pending.name_ar in response.content.decode()


def test_every_organization_role_is_in_the_jeddah_charity_and_one_person_has_two():
    seed()
    Membership = membership_model()
    jeddah = organization_model().objects.get(city__code="jeddah")

    roles = dict(Membership.objects.filter(organization=jeddah).values_list("user__email", "role"))
    assert roles == {
        f"org-admin@{DEMO_EMAIL_DOMAIN}": "admin",
        f"coordinator@{DEMO_EMAIL_DOMAIN}": "coordinator",
        f"case-worker@{DEMO_EMAIL_DOMAIN}": "case_worker",
        f"auditor@{DEMO_EMAIL_DOMAIN}": "auditor",
    }
    coordinator = User.objects.get(email=f"coordinator@{DEMO_EMAIL_DOMAIN}")
    assert coordinator.memberships.count() == 2
    for local_part in ("volunteer", "donor"):
        assert not Membership.objects.filter(user__email=f"{local_part}@{DEMO_EMAIL_DOMAIN}")


def test_the_demo_is_written_through_the_services_and_sends_no_mail():
    seed()
    verbs = list(AuditEvent.objects.values_list("verb", flat=True))
    assert verbs.count("organization.registered") == 21
    assert verbs.count("organization.approved") == 20
    # Every member but the 21 registering admins joined through an invitation.
    assert verbs.count("invitation.accepted") == membership_model().objects.count() - 21
    # Decision emails are queued for the worker, never sent while seeding.
    assert OutboxMessage.objects.filter(task_name="organizations.send_decision_email").count() == 20
    assert mail.outbox == []


@override_settings(PRODUCTION=True)
def test_seeding_is_refused_in_production_and_changes_nothing():
    before = counts()
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert counts() == before


def test_demo_logins_prints_the_address_and_every_login():
    seed()
    out = StringIO()
    call_command("demo_logins", stdout=out, no_color=True)
    output = out.getvalue()

    assert "http://127.0.0.1:8000" in output
    assert DEMO_PASSWORD in output
    for login in logins():
        assert login.email in output
    assert "seed_demo" not in output  # every login exists
