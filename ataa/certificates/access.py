"""Access to certificates: staff fetch them from an organization they passed the chokepoint for
(ataa.organizations.access); a volunteer only ever fetches their own. Anything else is 404."""

from __future__ import annotations

from django.http import Http404

from ataa.certificates.models import Certificate
from ataa.core.errors import object_id_or_404
from ataa.organizations.models import Organization


def access_certificate_by_id(organization: Organization, certificate_id) -> Certificate:
    """A certificate issued for one of the organization's opportunities; 404 otherwise."""
    certificate = (
        Certificate.objects.select_related("opportunity", "volunteer", "revoked_by")
        .filter(organization=organization, pk=object_id_or_404(certificate_id))
        .first()
    )
    if certificate is None:
        raise Http404
    certificate.organization = organization
    return certificate


def access_own_certificate_by_id(user, certificate_id) -> Certificate:
    """One of the signed-in volunteer's own certificates; 404 for anyone else's."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    certificate = (
        Certificate.objects.select_related("organization", "opportunity")
        .filter(volunteer=user, pk=object_id_or_404(certificate_id))
        .first()
    )
    if certificate is None:
        raise Http404
    return certificate
