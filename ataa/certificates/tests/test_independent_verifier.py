"""Acceptance: an independent verifier — only the published public key and a general-purpose
crypto library (PyNaCl, libsodium) — validates a certificate's signature, and a certificate with
one changed character fails.

Nothing from Ataa is imported for the check: the verifier reads the JWK Set at the well-known
address and the signed data from the public verification API, as anyone on the internet could.
(The fixtures issue the certificates through Ataa's services.)
"""

from __future__ import annotations

import base64
import json

import pytest
from nacl.exceptions import BadSignatureError
from nacl.signing import VerifyKey

pytestmark = pytest.mark.django_db

KEYS_URL = "/.well-known/ataa-certificate-keys.json"


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def b64url_encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def published_keys(client) -> dict[str, bytes]:
    response = client.get(KEYS_URL)
    assert response.status_code == 200
    keys = {}
    for jwk in response.json()["keys"]:
        assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["alg"] == "EdDSA"
        assert "d" not in jwk  # never the private key
        keys[jwk["kid"]] = b64url_decode(jwk["x"])
    return keys


def signed_data(client, code: str) -> str:
    response = client.get(f"/api/v1/certificates/verify/{code}")
    assert response.status_code == 200
    return response.json()["jws"]


def independently_verify(jws: str, keys: dict[str, bytes]) -> dict:
    """RFC 7515 compact JWS with EdDSA (RFC 8037), checked with libsodium alone."""
    header_b64, payload_b64, signature_b64 = jws.split(".")
    header = json.loads(b64url_decode(header_b64))
    assert header["alg"] == "EdDSA"
    signing_input = f"{header_b64}.{payload_b64}".encode("ascii")
    VerifyKey(keys[header["kid"]]).verify(signing_input, b64url_decode(signature_b64))
    return json.loads(b64url_decode(payload_b64))


def with_one_letter_changed(jws: str) -> str:
    """The same JWS whose payload has one letter of the holder's name changed."""
    header_b64, payload_b64, signature_b64 = jws.split(".")
    payload = b64url_decode(payload_b64).decode("utf-8")
    name = json.loads(payload)["holder_name_latin"]
    changed = name.replace("R", "K", 1)
    assert changed != name
    tampered = payload.replace(name, changed).encode("utf-8")
    return f"{header_b64}.{b64url_encode(tampered)}.{signature_b64}"


def test_the_published_key_validates_the_signature_and_one_changed_letter_fails(
    client, certificate
):
    keys = published_keys(client)
    jws = signed_data(client, certificate.code)

    facts = independently_verify(jws, keys)
    assert facts["code"] == certificate.code
    assert facts["holder_name_latin"] == "Reem Al-Dosari"
    assert facts["minutes"] == 150
    # The payload is canonical JSON (keys sorted, no whitespace, UTF-8): anyone can rebuild it.
    raw = b64url_decode(jws.split(".")[1])
    assert raw == json.dumps(
        facts, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")

    with pytest.raises(BadSignatureError):
        independently_verify(with_one_letter_changed(jws), keys)
    # One changed character anywhere in the signed part fails too.
    header_b64, payload_b64, signature_b64 = jws.split(".")
    flipped = payload_b64[:10] + ("A" if payload_b64[10] != "A" else "B") + payload_b64[11:]
    with pytest.raises(BadSignatureError):
        independently_verify(f"{header_b64}.{flipped}.{signature_b64}", keys)


def test_after_a_key_rotation_the_old_certificate_still_verifies_independently(
    client, certificate, make_volunteer, work_hours, site_opportunity
):
    import io

    from django.core.management import call_command

    from ataa.certificates.services import issue_hours_certificate

    old_kid = json.loads(b64url_decode(certificate.jws.split(".")[0]))["kid"]
    call_command("rotate_certificate_key", stdout=io.StringIO())
    later = make_volunteer("later")
    work_hours(later)
    newer = issue_hours_certificate(actor=later, volunteer=later, opportunity=site_opportunity)

    keys = published_keys(client)
    assert len(keys) == 2 and old_kid in keys
    old_facts = independently_verify(signed_data(client, certificate.code), keys)
    new_jws = signed_data(client, newer.code)
    assert json.loads(b64url_decode(new_jws.split(".")[0]))["kid"] != old_kid
    new_facts = independently_verify(new_jws, keys)
    assert (old_facts["code"], new_facts["code"]) == (certificate.code, newer.code)
