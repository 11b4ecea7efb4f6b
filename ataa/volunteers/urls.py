from django.urls import path

from ataa.volunteers import views

urlpatterns = [
    path("volunteer/profile/", views.profile_edit, name="volunteer_profile"),
    path("volunteer/districts/", views.district_options, name="volunteer_district_options"),
    path("volunteer/qualifications/", views.qualification_list, name="volunteer_qualifications"),
    path(
        "volunteer/qualifications/remove/",
        views.qualification_remove,
        name="volunteer_qualification_remove",
    ),
]
