"""The certificate pages: public verification, the published keys, the volunteer's and the
organization's certificates (ataa.certificates.views)."""

from ataa.certificates import views

urlpatterns = [*views.urlpatterns]
