from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ataa.accounts import selectors, services
from ataa.accounts.forms import ProfileForm, TokenForm
from ataa.accounts.models import Language
from ataa.core.audit import client_ip


@login_required
def account_settings(request):
    form = ProfileForm.for_user(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.user_update_profile(user=request.user, **form.cleaned_data)
        messages.success(request, _("Your settings are saved."))
        response = redirect("account_settings")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            request.user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
        return response
    return render(request, "accounts/account_settings.html", {"form": form})


@login_required
def token_list(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = services.token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            expires_in_days=form.cleaned_data["expires_in_days"] or None,
            ip_address=client_ip(request),
        )
        form = TokenForm()
    return render(
        request,
        "accounts/token_list.html",
        {"form": form, "tokens": selectors.token_list(user=request.user), "new_token": new_token},
    )


@login_required
@require_POST
def token_revoke(request, token_id):
    token = selectors.access_token_by_id(request.user, token_id)
    services.token_revoke(token=token, actor=request.user, ip_address=client_ip(request))
    messages.success(request, _("The token is revoked and no longer works."))
    return redirect("token_list")


@require_POST
def language_switch(request):
    """Switch between Arabic and English; remembered in a cookie and on the person's account."""
    language = request.POST.get("language")
    if language not in Language.values:
        return HttpResponseBadRequest(_("Choose Arabic or English."))
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if request.user.is_authenticated:
        services.user_set_language(user=request.user, language=language)
    response = redirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        samesite="Lax",
    )
    return response
