from django.http import Http404

from ataa.accounts.models import PersonalAccessToken, User


def token_list(*, user: User):
    return PersonalAccessToken.objects.filter(user=user).order_by("-created_at")


def access_token_by_id(user: User, token_id: int) -> PersonalAccessToken:
    """A user's own token, or 404: nobody manages another person's tokens."""
    token = PersonalAccessToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404
    return token
