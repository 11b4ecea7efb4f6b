"""Writes to accounts: one transaction, one audit event each."""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.utils import timezone

from ataa.accounts.models import Language, PersonalAccessToken, User, hash_token
from ataa.core.audit import audit_record


@transaction.atomic
def user_update_profile(*, user: User, full_name: str, phone: str, preferred_language: str) -> User:
    user.full_name = full_name.strip()
    user.phone = phone.strip()
    user.preferred_language = Language(preferred_language)
    user.save(update_fields=["full_name", "phone", "preferred_language"])
    audit_record(actor=user, verb="account.profile_updated", target=user)
    return user


def user_set_language(*, user: User, language: str) -> User:
    language = Language(language)
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    return user


@transaction.atomic
def token_create(
    *, user: User, name: str, expires_in_days: int | None = None, ip_address: str | None = None
) -> tuple[PersonalAccessToken, str]:
    """Create a token; return it and the raw secret, which is never stored nor shown again."""
    raw = PersonalAccessToken.PREFIX + secrets.token_urlsafe(32)
    token = PersonalAccessToken.objects.create(
        user=user,
        name=name.strip(),
        token_hash=hash_token(raw),
        hint=raw[: len(PersonalAccessToken.PREFIX) + 4],
        expires_at=timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None,
    )
    audit_record(actor=user, verb="token.created", target=token, ip_address=ip_address)
    return token, raw


@transaction.atomic
def token_revoke(*, token: PersonalAccessToken, actor: User, ip_address: str | None = None) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(actor=actor, verb="token.revoked", target=token, ip_address=ip_address)


def token_authenticate(raw: str) -> User | None:
    """The user a raw token belongs to, or None if it is unknown, revoked or expired."""
    if not raw or not raw.startswith(PersonalAccessToken.PREFIX):
        return None
    token = (
        PersonalAccessToken.objects.usable()
        .select_related("user")
        .filter(token_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
