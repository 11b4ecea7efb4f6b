from django.urls import path

from ataa.accounts import views

urlpatterns = [
    path("account/settings/", views.account_settings, name="account_settings"),
    path("account/tokens/", views.token_list, name="token_list"),
    path("account/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("language/", views.language_switch, name="language_switch"),
]
