from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ataa.organizations.access import MfaRequired


class OrganizationMfaMiddleware:
    """Sends a person refused for lack of two-factor authentication to set it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MfaRequired) and not request.path.startswith("/api/"):
            messages.warning(
                request,
                _("This page requires two-factor authentication. Set up an authenticator app."),
            )
            return redirect("mfa_activate_totp")
        return None
