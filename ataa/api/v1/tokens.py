"""Your personal access tokens: GET /me/tokens, DELETE /me/tokens/{token_id}.

Tokens are created on the account settings page, which shows the secret once. The API does not
create them: a leaked token must not be able to mint more tokens for itself.
"""

from __future__ import annotations

import datetime as dt

from ninja import Router, Schema
from ninja.pagination import paginate

from ataa.accounts import selectors, services
from ataa.api.v1.pagination import PageNumberPagination
from ataa.core.audit import client_ip

router = Router(tags=["me"])


class TokenOut(Schema):
    """A token without its secret: `hint` is how it starts, so you can recognise it."""

    id: int
    name: str
    hint: str
    created_at: dt.datetime
    expires_at: dt.datetime | None
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    is_active: bool


@router.get("/me/tokens", response=list[TokenOut])
@paginate(PageNumberPagination)
def token_list(request):
    """Your tokens, newest first, including revoked and expired ones."""
    return selectors.token_list(user=request.auth)


@router.delete("/me/tokens/{token_id}", response={204: None})
def token_revoke(request, token_id: int):
    """Revoke one of your tokens; it stops working at once. Revoking twice is harmless."""
    token = selectors.access_token_by_id(request.auth, token_id)
    services.token_revoke(token=token, actor=request.auth, ip_address=client_ip(request))
