from django.urls import path

from ataa.opportunities import views

ORG = "orgs/<int:organization_id>/opportunities/"
ONE = ORG + "<int:opportunity_id>/"

urlpatterns = [
    path("opportunities/", views.opportunity_public_list, name="opportunity_public_list"),
    path(
        "opportunities/<int:opportunity_id>/",
        views.opportunity_public_detail,
        name="opportunity_public_detail",
    ),
    path(ORG, views.opportunity_list, name="opportunity_list"),
    path(ORG + "new/", views.opportunity_create, name="opportunity_create"),
    path(ONE + "edit/", views.opportunity_edit, name="opportunity_edit"),
    path(ONE + "publish/", views.opportunity_publish, name="opportunity_publish"),
    path(ONE + "close/", views.opportunity_close, name="opportunity_close"),
    path(ONE + "archive/", views.opportunity_archive, name="opportunity_archive"),
    path(ONE + "shifts/", views.shift_list, name="shift_list"),
]
