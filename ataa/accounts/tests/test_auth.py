import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import override_settings

from ataa.accounts.models import User
from config.settings import base

pytestmark = pytest.mark.django_db


def login(client, email, password):
    return client.post("/accounts/login/", {"login": email, "password": password})


def test_signup_needs_email_verification_before_login(client):
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "عبدالله الغامدي",
            "email": "abdullah@example.com",
            "password1": "a-long-passphrase-2026",
            "password2": "a-long-passphrase-2026",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="abdullah@example.com")
    assert user.full_name == "عبدالله الغامدي"
    assert user.preferred_language == "ar"
    assert "_auth_user_id" not in client.session
    assert not EmailAddress.objects.get(user=user).verified
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    client.post(link.split("testserver", 1)[-1])
    assert EmailAddress.objects.get(user=user).verified
    assert login(client, "abdullah@example.com", "a-long-passphrase-2026").status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_with_mismatched_passwords_creates_nobody(client):
    response = client.post(
        "/accounts/signup/",
        {
            "full_name": "X",
            "email": "x@example.com",
            "password1": "a-long-pass-1",
            "password2": "other-pass-2",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not User.objects.filter(email="x@example.com").exists()


def test_five_failed_logins_lock_the_account_out(client, coordinator, password):
    client.cookies["ataa_language"] = "en"
    for _ in range(5):
        assert login(client, coordinator.email, "wrong-password").status_code == 200
    response = login(client, coordinator.email, password)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Too many failed login attempts. Try again later."
    ]
    assert "_auth_user_id" not in client.session
    # Another account is not locked by someone else's failures.
    other = User.objects.create_user(email="other@example.com", password=password)
    EmailAddress.objects.create(user=other, email=other.email, verified=True, primary=True)
    assert login(client, other.email, password).status_code == 302


def test_a_correct_login_within_the_limit_works(client, coordinator, password):
    for _ in range(4):
        login(client, coordinator.email, "wrong-password")
    assert login(client, coordinator.email, password).status_code == 302


def test_passwords_are_hashed_with_argon2_outside_tests():
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        assert make_password("secret").startswith("argon2")


def test_sessions_expire_after_an_idle_hour_counted_from_the_last_request(client, coordinator):
    assert settings.SESSION_COOKIE_AGE == 3600
    client.force_login(coordinator)
    for _ in range(2):
        response = client.get("/orgs/")
        assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 3600


def test_logout_needs_post_and_ends_the_session(client, coordinator):
    client.force_login(coordinator)
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session
