from allauth.account.decorators import secure_admin_login
from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from ataa.api.v1.api import api
from ataa.core import views as core_views

# The admin signs in through allauth, so its login has the same lockout and two-factor step.
admin.site.login = secure_admin_login(admin.site.login)

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("ataa.accounts.urls")),
    path("", include("ataa.organizations.urls")),
    path("", include("ataa.volunteers.urls")),
    path("", include("ataa.opportunities.urls")),
    path("", include("ataa.hours.urls")),
    path("", include("ataa.certificates.urls")),
    path("", include("ataa.notifications.urls")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "ataa.core.views.page_not_found"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
