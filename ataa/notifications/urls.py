from django.urls import path

from ataa.notifications import views

urlpatterns = [
    path("account/notifications/", views.notification_settings, name="notification_settings"),
]
