"""Access to opportunities: through the organization chokepoint for staff, by the visibility
rules for the public. "Missing", "not yours" and "not visible to you" all answer 404."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import Http404

from ataa.core.errors import PermissionRefused, object_id_or_404
from ataa.opportunities.models import Application, ApplicationQuestion, Opportunity, Shift
from ataa.organizations.access import ALL_ROLES, access_organization_by_id
from ataa.organizations.models import Membership, Organization, Role
from ataa.volunteers.models import Qualification

MANAGE_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR})


def require_manager(*, actor, organization_id: int, refusal) -> None:
    """Services' own check that `actor` is an admin or coordinator of the organization.

    `refusal` is the translated sentence the person sees (what they tried to do).
    """
    if not Membership.objects.filter(
        user=actor, organization_id=organization_id, role__in=MANAGE_ROLES
    ).exists():
        raise PermissionRefused(refusal, code="forbidden")


def access_opportunity_by_id(
    user, organization: Organization, opportunity_id, roles=ALL_ROLES
) -> Opportunity:
    """An opportunity of an organization the caller already passed the chokepoint for
    (`access_organization_by_id`); 404 if it is not that organization's, 403 for the role."""
    if getattr(organization, "viewer_role", None) not in roles:
        raise PermissionDenied
    opportunity = (
        Opportunity.objects.select_related("organization", "city", "district", "field")
        .filter(organization=organization, pk=object_id_or_404(opportunity_id))
        .first()
    )
    if opportunity is None:
        raise Http404
    opportunity.organization = organization  # keeps viewer_role for the templates
    return opportunity


def access_managed_opportunity_by_id(user, organization_id, opportunity_id):
    """(organization, opportunity) for the pages where admins and coordinators run an
    opportunity: both through the chokepoints, 404 for outsiders, 403 for other roles."""
    organization = access_organization_by_id(user, organization_id, roles=MANAGE_ROLES)
    opportunity = access_opportunity_by_id(user, organization, opportunity_id, roles=MANAGE_ROLES)
    return organization, opportunity


def access_public_opportunity_by_id(
    user, opportunity_id, *, key: str | None = None, with_lists: bool = True
) -> Opportunity:
    """An opportunity as the public sees it: published, of an active organization, and public;
    unlisted with the right link key; or members-only and `user` is a member. Else 404.

    `with_lists`: with its skills and qualifications (what its page shows); a caller that only
    passes it on to a service, which reads them itself, leaves them out (three queries less)."""
    queryset = Opportunity.objects.select_related("organization", "city", "district", "field")
    if with_lists:
        queryset = queryset.prefetch_related(
            "required_skills", "preferred_skills", "required_qualifications"
        )
    opportunity = queryset.filter(
        pk=object_id_or_404(opportunity_id),
        status=Opportunity.Status.PUBLISHED,
        organization__status=Organization.Status.ACTIVE,
    ).first()
    if opportunity is None or not _visible(user, opportunity, key):
        raise Http404
    return opportunity


def _is_member(user, organization_id: int) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        Membership.objects.filter(user=user, organization_id=organization_id).exists()
    )


def _visible(user, opportunity: Opportunity, key: str | None) -> bool:
    if opportunity.visibility == Opportunity.Visibility.PUBLIC:
        return True
    if (
        opportunity.visibility == Opportunity.Visibility.UNLISTED
        and isinstance(key, str)
        and key
        and secrets.compare_digest(key.encode(), opportunity.share_token.encode())
    ):
        return True
    return _is_member(user, opportunity.organization_id)


def access_application_by_id(
    organization: Organization, opportunity: Opportunity, application_id
) -> Application:
    """An application to an opportunity the caller already fetched through
    `access_opportunity_by_id` (so through the organization chokepoint); 404 otherwise."""
    if opportunity.organization_id != organization.pk:
        raise Http404
    application = (
        Application.objects.select_related("opportunity__organization", "shift", "volunteer")
        .filter(opportunity=opportunity, pk=object_id_or_404(application_id))
        .first()
    )
    if application is None:
        raise Http404
    return application


def access_own_application_by_id(user, application_id) -> Application:
    """One of the signed-in person's own applications; 404 for anyone else's."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    application = (
        Application.objects.select_related("opportunity__organization", "shift", "volunteer")
        .filter(volunteer=user, pk=object_id_or_404(application_id))
        .first()
    )
    if application is None:
        raise Http404
    return application


def access_shift_by_id(opportunity: Opportunity, shift_id) -> Shift:
    """A shift of an opportunity the caller already fetched through `access_opportunity_by_id`;
    404 for a shift of another opportunity (of this organization or another)."""
    shift = Shift.objects.filter(opportunity=opportunity, pk=object_id_or_404(shift_id)).first()
    if shift is None:
        raise Http404
    shift.opportunity = opportunity
    return shift


def access_organization_shift_by_id(organization: Organization, shift_id) -> Shift:
    """A shift of any opportunity of an organization the caller already passed the chokepoint
    for (the API names shifts without their opportunity); 404 for any other shift."""
    shift = (
        Shift.objects.select_related("opportunity")
        .filter(opportunity__organization=organization, pk=object_id_or_404(shift_id))
        .first()
    )
    if shift is None:
        raise Http404
    return shift


def access_question_by_id(opportunity: Opportunity, question_id) -> ApplicationQuestion:
    """An application question of an opportunity fetched through `access_opportunity_by_id`."""
    question = ApplicationQuestion.objects.filter(
        opportunity=opportunity, pk=object_id_or_404(question_id)
    ).first()
    if question is None:
        raise Http404
    question.opportunity = opportunity
    return question


def access_applicant_qualification_by_id(
    organization: Organization, qualification_id
) -> Qualification:
    """A qualification of a volunteer with an active application (pending, accepted or
    waitlisted) to one of the organization's opportunities; 404 for anyone else's, so an
    organization sees the documents only of the people who applied to it."""
    qualification = (
        Qualification.objects.select_related("kind", "profile", "verified_organization")
        .filter(pk=object_id_or_404(qualification_id))
        .filter(
            Exists(
                Application.objects.filter(
                    volunteer_id=OuterRef("profile__user_id"),
                    opportunity__organization=organization,
                    status__in=Application.ACTIVE_STATUSES,
                )
            )
        )
        .first()
    )
    if qualification is None:
        raise Http404
    return qualification
