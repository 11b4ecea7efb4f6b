"""The access chokepoint for volunteers' own objects (ADR 0004).

A volunteer's profile and qualifications belong to one person: only that person fetches them
here. Another person's qualification, a missing one and an id that is not a number all answer
404, the same answer, so nobody learns which ids exist.
"""

from __future__ import annotations

from django.http import Http404

from ataa.volunteers.models import Qualification, VolunteerProfile


def access_own_profile(user) -> VolunteerProfile | None:
    """The signed-in person's own profile, or None if they have not made one yet."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    return VolunteerProfile.objects.filter(user=user).first()


def access_qualification_by_id(user, qualification_id) -> Qualification:
    """One of the person's own qualifications; 404 otherwise."""
    if not getattr(user, "is_authenticated", False):
        raise Http404
    try:
        qualification_id = int(qualification_id)
    except (TypeError, ValueError):
        raise Http404 from None
    qualification = (
        Qualification.objects.select_related("profile", "kind")
        .filter(pk=qualification_id, profile__user=user)
        .first()
    )
    if qualification is None:
        raise Http404
    return qualification
