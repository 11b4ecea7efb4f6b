"""The signed-in person: GET /me, PATCH /me."""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema

from ataa.accounts import services
from ataa.accounts.forms import ProfileForm
from ataa.accounts.models import Language
from ataa.api.v1.fields import form_field
from ataa.api.v1.schemas import InputSchema

router = Router(tags=["me"])


class MeOut(Schema):
    id: int
    email: str
    full_name: str
    phone: str
    preferred_language: Language
    is_platform_admin: bool
    date_joined: dt.datetime


FullName = form_field(ProfileForm, "full_name")
Phone = form_field(ProfileForm, "phone", description="Digits, optionally starting with +.")


class MePatchIn(InputSchema):
    """Only the fields sent are changed; null is refused."""

    full_name: FullName = None
    phone: Phone = None
    preferred_language: Language = None


@router.get("/me", response=MeOut)
def me_get(request):
    """Your own account."""
    return request.auth


@router.patch("/me", response=MeOut)
def me_update(request, payload: MePatchIn):
    """Change your name, phone or preferred language (the language of the API's messages too)."""
    user = request.auth
    values = {
        "full_name": user.full_name,
        "phone": user.phone,
        "preferred_language": user.preferred_language,
    }
    values.update(payload.model_dump(exclude_unset=True))
    return services.user_update_profile(user=user, **values)
