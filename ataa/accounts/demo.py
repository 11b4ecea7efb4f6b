"""Demo people who belong to no organization: the platform admin, a volunteer, a donor.

`demo_user` is also how the demo modules of later apps create their people (organizations, …),
so every demo login has a verified primary email address and the one demo password.
"""

from __future__ import annotations

from functools import cache

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_lazy as _

from ataa.accounts.models import Language, User
from ataa.core.demo import DEMO_PASSWORD, demo_email, demo_login, demo_seeder

PLATFORM_ADMIN_EMAIL = demo_email("platform-admin")
VOLUNTEER_EMAIL = demo_email("volunteer")
DONOR_EMAIL = demo_email("donor")

demo_login(
    order=10,
    role=_("Platform admin"),
    email=PLATFORM_ADMIN_EMAIL,
    note=_("Approves new organizations; one is waiting."),
)
demo_login(
    order=60,
    role=_("Volunteer"),
    email=VOLUNTEER_EMAIL,
    note=_("No organization yet."),
)
demo_login(order=70, role=_("Donor"), email=DONOR_EMAIL, note=_("No organization yet."))


@cache
def demo_password_hash() -> str:
    """The demo password, hashed once per process: Argon2 is slow on purpose, and every demo
    person has the same password (each hash with its own salt would cost a second per ten)."""
    return make_password(DEMO_PASSWORD)


def demo_user(
    *,
    email: str,
    full_name: str,
    preferred_language: str = Language.ARABIC,
    is_platform_admin: bool = False,
) -> tuple[User, bool]:
    """The demo user with this email, created with the demo password if missing.

    An existing user is left as it is (a changed name or password stays); only a missing verified
    email address is added, so the login works without a confirmation email. Two-factor
    authentication is not set up for anyone.
    """
    user = User.objects.filter(email=email).first()
    created = user is None
    if created:
        user = User.objects.create_user(
            email=email,
            password=None,
            full_name=full_name,
            preferred_language=preferred_language,
            is_platform_admin=is_platform_admin,
            # The demo's platform admin may also open Django's admin site (/admin/).
            is_staff=is_platform_admin,
            is_superuser=is_platform_admin,
        )
        User.objects.filter(pk=user.pk).update(password=demo_password_hash())
        user.password = demo_password_hash()
    if not EmailAddress.objects.filter(user=user, email__iexact=email).exists():
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user, created


@demo_seeder(order=10)
def seed_people_without_organization() -> int:
    people = [
        dict(
            email=PLATFORM_ADMIN_EMAIL,
            full_name="عبدالرحمن صالح الغامدي",
            is_platform_admin=True,
        ),
        dict(email=VOLUNTEER_EMAIL, full_name="ريم خالد الدوسري"),
        dict(email=DONOR_EMAIL, full_name="محمد عبدالعزيز السبيعي"),
    ]
    return sum(demo_user(**person)[1] for person in people)
