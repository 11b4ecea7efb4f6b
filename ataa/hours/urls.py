"""The pages of attendance (check-in screen and scanning) and of the hours ledger."""

from ataa.hours import attendance_views, evaluation_views, ledger_views

urlpatterns = [
    *attendance_views.urlpatterns,
    *ledger_views.urlpatterns,
    *evaluation_views.urlpatterns,
]
