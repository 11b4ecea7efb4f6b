"""The platform's certificate signing keys (Ed25519).

- The public half of each key is a `SigningKey` row and is published, with every key current
  and retired, as a JWK Set at /.well-known/ataa-certificate-keys.json (`jwks()`).
- The private half is a PEM file (PKCS8, unencrypted, mode 0600) named `<kid>.pem` in
  settings.ATAA_SIGNING_KEY_DIR (a directory of mode 0700). It is never stored in the database,
  never logged and never leaves this module except to sign. Back the directory up apart from the
  database: without the current key's file no certificate can be issued (old ones still verify,
  since verifying needs only the public keys).
- `current_signing_key()` makes the first key on first use. `rotate_signing_key()` (and
  `manage.py rotate_certificate_key`) makes a new key current and retires the old one, which
  stays published so the certificates it signed still verify. To retire a key that may have
  leaked, rotate, then revoke and reissue what it signed.

Several web processes may sign at once: the database allows one current key (a unique
constraint), so two processes that make the first key at the same time end up with one.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.utils import timezone

from ataa.certificates import jws
from ataa.certificates.models import SigningKey
from ataa.core.audit import audit_record

KID_PATTERN = re.compile(r"^k\d{4}-\d{2}-[0-9a-f]{8}$")


def key_directory() -> Path:
    directory = Path(settings.ATAA_SIGNING_KEY_DIR)
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    return directory


def _path_of(kid: str) -> Path:
    if not KID_PATTERN.match(kid):
        raise ValueError("not a key id")
    return key_directory() / f"{kid}.pem"


def _new_key_file(now) -> tuple[str, bytes]:
    """Generate a key, write its private half to a new file; (kid, raw public key)."""
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(
        encoding=serialization.Encoding.PEM,
        format=serialization.PrivateFormat.PKCS8,
        encryption_algorithm=serialization.NoEncryption(),
    )
    kid = f"k{now:%Y-%m}-{secrets.token_hex(4)}"
    descriptor = os.open(_path_of(kid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    raw = private_key.public_key().public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )
    return kid, raw


def _remove_key_file(kid: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        _path_of(kid).unlink()


def _create_key(now) -> SigningKey:
    kid, raw = _new_key_file(now)
    try:
        with transaction.atomic():
            return SigningKey.objects.create(
                kid=kid, public_key=jws.b64url_encode(raw), created_at=now
            )
    except IntegrityError:
        _remove_key_file(kid)
        raise


def current_signing_key() -> SigningKey:
    """The key that signs new certificates; the first one is made on first use."""
    key = SigningKey.objects.filter(retired_at__isnull=True).first()
    if key is not None:
        return key
    try:
        return _create_key(timezone.now())
    except IntegrityError:  # another process made it first
        return SigningKey.objects.get(retired_at__isnull=True)


@transaction.atomic
def rotate_signing_key(*, actor=None) -> SigningKey:
    """Make a new key current and retire the one before it (still published). Audited."""
    now = timezone.now()
    retired = list(
        SigningKey.objects.select_for_update()
        .filter(retired_at__isnull=True)
        .values_list("pk", flat=True)
    )
    SigningKey.objects.filter(pk__in=retired).update(retired_at=now)
    key = _create_key(now)
    audit_record(
        actor=actor,
        verb="certificates.key_rotated",
        target=key,
        payload={"retired_key_id": retired[0] if retired else None},
    )
    return key


def private_key_of(key: SigningKey) -> Ed25519PrivateKey:
    try:
        pem = _path_of(key.kid).read_bytes()
    except FileNotFoundError:
        raise ImproperlyConfigured(
            f"The private key file of signing key {key.kid} is missing from "
            "ATAA_SIGNING_KEY_DIR; restore it, or rotate the key."
        ) from None
    private_key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(private_key, Ed25519PrivateKey):
        raise ImproperlyConfigured(f"Signing key {key.kid} is not an Ed25519 key.")
    return private_key


def sign(payload: dict, *, key: SigningKey) -> str:
    return jws.sign(payload, private_key=private_key_of(key), kid=key.kid)


def published_keys() -> dict[str, bytes]:
    """{kid: raw public key} of every key, current and retired: what verifies certificates."""
    return {
        kid: jws.b64url_decode(public_key)
        for kid, public_key in SigningKey.objects.order_by("-created_at", "-pk").values_list(
            "kid", "public_key"
        )
    }


def jwks() -> dict:
    """The JWK Set published at /.well-known/ataa-certificate-keys.json, newest key first."""
    return jws.jwks_of(published_keys().items())
