"""Organization pages: each view parses input, fetches through access.py, calls one service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.core.forms import add_service_error
from ataa.organizations import selectors, services
from ataa.organizations.access import (
    ADMIN_ROLES,
    AUDIT_ROLES,
    access_invitation_by_id,
    access_membership_by_id,
    access_organization_by_id,
    access_pending_organization_by_id,
    require_platform_admin,
)
from ataa.organizations.forms import (
    DecisionForm,
    InvitationForm,
    OrganizationForm,
    OrganizationSettingsForm,
    RoleForm,
)
from ataa.organizations.models import Organization, Role

AUDIT_PAGE_SIZE = 50


@login_required
def organization_list(request):
    return render(
        request,
        "organizations/organization_list.html",
        {"memberships": selectors.membership_list_for_user(user=request.user)},
    )


@login_required
def organization_register(request):
    form = OrganizationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_register(
                user=request.user, ip_address=client_ip(request), **form.cleaned_data
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(
                request,
                _("Your organization is registered. A platform admin will review it shortly."),
            )
            return redirect("organization_dashboard", organization.pk)
    return render(request, "organizations/organization_register.html", {"form": form})


@login_required
def organization_dashboard(request, organization_id):
    organization = access_organization_by_id(request.user, organization_id, allow_inactive=True)
    request.session["current_organization_id"] = organization.pk
    return render(
        request,
        "organizations/organization_dashboard.html",
        {
            "organization": organization,
            "stats": selectors.organization_stats(organization=organization),
            "viewer_role_label": Role(organization.viewer_role).label,
            "recent_events": selectors.audit_event_list(organization_id=organization.pk)[:5]
            if organization.viewer_role in AUDIT_ROLES
            else [],
        },
    )


@login_required
def organization_settings(request, organization_id):
    organization = access_organization_by_id(request.user, organization_id, roles=ADMIN_ROLES)
    initial = selectors.organization_settings_values(organization=organization)
    form = OrganizationSettingsForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["logo"] = data.get("logo") or None
        try:
            services.organization_update(
                organization=organization, actor=request.user, ip_address=client_ip(request), **data
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The organization's details are saved."))
            return redirect("organization_settings", organization.pk)
    return render(
        request,
        "organizations/organization_settings.html",
        {"organization": organization, "form": form},
    )


@login_required
def member_list(request, organization_id):
    organization = access_organization_by_id(request.user, organization_id)
    invite_form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if organization.viewer_role not in ADMIN_ROLES:
            raise PermissionDenied
        if invite_form.is_valid():
            try:
                services.invitation_create(
                    organization=organization,
                    invited_by=request.user,
                    ip_address=client_ip(request),
                    **invite_form.cleaned_data,
                )
            except ServiceError as error:
                add_service_error(invite_form, error)
            else:
                messages.success(request, _("The invitation is on its way."))
                return redirect("member_list", organization.pk)
    can_manage = organization.viewer_role in ADMIN_ROLES
    return render(
        request,
        "organizations/member_list.html",
        {
            "organization": organization,
            "members": selectors.member_list(organization=organization),
            "invitations": selectors.invitation_open_list(organization=organization)
            if can_manage
            else [],
            "invite_form": invite_form,
            "role_choices": RoleForm.base_fields["role"].choices,
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def member_change_role(request, organization_id, membership_id):
    organization = access_organization_by_id(request.user, organization_id, roles=ADMIN_ROLES)
    membership = access_membership_by_id(organization, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed roles."))
        return redirect("member_list", organization.pk)
    try:
        services.membership_change_role(
            membership=membership,
            role=form.cleaned_data["role"],
            actor=request.user,
            ip_address=client_ip(request),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The role is changed."))
    return redirect("member_list", organization.pk)


@login_required
@require_POST
def member_remove(request, organization_id, membership_id):
    organization = access_organization_by_id(request.user, organization_id, roles=ADMIN_ROLES)
    membership = access_membership_by_id(organization, membership_id)
    try:
        services.membership_remove(
            membership=membership, actor=request.user, ip_address=client_ip(request)
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The member is removed from the organization."))
    return redirect("member_list", organization.pk)


@login_required
@require_POST
def invitation_revoke(request, organization_id, invitation_id):
    organization = access_organization_by_id(request.user, organization_id, roles=ADMIN_ROLES)
    invitation = access_invitation_by_id(organization, invitation_id)
    try:
        services.invitation_revoke(
            invitation=invitation, actor=request.user, ip_address=client_ip(request)
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation is withdrawn."))
    return redirect("member_list", organization.pk)


def invitation_accept(request, token):
    invitation = services.invitation_from_token(token)
    if invitation is None:
        raise Http404
    if not request.user.is_authenticated:
        return render(request, "organizations/invitation_accept.html", {"invitation": invitation})
    if request.method == "POST":
        try:
            membership = services.invitation_accept(
                invitation=invitation, user=request.user, ip_address=client_ip(request)
            )
        except ServiceError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Welcome! You are now a member of the organization."))
            return redirect("organization_dashboard", membership.organization_id)
    return render(request, "organizations/invitation_accept.html", {"invitation": invitation})


@login_required
def organization_audit_log(request, organization_id):
    organization = access_organization_by_id(
        request.user, organization_id, roles=AUDIT_ROLES, allow_inactive=True
    )
    page = Paginator(
        selectors.audit_event_list(organization_id=organization.pk), AUDIT_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "organizations/audit_log.html",
        {"organization": organization, "page": page},
    )


@login_required
def organization_switch(request):
    """The organization switcher: a select of the person's organizations, submitted by GET."""
    organization = access_organization_by_id(
        request.user, request.GET.get("organization"), allow_inactive=True
    )
    return redirect("organization_dashboard", organization.pk)


# --- Platform admin -------------------------------------------------------------------------


@login_required
def platform_organization_list(request):
    require_platform_admin(request.user)
    return render(
        request,
        "organizations/platform_organization_list.html",
        {
            "pending": selectors.organization_pending_list(),
            "decided": Organization.objects.exclude(status=Organization.Status.PENDING).order_by(
                "-decided_at"
            )[:50],
        },
    )


@login_required
@require_POST
def platform_organization_decide(request, organization_id):
    organization = access_pending_organization_by_id(request.user, organization_id)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return redirect("platform_organization_list")
    try:
        services.organization_decide(
            organization=organization,
            decided_by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            ip_address=client_ip(request),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision is recorded and the applicant is told by email."))
    return redirect("platform_organization_list")


@login_required
def platform_audit_log(request):
    require_platform_admin(request.user)
    page = Paginator(selectors.audit_event_list(), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    organizations = selectors.organizations_by_id(event.organization_id for event in page)
    return render(
        request,
        "organizations/audit_log.html",
        {"organization": None, "page": page, "organizations": organizations},
    )
