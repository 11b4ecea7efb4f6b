from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.full_name = form.cleaned_data.get("full_name", "").strip()
        language = getattr(request, "LANGUAGE_CODE", None)
        if language in ("ar", "en"):
            user.preferred_language = language
        if commit:
            user.save()
        return user
