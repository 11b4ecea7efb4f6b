from django.urls import path

from ataa.opportunities import (
    application_views,
    calendar_views,
    message_views,
    qualification_views,
    question_views,
    roster_views,
    views,
)

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
    path("volunteer/shifts/", calendar_views.my_shifts, name="my_shifts"),
    path(
        "volunteer/shifts/<int:application_id>/withdraw/",
        calendar_views.my_shift_withdraw,
        name="my_shift_withdraw",
    ),
    path(
        "volunteer/shifts/calendar/",
        calendar_views.my_calendar_feed_create,
        name="my_calendar_feed_create",
    ),
    path(
        "volunteer/shifts/calendar/off/",
        calendar_views.my_calendar_feed_revoke,
        name="my_calendar_feed_revoke",
    ),
    path("calendar/<str:token>.ics", calendar_views.calendar_feed_view, name="calendar_feed"),
    # -- shift rosters and exports
    path(ONE + "roster/", roster_views.opportunity_roster, name="opportunity_roster"),
    path(
        ONE + "roster/export/",
        roster_views.opportunity_roster_export,
        name="opportunity_roster_export",
    ),
    path(ONE + "shifts/<int:shift_id>/roster/", roster_views.shift_roster, name="shift_roster"),
    path(
        ONE + "shifts/<int:shift_id>/roster/export/",
        roster_views.shift_roster_export,
        name="shift_roster_export",
    ),
    path(
        ONE + "applications/<int:application_id>/cancel/",
        roster_views.roster_cancel,
        name="roster_cancel",
    ),
    path(
        ONE + "applications/<int:application_id>/no-show/",
        roster_views.roster_no_show,
        name="roster_no_show",
    ),
    path(ONE + "questions/", question_views.question_list, name="question_list"),
    path(
        ONE + "questions/<int:question_id>/",
        question_views.question_edit,
        name="question_edit",
    ),
    path(
        ONE + "questions/<int:question_id>/remove/",
        question_views.question_remove,
        name="question_remove",
    ),
    path(
        ONE + "questions/<int:question_id>/move/",
        question_views.question_move,
        name="question_move",
    ),
    path(
        "orgs/<int:organization_id>/qualifications/",
        qualification_views.qualification_review_list,
        name="qualification_review_list",
    ),
    path(
        "orgs/<int:organization_id>/qualifications/<int:qualification_id>/proof/",
        qualification_views.qualification_review_proof,
        name="qualification_review_proof",
    ),
    path(
        "orgs/<int:organization_id>/qualifications/<int:qualification_id>/verify/",
        qualification_views.qualification_review_verify,
        name="qualification_review_verify",
    ),
    # -- messages to the volunteers of a shift
    path(
        ONE + "shifts/<int:shift_id>/message/",
        message_views.shift_message,
        name="shift_message",
    ),
]
