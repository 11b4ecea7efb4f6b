from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from ataa.organizations.access import MfaRequired, user_has_mfa


class OrganizationMfaMiddleware:
    """Sends a person refused for lack of two-factor authentication to set it up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Django admin is for staff: with ATAA_PLATFORM_ADMIN_MFA they need two-factor too.
        user = getattr(request, "user", None)
        if (
            request.path.startswith("/admin/")
            and user is not None
            and user.is_authenticated
            and user.is_staff
            and settings.ATAA_PLATFORM_ADMIN_MFA
            and not user_has_mfa(user)
        ):
            return self.process_exception(request, MfaRequired())
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, MfaRequired) and not request.path.startswith("/api/"):
            messages.warning(
                request,
                _("This page requires two-factor authentication. Set up an authenticator app."),
            )
            return redirect("mfa_activate_totp")
        return None
