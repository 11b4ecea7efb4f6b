"""Coordinators verify the qualifications of their applicants: only those people's, proofs from
private storage through an access check, every download audited.

(Here rather than in ataa/volunteers/tests: the review depends on applications, and the
volunteers app may not import the opportunities app.)"""

from __future__ import annotations

import datetime as dt
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ataa.core.models import AuditEvent
from ataa.opportunities import services
from ataa.opportunities.models import Application
from ataa.volunteers.models import Qualification, QualificationKind
from ataa.volunteers.services import qualification_add
from ataa.volunteers.tests.conftest import pdf_bytes, png_bytes, upload
from conftest import table_state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ATAA_PRIVATE_ROOT = tmp_path / "private"


def first_aid():
    return QualificationKind.objects.get(code="first-aid-certificate")


def add_proof(user, kind=None, content=None, name="certificate.pdf"):
    kind = kind or first_aid()
    return qualification_add(
        user=user,
        kind=kind,
        proof=upload(content or pdf_bytes(), name),
        expires_on=timezone.localdate() + dt.timedelta(days=300) if kind.expires else None,
    )


@pytest.fixture
def applicant(soon, make_volunteer):
    user = make_volunteer("applicant", full_name_ar="مريم الحازمي")
    services.application_submit(volunteer=user, opportunity=soon, answers={})
    return user


@pytest.fixture
def bystander(make_volunteer):
    """A volunteer who never applied to the organization."""
    return make_volunteer("bystander", full_name_ar="غادة الزهراني")


def base(organization) -> str:
    return f"/orgs/{organization.pk}/qualifications/"


# --- Storage ----------------------------------------------------------------------------------


def test_proofs_are_stored_privately_with_no_public_address(settings, applicant):
    qualification = add_proof(applicant)
    private = Path(settings.ATAA_PRIVATE_ROOT)
    assert (private / qualification.proof.name).is_file()
    assert not (Path(settings.MEDIA_ROOT) / qualification.proof.name).exists()
    with pytest.raises(ValueError):
        qualification.proof.url


def test_the_migration_moves_existing_proofs_out_of_media_and_back(settings, applicant):
    migration = import_module("ataa.volunteers.migrations.0006_qualification_proofs_private")
    qualification = add_proof(applicant)
    name = qualification.proof.name
    storages["private"].delete(name)
    storages["default"].save(name, ContentFile(pdf_bytes()))  # as before the migration
    migration.to_private(django_apps, None)
    assert storages["private"].exists(name) and not storages["default"].exists(name)
    migration.to_public(django_apps, None)
    assert storages["default"].exists(name) and not storages["private"].exists(name)
    migration.to_private(django_apps, None)
    migration.to_private(django_apps, None)  # running it again moves nothing twice
    assert storages["private"].exists(name)


# --- The list ---------------------------------------------------------------------------------


def test_list_shows_applicants_only_awaiting_verification_first(
    client, coordinator, organization, applicant, bystander, make_volunteer, soon
):
    verified = add_proof(applicant, QualificationKind.objects.get(code="driving-licence"))
    pending = add_proof(applicant)
    add_proof(bystander)
    Qualification.objects.filter(pk=verified.pk).update(verified_at=timezone.now())
    client.force_login(coordinator)
    response = client.get(base(organization))
    assert response.status_code == 200
    page = response.content.decode()
    assert "مريم الحازمي" in page
    assert "غادة الزهراني" not in page
    assert page.index(f"{pending.pk}/proof/") < page.index(f"{verified.pk}/proof/")
    assert f"{pending.pk}/verify/" in page and f"{verified.pk}/verify/" not in page
    only_pending = client.get(base(organization), {"show": "pending"}).content.decode()
    assert f"{verified.pk}/proof/" not in only_pending


def test_an_applicant_who_withdrew_is_no_longer_shown(client, coordinator, organization, applicant):
    qualification = add_proof(applicant)
    application = Application.objects.get(volunteer=applicant)
    services.application_withdraw(application=application, volunteer=applicant)
    client.force_login(coordinator)
    assert f"{qualification.pk}/proof/" not in client.get(base(organization)).content.decode()
    assert client.get(f"{base(organization)}{qualification.pk}/proof/").status_code == 404


def test_list_query_count_does_not_grow(
    client, coordinator, organization, soon, make_volunteer, applicant, django_assert_num_queries
):
    add_proof(applicant)
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as one:
        client.get(base(organization))
    for number in range(4):
        user = make_volunteer(f"more{number}")
        services.application_submit(volunteer=user, opportunity=soon, answers={})
        add_proof(user)
    with django_assert_num_queries(len(one)):
        response = client.get(base(organization))
    assert response.content.decode().count("/proof/") == 5


# --- The proof --------------------------------------------------------------------------------


def test_proof_download_is_an_audited_attachment(client, coordinator, organization, applicant):
    qualification = add_proof(applicant, content=png_bytes(), name="صورة الشهادة.png")
    client.force_login(coordinator)
    response = client.get(f"{base(organization)}{qualification.pk}/proof/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png_bytes()
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        f'attachment; filename="qualification-{qualification.pk}.png"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(verb="qualification.proof_viewed")
    assert event.organization_id == organization.pk
    assert event.actor_id == coordinator.pk
    assert event.target_id == str(qualification.pk)
    assert event.payload == {
        "profile_id": qualification.profile_id,
        "kind_id": qualification.kind_id,
    }


def test_refusals_change_nothing(
    client,
    organization,
    coordinator,
    applicant,
    bystander,
    case_worker,
    auditor,
    outsider,
):
    mine = add_proof(applicant)
    theirs = add_proof(bystander)
    state = table_state(Qualification, AuditEvent)
    for person, status in ((outsider, 404), (case_worker, 403), (auditor, 403)):
        client.force_login(person)
        assert client.get(base(organization)).status_code == status
        assert client.get(f"{base(organization)}{mine.pk}/proof/").status_code == status
        assert client.post(f"{base(organization)}{mine.pk}/verify/").status_code == status
    # A coordinator, for someone who never applied to the organization: 404, like a missing id.
    client.force_login(coordinator)
    assert client.get(f"{base(organization)}{theirs.pk}/proof/").status_code == 404
    assert client.post(f"{base(organization)}{theirs.pk}/verify/").status_code == 404
    assert client.get(f"{base(organization)}999999/proof/").status_code == 404
    # Another organization's admin, on their own organization's path: not their applicant.
    client.force_login(outsider)
    other = f"/orgs/{outsider.memberships.get().organization_id}/qualifications/"
    assert client.get(f"{other}{mine.pk}/proof/").status_code == 404
    assert client.post(f"{other}{mine.pk}/verify/").status_code == 404
    assert "مريم الحازمي" not in client.get(other).content.decode()
    assert table_state(Qualification, AuditEvent) == state


# --- Verifying --------------------------------------------------------------------------------


def test_coordinator_verifies_once(client, coordinator, organization, applicant):
    qualification = add_proof(applicant)
    client.force_login(coordinator)
    response = client.post(f"{base(organization)}{qualification.pk}/verify/", {"show": "pending"})
    assert response.status_code == 302
    assert response["Location"] == f"{base(organization)}?show=pending"
    qualification.refresh_from_db()
    assert qualification.is_verified
    assert qualification.verified_by == coordinator
    assert qualification.verified_organization == organization
    state = table_state(Qualification, AuditEvent)
    client.post(f"{base(organization)}{qualification.pk}/verify/")
    assert table_state(Qualification, AuditEvent) == state


def test_an_applicant_can_now_apply_where_the_qualification_is_required(
    client, coordinator, organization, applicant, make_opportunity, soon
):
    needs_first_aid = make_opportunity(starts_on=soon.starts_on, ends_on=soon.ends_on)
    needs_first_aid.required_qualifications.add(first_aid())
    qualification = add_proof(applicant)
    client.force_login(coordinator)
    client.post(f"{base(organization)}{qualification.pk}/verify/")
    application = services.application_submit(
        volunteer=applicant, opportunity=needs_first_aid, answers={}
    )
    assert application.status == Application.Status.PENDING
