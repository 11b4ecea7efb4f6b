from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"


class UserLanguageMiddleware:
    """Arabic unless the person chose otherwise: their saved preference, else the cookie.

    The browser's Accept-Language is deliberately ignored on pages: Ataa is Arabic first. The
    JSON API (/api/) serves programs that have no cookie, so there it is the saved preference,
    else Accept-Language if it asks for Arabic or English, else Arabic. (A caller identified by
    an API token gets their preference from ataa.api.v1.auth, once the token is checked.)
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        is_api = request.path.startswith(API_PREFIX)
        user = getattr(request, "user", None)
        language = None
        if user is not None and user.is_authenticated:
            language = user.preferred_language
        if language not in self.supported:
            if is_api:
                language = self.accepted_language(request)
            else:
                language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.supported:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if is_api:
            response.headers["Content-Language"] = translation.get_language() or language
            patch_vary_headers(response, ("Accept-Language", "Authorization", "Cookie"))
        else:
            response.headers.setdefault("Content-Language", language)
            patch_vary_headers(response, ("Cookie",))
        return response

    def accepted_language(self, request):
        """The first of Arabic or English that Accept-Language asks for, in its order."""
        header = request.headers.get("Accept-Language", "")
        for code, _quality in parse_accept_lang_header(header[:500]):
            base = code.split("-")[0].lower()
            if base in self.supported:
                return base
        return None
