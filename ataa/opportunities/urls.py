from django.urls import path

from ataa.opportunities import application_views, views

ORG = "orgs/<int:organization_id>/opportunities/"
ONE = ORG + "<int:opportunity_id>/"

urlpatterns = [
    path("opportunities/", views.opportunity_public_list, name="opportunity_public_list"),
    path(
        "opportunities/<int:opportunity_id>/",
        views.opportunity_public_detail,
        name="opportunity_public_detail",
    ),
    path(
        "opportunities/<int:opportunity_id>/apply/",
        application_views.application_apply,
        name="application_apply",
    ),
    path("volunteer/applications/", application_views.my_applications, name="my_applications"),
    path(
        "volunteer/applications/<int:application_id>/withdraw/",
        application_views.my_application_withdraw,
        name="my_application_withdraw",
    ),
    path(ORG, views.opportunity_list, name="opportunity_list"),
    path(ORG + "new/", views.opportunity_create, name="opportunity_create"),
    path(ONE + "edit/", views.opportunity_edit, name="opportunity_edit"),
    path(ONE + "publish/", views.opportunity_publish, name="opportunity_publish"),
    path(ONE + "close/", views.opportunity_close, name="opportunity_close"),
    path(ONE + "archive/", views.opportunity_archive, name="opportunity_archive"),
    path(ONE + "shifts/", views.shift_list, name="shift_list"),
    path(ONE + "applications/", application_views.application_list, name="application_list"),
    path(
        ONE + "applications/bulk-accept/",
        application_views.application_bulk_accept,
        name="application_bulk_accept",
    ),
    path(
        ONE + "applications/<int:application_id>/decide/",
        application_views.application_decide,
        name="application_decide",
    ),
    # -- my shifts and the calendar feed
    # -- shift rosters and exports
    # -- messages to the volunteers of a shift
]
