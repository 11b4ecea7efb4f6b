"""Named personas every test suite uses (DESIGN.md §4.13).

- `org_admin`, `coordinator`, `case_worker`, `auditor`: members of `organization` (Jeddah);
- `outsider`: admin of `other_organization` (Riyadh), a member of nothing in `organization`;
- `platform_admin`: approves organizations, member of none;
- `stranger`: signed-up user with no organization.
"""

from __future__ import annotations

import pytest

from ataa.accounts.models import User
from ataa.organizations.models import Membership, Organization, Role

PASSWORD = "correct-horse-battery-staple-42"

# Input every form and endpoint must answer with a clear error, never a 500 or a write.
NASTY_VALUES = [
    "",
    " ",
    "x" * 10_000,
    "<script>alert(1)</script>",
    "\x00null\x00",
    "١٢٣ ' OR 1=1 --",
    "🙂" * 50,
]


def table_state(*models) -> list:
    """Every row of these models: equal before and after means a refused action changed nothing."""
    return [list(model.objects.order_by("pk").values()) for model in models]


def make_user(email: str, full_name: str, **extra) -> User:
    user = User.objects.create_user(email=email, password=PASSWORD, full_name=full_name, **extra)
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def make_organization(name_ar: str, name_en: str, city: str, **extra) -> Organization:
    extra.setdefault("status", Organization.Status.ACTIVE)
    extra.setdefault("is_verified", True)
    from ataa.core.models import City

    return Organization.objects.create(
        name_ar=name_ar, name_en=name_en, city=City.objects.get(name_en=city), **extra
    )


def add_member(user: User, organization: Organization, role: str) -> Membership:
    return Membership.objects.create(user=user, organization=organization, role=role)


@pytest.fixture
def scoped_object_ids(organization, org_admin, coordinator):
    """Ids of one object of each scoped kind in `organization`, by the URL kwarg that names it."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from ataa.accounts.services import token_create
    from ataa.core.models import City
    from ataa.opportunities.questions import question_create
    from ataa.opportunities.services import (
        application_submit,
        opportunity_create,
        opportunity_publish,
        shift_create,
    )
    from ataa.organizations.services import invitation_create
    from ataa.volunteers.models import QualificationKind
    from ataa.volunteers.services import qualification_add, volunteer_profile_save

    invitation = invitation_create(
        organization=organization,
        email="invitee@example.com",
        role=Role.AUDITOR,
        invited_by=org_admin,
    )
    token, _raw = token_create(user=org_admin, name="integration")
    volunteer_profile_save(
        user=coordinator,
        full_name_ar="خالد الزهراني",
        gender="male",
        date_of_birth=dt.date(1990, 1, 1),
        phone="+966550000000",
        city=City.objects.get(code="jeddah"),
        languages=["ar"],
        consents={"profile_processing"},
    )
    qualification = qualification_add(
        user=coordinator,
        kind=QualificationKind.objects.get(code="sign-language-certificate"),
        proof=SimpleUploadedFile("proof.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    # A draft: its public pages answer 404 to everyone, like a foreign organization's objects.
    opportunity = opportunity_create(
        organization=organization,
        created_by=coordinator,
        title_ar="فرصة",
        title_en="Opportunity",
        city=City.objects.get(code="jeddah"),
    )
    shift = shift_create(
        opportunity=opportunity,
        created_by=coordinator,
        starts_at=dt.datetime(2026, 3, 5, 13, tzinfo=dt.UTC),
        ends_at=dt.datetime(2026, 3, 5, 16, tzinfo=dt.UTC),
        capacity=2,
    )
    question = question_create(opportunity=opportunity, actor=coordinator, text_ar="سؤال")
    # An application of the coordinator (who has a volunteer profile) to a published opportunity.
    open_opportunity = opportunity_publish(
        opportunity=opportunity_create(
            organization=organization,
            created_by=coordinator,
            title_ar="فرصة مفتوحة",
            title_en="Open opportunity",
            city=City.objects.get(code="jeddah"),
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2026, 3, 31),
        ),
        actor=coordinator,
    )
    application = application_submit(
        volunteer=coordinator, opportunity=open_opportunity, answers={}
    )
    # An attendance (by hand) of the coordinator at a shift of another published opportunity,
    # with the hour entry its check-out wrote.
    from ataa.hours.services import manual_check_in, manual_check_out
    from ataa.opportunities.services import application_accept

    site = opportunity_publish(
        opportunity=opportunity_create(
            organization=organization,
            created_by=coordinator,
            title_ar="فرصة بورديات",
            title_en="Opportunity with shifts",
            city=City.objects.get(code="jeddah"),
            starts_on=dt.date(2026, 3, 1),
            ends_on=dt.date(2026, 3, 31),
        ),
        actor=coordinator,
    )
    site_start = dt.datetime(2026, 3, 6, 13, tzinfo=dt.UTC)
    site_shift = shift_create(
        opportunity=site,
        created_by=coordinator,
        starts_at=site_start,
        ends_at=site_start + dt.timedelta(hours=3),
        capacity=2,
    )
    placed = application_accept(
        application=application_submit(
            volunteer=coordinator, opportunity=site, shift=site_shift, answers={}
        ),
        decided_by=org_admin,
    )

    def later(minutes):
        return site_start + dt.timedelta(minutes=minutes)

    attendance = manual_check_in(
        actor=coordinator, application=placed, at=later(10), reason="r", now=later(20)
    )
    manual_check_out(
        actor=coordinator, attendance=attendance, at=later(60), reason="r", now=later(70)
    )
    # A certificate of those hours, once approved.
    from ataa.certificates.services import issue_hours_certificate
    from ataa.hours.services import approve_hours

    approve_hours(
        actor=org_admin,
        organization_id=organization.pk,
        entry_ids=[attendance.hour_entries.get().pk],
    )
    certificate = issue_hours_certificate(
        actor=coordinator, volunteer=coordinator, opportunity=site
    )
    return {
        "application_id": application.pk,
        "opportunity_id": opportunity.pk,
        "shift_id": shift.pk,
        "question_id": question.pk,
        "qualification_id": qualification.pk,
        "organization_id": organization.pk,
        "membership_id": Membership.objects.get(user=coordinator, organization=organization).pk,
        "invitation_id": invitation.pk,
        "token_id": token.pk,
        "attendance_id": attendance.pk,
        "entry_id": attendance.hour_entries.get().pk,
        "certificate_id": certificate.pk,
    }


@pytest.fixture
def volunteer(db):
    return make_user("volunteer@example.com", "ليلى الحربي")


@pytest.fixture
def other_volunteer(db):
    return make_user("other.volunteer@example.com", "عمر السالم")


@pytest.fixture
def profile(volunteer):
    """The volunteer's complete profile (an adult in Jeddah)."""
    from ataa.volunteers import services
    from ataa.volunteers.tests.conftest import profile_values

    return services.volunteer_profile_save(user=volunteer, **profile_values())


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def organization(db):
    return make_organization("جمعية البر بجدة", "Al-Birr Society Jeddah", "Jeddah")


@pytest.fixture
def other_organization(db):
    return make_organization("جمعية إنسان بالرياض", "Insan Society Riyadh", "Riyadh")


@pytest.fixture
def org_admin(organization):
    user = make_user("admin@birr.example", "سارة العتيبي")
    add_member(user, organization, Role.ADMIN)
    return user


@pytest.fixture
def coordinator(organization):
    user = make_user("coordinator@birr.example", "خالد الزهراني")
    add_member(user, organization, Role.COORDINATOR)
    return user


@pytest.fixture
def case_worker(organization):
    user = make_user("caseworker@birr.example", "نورة القحطاني")
    add_member(user, organization, Role.CASE_WORKER)
    return user


@pytest.fixture
def auditor(organization):
    user = make_user("auditor@birr.example", "فهد الشمري")
    add_member(user, organization, Role.AUDITOR)
    return user


@pytest.fixture
def outsider(other_organization):
    user = make_user("admin@insan.example", "ريم الدوسري")
    add_member(user, other_organization, Role.ADMIN)
    return user


@pytest.fixture
def platform_admin(db):
    return make_user("platform@ataa.example", "مدير المنصة", is_platform_admin=True, is_staff=True)


@pytest.fixture
def stranger(db):
    return make_user("stranger@example.com", "Sam Stranger")


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login rate limits live in the cache, and reference lists (cities, skills …) in memory:
    each test starts with none (a row a rolled-back test added must not stay)."""
    from django.core.cache import cache

    from ataa.core.reference import clear_all

    cache.clear()
    clear_all()
    yield
    cache.clear()
    clear_all()


@pytest.fixture(autouse=True)
def _audit_log_flushable(request):
    """Let pytest-django empty the database after a transactional test on SQLite.

    The audit log is append-only through database triggers (core migration 0002). PostgreSQL
    empties tables with TRUNCATE, which row triggers do not see; SQLite deletes the rows, which
    the trigger refuses. So for transactional tests on SQLite the triggers are dropped just
    before the flush (this teardown runs before transactional_db's) and created again after.
    """
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
        or (marker and marker.kwargs.get("transaction"))
    )
    if not transactional:
        yield
        return
    from importlib import import_module

    from django.db import connection

    request.getfixturevalue("transactional_db")
    if connection.vendor != "sqlite":
        yield
        return
    migration = import_module("ataa.core.migrations.0002_auditevent_append_only")
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_DOWN + migration.SQLITE_UP:
            cursor.execute(statement)
    yield
    with connection.cursor() as cursor:
        for statement in migration.SQLITE_DOWN:
            cursor.execute(statement)


def pytest_collection_modifyitems(items):
    """Transactional tests restore the data the migrations seed (cities, skills …).

    A transactional test ends by emptying every table, and pytest-django runs those tests last:
    without serialized rollback, every one after the first would find no seeded cities or
    skills. Serialized rollback puts the database back as the migrations left it.
    """
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = bool(
            {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))
            or (marker and marker.kwargs.get("transaction"))
        )
        if transactional and not (marker and marker.kwargs.get("serialized_rollback")):
            kwargs = dict(marker.kwargs) if marker else {}
            kwargs.update(transaction=True, serialized_rollback=True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
