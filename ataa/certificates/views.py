"""The certificate pages.

- Public, no login, not indexed: `verify/` (type a code) and `verify/<code>/` (valid with the
  signed facts, revoked with the date, or unknown; the reason for a revocation is not shown, it
  may be personal). The facts shown are the signed ones, after checking the signature.
- `/.well-known/ataa-certificate-keys.json`: the JWK Set of every signing key, current and
  retired, for anyone who verifies certificates on their own (cacheable for an hour).
- The volunteer's certificates (`volunteer/certificates/`): their certificates, "get the
  certificate" for each opportunity with approved hours and none yet, and the signed data of each
  as a .jws file (`volunteer/certificates/<certificate_id>/signed-data/`, 404 for anyone else's).
- The organization's certificates (`orgs/<organization_id>/certificates/`): admins and
  coordinators see what was issued and revoke a certificate with a reason.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ataa.certificates import keys, selectors, services
from ataa.certificates.access import access_certificate_by_id, access_own_certificate_by_id
from ataa.certificates.forms import IssueForm, RevokeForm, VerifyForm
from ataa.certificates.models import Certificate, display_code
from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.opportunities.access import MANAGE_ROLES
from ataa.opportunities.models import Opportunity
from ataa.organizations.access import access_organization_by_id

PAGE_SIZE = 25
KEYS_PATH = ".well-known/ataa-certificate-keys.json"
KEYS_MAX_AGE = 3600


def duration_text(minutes: int) -> str:
    """ "2 h 05 min": hours and minutes of a number of minutes."""
    return _("%(hours)d h %(minutes)02d min") % {"hours": minutes // 60, "minutes": minutes % 60}


def _english() -> bool:
    return (get_language() or "ar").startswith("en")


def _day(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except (TypeError, ValueError):
        return None


def shown_facts(facts: dict) -> dict:
    """The signed facts as the page shows them, in the page's language where there are two."""
    english = _english()

    def pick(ar_key, en_key):
        ar, en = facts.get(ar_key, ""), facts.get(en_key, "")
        return (en or ar) if english else (ar or en)

    minutes = facts.get("minutes") if isinstance(facts.get("minutes"), int) else 0
    return {
        "code": display_code(str(facts.get("code", ""))),
        "holder_name_ar": facts.get("holder_name_ar", ""),
        "holder_name_latin": facts.get("holder_name_latin", ""),
        "organization": pick("organization_ar", "organization_en"),
        "opportunity": pick("opportunity_ar", "opportunity_en"),
        "duration": duration_text(minutes),
        "first_day": _day(facts.get("first_day")),
        "last_day": _day(facts.get("last_day")),
        "issued_on": _day(facts.get("issued_on")),
        "issuer": facts.get("issuer", ""),
    }


# --- Public verification ------------------------------------------------------------------------


@require_GET
def certificate_verify_start(request):
    form = VerifyForm(request.GET or None)
    if form.is_bound and form.is_valid():
        code = services.normalize_code(form.cleaned_data["code"])
        if code is not None:
            return redirect("certificate_verify", code)
        form.add_error(
            "code",
            _(
                "A certificate code has 10 letters and digits, like ABCDE-FGHJK. Check it and "
                "try again."
            ),
        )
    return render(request, "certificates/verify_start.html", {"form": form})


@require_GET
def certificate_verify(request, code):
    normalized = services.normalize_code(code)
    if normalized is not None and normalized != code:
        return redirect("certificate_verify", normalized)
    verification = services.verify_code(code)
    context = {
        "verification": verification,
        "typed_code": code if len(code) <= 40 else code[:40],
        "form": VerifyForm(),
        "keys_url": request.build_absolute_uri("/" + KEYS_PATH),
    }
    if verification.facts:
        context["facts"] = shown_facts(verification.facts)
    status = 404 if verification.status == services.Verification.UNKNOWN else 200
    response = render(request, "certificates/verify_result.html", context, status=status)
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def certificate_keys(request):
    response = JsonResponse(keys.jwks(), content_type="application/jwk-set+json")
    response["Cache-Control"] = f"public, max-age={KEYS_MAX_AGE}"
    response["Access-Control-Allow-Origin"] = "*"
    return response


# --- The volunteer's certificates ---------------------------------------------------------------


@login_required
def my_certificates(request):
    volunteer = request.user
    if request.method == "POST":
        form = IssueForm(request.POST)
        opportunity = None
        if form.is_valid():
            opportunity = (
                Opportunity.objects.select_related("organization")
                .filter(pk=form.cleaned_data["opportunity"], hour_entries__volunteer=volunteer)
                .first()
            )
        if opportunity is None:
            messages.error(request, _("Choose one of the opportunities listed."))
            return redirect("my_certificates")
        try:
            certificate = services.issue_hours_certificate(
                actor=volunteer,
                volunteer=volunteer,
                opportunity=opportunity,
                language=form.cleaned_data["language"],
                ip_address=client_ip(request),
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Your certificate is issued. Its code is %(code)s.")
                % {"code": certificate.display_code},
            )
        return redirect("my_certificates")
    certificates = list(selectors.volunteer_certificates(volunteer=volunteer))
    for certificate in certificates:
        certificate.duration = duration_text(certificate.minutes)
    english = _english()
    certifiable = []
    preferred = getattr(volunteer, "preferred_language", "") or Certificate.Language.ARABIC
    if preferred not in Certificate.Language.values:
        preferred = Certificate.Language.ARABIC
    for row in selectors.certifiable_opportunities(volunteer=volunteer):
        title_ar, title_en = row["opportunity__title_ar"], row["opportunity__title_en"]
        name_ar, name_en = row["organization__name_ar"], row["organization__name_en"]
        certifiable.append(
            {
                "title": (title_en or title_ar) if english else (title_ar or title_en),
                "organization": (name_en or name_ar) if english else (name_ar or name_en),
                "duration": duration_text(row["minutes"]),
                "form": IssueForm(
                    initial={"opportunity": row["opportunity_id"], "language": preferred},
                    auto_id=f"issue-{row['opportunity_id']}-%s",
                ),
            }
        )
    return render(
        request,
        "certificates/certificates_mine.html",
        {"certificates": certificates, "certifiable": certifiable},
    )


@login_required
def my_certificate_signed_data(request, certificate_id):
    """The signed data of one of your certificates, to verify it offline (a compact JWS)."""
    certificate = access_own_certificate_by_id(request.user, certificate_id)
    response = HttpResponse(certificate.jws + "\n", content_type="application/jose")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.jws"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# --- The organization's certificates ------------------------------------------------------------


def _organization(request, organization_id):
    return access_organization_by_id(request.user, organization_id, roles=MANAGE_ROLES)


@login_required
def org_certificates(request, organization_id):
    organization = _organization(request, organization_id)
    page = Paginator(
        selectors.organization_certificates(organization=organization), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    for certificate in page:
        certificate.duration = duration_text(certificate.minutes)
        profile = getattr(certificate.volunteer, "volunteer_profile", None)
        certificate.volunteer_name = (
            profile.full_name_ar if profile is not None else certificate.volunteer.full_name
        )
        certificate.revoke_form = RevokeForm(auto_id=f"revoke-{certificate.pk}-%s")
    return render(
        request,
        "certificates/certificates_organization.html",
        {"organization": organization, "page": page},
    )


@login_required
@require_POST
def org_certificate_revoke(request, organization_id, certificate_id):
    organization = _organization(request, organization_id)
    certificate = access_certificate_by_id(organization, certificate_id)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        for problems in form.errors.values():
            for problem in problems:
                messages.error(request, problem)
        return redirect("org_certificates", organization.pk)
    try:
        services.revoke_certificate(
            actor=request.user,
            certificate=certificate,
            reason=form.cleaned_data["reason"],
            ip_address=client_ip(request),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Certificate %(code)s is revoked. Its verification page now says so.")
            % {"code": certificate.display_code},
        )
    return redirect(reverse("org_certificates", args=[organization.pk]))


urlpatterns = [
    path(KEYS_PATH, certificate_keys, name="certificate_keys"),
    path("verify/", certificate_verify_start, name="certificate_verify_start"),
    path("verify/<str:code>/", certificate_verify, name="certificate_verify"),
    path("volunteer/certificates/", my_certificates, name="my_certificates"),
    path(
        "volunteer/certificates/<int:certificate_id>/signed-data/",
        my_certificate_signed_data,
        name="my_certificate_signed_data",
    ),
    path("orgs/<int:organization_id>/certificates/", org_certificates, name="org_certificates"),
    path(
        "orgs/<int:organization_id>/certificates/<int:certificate_id>/revoke/",
        org_certificate_revoke,
        name="org_certificate_revoke",
    ),
]
