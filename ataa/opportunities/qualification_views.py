"""Coordinators' pages for the qualifications of their applicants: the list (awaiting
verification first), the proof download and the verify button.

Admins and coordinators of the organization (the roles `qualification_verify` accepts); case
workers and auditors get 403. A qualification is fetched through
`access_applicant_qualification_by_id`: only volunteers with an active application to the
organization's opportunities, 404 for anyone else's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.opportunities.access import MANAGE_ROLES, access_applicant_qualification_by_id
from ataa.opportunities.qualification_review import (
    ReviewFilter,
    applicant_qualification_list,
    proof_response,
    qualification_proof_open,
)
from ataa.organizations.access import access_organization_by_id
from ataa.volunteers.services import qualification_verify

PAGE_SIZE = 50


@login_required
def qualification_review_list(request, organization_id):
    organization = access_organization_by_id(request.user, organization_id, roles=MANAGE_ROLES)
    show = request.GET.get("show", ReviewFilter.ALL)
    if show not in ReviewFilter.CHOICES:
        show = ReviewFilter.ALL
    page = Paginator(
        applicant_qualification_list(organization=organization, show=show), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    today = timezone.localdate()
    for qualification in page:
        qualification.expired = qualification.is_expired_on(today)
    return render(
        request,
        "opportunities/qualification_review_list.html",
        {
            "organization": organization,
            "page": page,
            "show": show,
            "query": f"show={show}",
            "filters": [
                (ReviewFilter.ALL, _("All")),
                (ReviewFilter.PENDING, _("Awaiting verification")),
                (ReviewFilter.VERIFIED, _("Verified")),
            ],
        },
    )


@login_required
def qualification_review_proof(request, organization_id, qualification_id):
    """The proof, as an attachment (never shown inline, never at a public address)."""
    organization = access_organization_by_id(request.user, organization_id, roles=MANAGE_ROLES)
    qualification = access_applicant_qualification_by_id(organization, qualification_id)
    try:
        handle = qualification_proof_open(
            qualification=qualification,
            organization=organization,
            actor=request.user,
            ip_address=client_ip(request),
        )
    except (FileNotFoundError, ServiceError):
        raise Http404 from None
    return proof_response(handle, qualification)


@login_required
@require_POST
def qualification_review_verify(request, organization_id, qualification_id):
    organization = access_organization_by_id(request.user, organization_id, roles=MANAGE_ROLES)
    qualification = access_applicant_qualification_by_id(organization, qualification_id)
    try:
        qualification_verify(
            qualification=qualification,
            verified_by=request.user,
            organization=organization,
            ip_address=client_ip(request),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The qualification is verified."))
    show = request.POST.get("show")
    url = reverse("qualification_review_list", args=[organization.pk])
    return redirect(f"{url}?show={show}" if show in ReviewFilter.CHOICES else url)
