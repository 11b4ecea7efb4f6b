from django.utils.functional import SimpleLazyObject

from ataa.organizations.selectors import membership_list_for_user


def organizations(request):
    """The person's organizations for the switcher, loaded only if a template uses them."""
    user = getattr(request, "user", None)
    return {
        "my_memberships": SimpleLazyObject(lambda: list(membership_list_for_user(user=user))),
        "current_organization_id": request.session.get("current_organization_id")
        if hasattr(request, "session")
        else None,
    }
