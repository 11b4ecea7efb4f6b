"""The site's URLs plus one test-only page that fails, to show the 500 page (test_error_pages)."""

from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def fail(request):
    raise RuntimeError("A deliberate failure for the browser tests.")


urlpatterns = [path("__browser-tests__/fail/", fail), *site_urlpatterns]
