from django.urls import path

from ataa.organizations import views

urlpatterns = [
    path("orgs/", views.organization_list, name="organization_list"),
    path("orgs/new/", views.organization_register, name="organization_register"),
    path("orgs/switch/", views.organization_switch, name="organization_switch"),
    path(
        "orgs/<int:organization_id>/", views.organization_dashboard, name="organization_dashboard"
    ),
    path(
        "orgs/<int:organization_id>/settings/",
        views.organization_settings,
        name="organization_settings",
    ),
    path("orgs/<int:organization_id>/members/", views.member_list, name="member_list"),
    path(
        "orgs/<int:organization_id>/members/<int:membership_id>/role/",
        views.member_change_role,
        name="member_change_role",
    ),
    path(
        "orgs/<int:organization_id>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path(
        "orgs/<int:organization_id>/invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "orgs/<int:organization_id>/audit/",
        views.organization_audit_log,
        name="organization_audit_log",
    ),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path(
        "platform/organizations/",
        views.platform_organization_list,
        name="platform_organization_list",
    ),
    path(
        "platform/organizations/<int:organization_id>/decide/",
        views.platform_organization_decide,
        name="platform_organization_decide",
    ),
    path("platform/audit/", views.platform_audit_log, name="platform_audit_log"),
]
