from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import defaults
from django.views.decorators.cache import never_cache

from ataa.core.health import broker_status, database_status


def home(request):
    return render(request, "core/home.html", {"today": timezone.localdate()})


@never_cache
def healthz(request):
    """Liveness and readiness: the database and the task broker answer."""
    checks = {"database": database_status(), "broker": broker_status()}
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503
    )


def page_not_found(request, exception=None):
    """404: the API's error shape under /api/, the page everywhere else."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"error": {"code": "not_found", "message": _("Not found."), "fields": {}}}, status=404
        )
    return defaults.page_not_found(request, exception)
