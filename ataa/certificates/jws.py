"""The signed data of a certificate: a JWS compact serialization (RFC 7515) with EdDSA over
Ed25519 (RFC 8037), written with `cryptography` alone (no JOSE library).

    header  = {"alg": "EdDSA", "kid": <key id>, "typ": "ataa-certificate+jws"}
    payload = the certificate's facts
    jws     = b64url(canonical(header)) "." b64url(canonical(payload)) "." b64url(signature)

The signature covers the ASCII bytes of the first two parts joined by "." (the signing input).
Canonical JSON here is UTF-8, keys sorted, no whitespace, and only strings and integers as
values: for such data this is exactly RFC 8785 (JCS), so anyone can rebuild the same bytes.

Verifying needs only the published public keys (the JWK Set at
/.well-known/ataa-certificate-keys.json): `verify_jws(jws, keys)` works offline, without the
database. Nothing here imports Django.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ALGORITHM = "EdDSA"
TYPE = "ataa-certificate+jws"
MAX_JWS_LENGTH = 16_000  # a certificate's JWS is well under 2 kB; refuse anything absurd


class InvalidJWS(ValueError):
    """The data is not a certificate signed by one of the given keys (the reason in `code`)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    if not isinstance(text, str) or not text.isascii() or "=" in text:
        raise InvalidJWS("malformed")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise InvalidJWS("malformed") from None


def canonical_json(value: Mapping) -> bytes:
    """RFC 8785 for objects whose values are strings, integers or such objects."""
    _check_canonical_types(value)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def _check_canonical_types(value) -> None:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError("canonical JSON keys are strings")
            _check_canonical_types(item)
    elif isinstance(value, bool) or not isinstance(value, (str, int)):
        raise TypeError(f"canonical JSON here takes strings and integers, not {type(value)}")


def sign(payload: Mapping, *, private_key: Ed25519PrivateKey, kid: str) -> str:
    """The compact JWS of `payload` signed with `private_key` under the key id `kid`."""
    header = {"alg": ALGORITHM, "kid": kid, "typ": TYPE}
    signing_input = (
        f"{b64url_encode(canonical_json(header))}.{b64url_encode(canonical_json(payload))}"
    )
    signature = private_key.sign(signing_input.encode("ascii"))
    return f"{signing_input}.{b64url_encode(signature)}"


@dataclass(frozen=True)
class Verified:
    kid: str
    payload: dict


def public_keys_from_jwks(jwks: Mapping) -> dict[str, bytes]:
    """{kid: raw Ed25519 public key} of a JWK Set's Ed25519 signing keys (others are skipped)."""
    keys = {}
    for jwk in jwks.get("keys", []) if isinstance(jwks, Mapping) else []:
        if not isinstance(jwk, Mapping):
            continue
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or "d" in jwk:
            continue
        if jwk.get("use", "sig") != "sig" or jwk.get("alg", ALGORITHM) != ALGORITHM:
            continue
        kid, x = jwk.get("kid"), jwk.get("x")
        if isinstance(kid, str) and isinstance(x, str):
            try:
                raw = b64url_decode(x)
            except InvalidJWS:
                continue
            if len(raw) == 32:
                keys[kid] = raw
    return keys


def verify_jws(jws: str, keys: Mapping[str, bytes] | Mapping) -> Verified:
    """The key id and facts of `jws` if one of `keys` signed it; else InvalidJWS.

    `keys`: {kid: raw 32-byte public key}, or a JWK Set as published. Offline: no database."""
    if isinstance(keys, Mapping) and isinstance(keys.get("keys"), list):
        keys = public_keys_from_jwks(keys)
    if not isinstance(jws, str) or len(jws) > MAX_JWS_LENGTH:
        raise InvalidJWS("malformed")
    jws = jws.strip()
    parts = jws.split(".")
    if len(parts) != 3:
        raise InvalidJWS("malformed")
    header = _json_object(b64url_decode(parts[0]))
    if header.get("alg") != ALGORITHM or header.get("typ") != TYPE:
        raise InvalidJWS("unsupported")
    if set(header) - {"alg", "kid", "typ"}:
        raise InvalidJWS("unsupported")  # no "crit", no embedded keys: nothing we do not check
    raw_key = keys.get(header.get("kid")) if isinstance(header.get("kid"), str) else None
    if raw_key is None:
        raise InvalidJWS("unknown_key")
    signature = b64url_decode(parts[2])
    try:
        Ed25519PublicKey.from_public_bytes(raw_key).verify(
            signature, f"{parts[0]}.{parts[1]}".encode("ascii")
        )
    except (InvalidSignature, ValueError):
        raise InvalidJWS("bad_signature") from None
    payload = _json_object(b64url_decode(parts[1]))
    return Verified(kid=header["kid"], payload=payload)


def _json_object(data: bytes) -> dict:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise InvalidJWS("malformed") from None
    if not isinstance(value, dict):
        raise InvalidJWS("malformed")
    return value


def jwk_of(kid: str, raw_public_key: bytes) -> dict:
    """The public JWK (RFC 8037) of an Ed25519 key."""
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": b64url_encode(raw_public_key),
        "kid": kid,
        "use": "sig",
        "alg": ALGORITHM,
    }


def jwks_of(keys: Iterable[tuple[str, bytes]]) -> dict:
    return {"keys": [jwk_of(kid, raw) for kid, raw in keys]}
