import pytest
from django.core import mail

from ataa.core.errors import ServiceError
from ataa.core.models import AuditEvent, City, OutboxMessage
from ataa.core.tasks import run_pending
from ataa.organizations import services
from ataa.organizations.models import Invitation, Membership, Organization, Role
from conftest import make_user

pytestmark = pytest.mark.django_db


def city(name_en: str) -> City:
    return City.objects.get(name_en=name_en)


def test_register_makes_a_pending_organization_with_its_creator_as_admin(stranger):
    organization = services.organization_register(
        user=stranger,
        name_ar="فريق نبض التطوعي",
        name_en="Nabd Volunteer Team",
        kind="volunteer_team",
        city=city("Dammam"),
        registration_number="VT-1001",
    )
    assert organization.status == Organization.Status.PENDING
    assert not organization.is_verified
    assert Membership.objects.get(organization=organization, user=stranger).role == Role.ADMIN
    event = AuditEvent.objects.get(verb="organization.registered")
    assert (event.actor, event.organization_id) == (stranger, organization.pk)


def test_register_refuses_a_registration_number_already_taken_and_writes_nothing(
    stranger, organization
):
    organization.registration_number = "CH-77"
    organization.save()
    counts = (Organization.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ServiceError) as refused:
        services.organization_register(
            user=stranger,
            name_ar="مكرر",
            name_en="Duplicate",
            kind="charity",
            city=city("Jeddah"),
            registration_number="CH-77",
        )
    assert refused.value.code == "duplicate_registration_number"
    assert "registration_number" in refused.value.fields
    after = (Organization.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    assert after == counts


def test_platform_admin_approval_activates_verifies_and_emails_the_applicant(
    stranger, platform_admin
):
    organization = services.organization_register(
        user=stranger, name_ar="جمعية", name_en="Society", kind="charity", city=city("Doha")
    )
    services.organization_decide(organization=organization, decided_by=platform_admin, approve=True)
    organization.refresh_from_db()
    assert organization.status == Organization.Status.ACTIVE
    assert organization.is_verified
    assert organization.decided_at is not None
    run_pending()
    assert [message.to for message in mail.outbox] == [[stranger.email]]
    assert "Society" in mail.outbox[0].subject or "جمعية" in mail.outbox[0].subject


def test_deciding_twice_is_refused_and_changes_nothing(stranger, platform_admin):
    organization = services.organization_register(
        user=stranger, name_ar="جمعية", name_en="Society", kind="charity", city=city("Doha")
    )
    services.organization_decide(
        organization=organization, decided_by=platform_admin, approve=False
    )
    events = AuditEvent.objects.count()
    with pytest.raises(ServiceError):
        services.organization_decide(
            organization=organization, decided_by=platform_admin, approve=True
        )
    organization.refresh_from_db()
    assert organization.status == Organization.Status.REJECTED
    assert AuditEvent.objects.count() == events


def test_the_last_admin_cannot_be_demoted_or_removed(org_admin, organization):
    membership = Membership.objects.get(user=org_admin, organization=organization)
    with pytest.raises(ServiceError) as refused:
        services.membership_change_role(membership=membership, role=Role.AUDITOR, actor=org_admin)
    assert refused.value.code == "last_admin"
    with pytest.raises(ServiceError):
        services.membership_remove(membership=membership, actor=org_admin)
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN


def test_an_admin_can_be_demoted_when_another_admin_remains(org_admin, coordinator, organization):
    other = Membership.objects.get(user=coordinator, organization=organization)
    services.membership_change_role(membership=other, role=Role.ADMIN, actor=org_admin)
    mine = Membership.objects.get(user=org_admin, organization=organization)
    services.membership_change_role(membership=mine, role=Role.COORDINATOR, actor=org_admin)
    mine.refresh_from_db()
    assert mine.role == Role.COORDINATOR
    event = AuditEvent.objects.filter(verb="membership.role_changed").first()
    assert event.payload == {"from": "admin", "to": "coordinator", "user_id": org_admin.pk}


def test_invitation_round_trip(org_admin, organization):
    invitation = services.invitation_create(
        organization=organization,
        email="New.Member@Example.com",
        role=Role.CASE_WORKER,
        invited_by=org_admin,
    )
    assert invitation.email == "new.member@example.com"
    # The task carries the id only, never the address.
    message = OutboxMessage.objects.get(task_name="organizations.send_invitation_email")
    assert message.kwargs == {"invitation_id": invitation.pk}
    run_pending()
    assert mail.outbox[0].to == ["new.member@example.com"]
    token = services.invitation_token(invitation)
    assert token in mail.outbox[0].body
    assert services.invitation_from_token(token) == invitation

    invitee = make_user("new.member@example.com", "منى الحربي")
    membership = services.invitation_accept(invitation=invitation, user=invitee)
    assert membership.role == Role.CASE_WORKER
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee
    with pytest.raises(ServiceError):
        services.invitation_accept(invitation=invitation, user=invitee)


def test_an_invitation_cannot_be_accepted_by_another_address(org_admin, organization, stranger):
    invitation = services.invitation_create(
        organization=organization,
        email="someone@example.com",
        role=Role.ADMIN,
        invited_by=org_admin,
    )
    with pytest.raises(ServiceError) as refused:
        services.invitation_accept(invitation=invitation, user=stranger)
    assert refused.value.code == "invitation_other_email"
    assert not Membership.objects.filter(user=stranger).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_revoked_invitation_cannot_be_accepted(org_admin, organization):
    invitation = services.invitation_create(
        organization=organization, email="late@example.com", role=Role.AUDITOR, invited_by=org_admin
    )
    services.invitation_revoke(invitation=invitation, actor=org_admin)
    late = make_user("late@example.com", "Late Comer")
    with pytest.raises(ServiceError):
        services.invitation_accept(invitation=invitation, user=late)
    assert not Membership.objects.filter(user=late).exists()


def test_inviting_a_member_or_inviting_twice_is_refused(org_admin, coordinator, organization):
    with pytest.raises(ServiceError) as refused:
        services.invitation_create(
            organization=organization,
            email=coordinator.email.upper(),
            role=Role.ADMIN,
            invited_by=org_admin,
        )
    assert refused.value.code == "already_member"
    services.invitation_create(
        organization=organization, email="x@example.com", role=Role.ADMIN, invited_by=org_admin
    )
    with pytest.raises(ServiceError) as refused:
        services.invitation_create(
            organization=organization, email="X@example.com", role=Role.ADMIN, invited_by=org_admin
        )
    assert refused.value.code == "already_invited"
    assert Invitation.objects.count() == 1


def test_a_tampered_invitation_token_finds_nothing(org_admin, organization):
    invitation = services.invitation_create(
        organization=organization, email="t@example.com", role=Role.ADMIN, invited_by=org_admin
    )
    token = services.invitation_token(invitation)
    assert services.invitation_from_token(token[:-2] + "xx") is None
    assert services.invitation_from_token("not-a-token") is None
