"""Issuing, revoking and verifying certificates; the signing keys and their rotation."""

from __future__ import annotations

import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from ataa.certificates import jws, keys, services
from ataa.certificates.models import Certificate, SigningKey
from ataa.certificates.tests.conftest import HOLDER_NAME_AR, HOLDER_NAME_LATIN
from ataa.core.errors import ServiceError
from ataa.core.models import AuditEvent
from conftest import table_state

pytestmark = pytest.mark.django_db

FACT_KEYS = {
    "v",
    "code",
    "kind",
    "holder_name_ar",
    "holder_name_latin",
    "organization_ar",
    "organization_en",
    "opportunity_ar",
    "opportunity_en",
    "minutes",
    "first_day",
    "last_day",
    "issued_on",
    "issuer",
}


def state():
    return table_state(Certificate, SigningKey, AuditEvent)


# --- Issuing ----------------------------------------------------------------------------------


def test_the_volunteer_gets_a_signed_certificate_of_their_approved_hours(
    certificate, holder, site_opportunity, organization, shift
):
    assert certificate.volunteer == holder
    assert certificate.organization == organization
    assert certificate.minutes == 150
    assert certificate.first_day == certificate.last_day
    assert certificate.language == "en"
    assert certificate.issued_by == holder
    assert len(certificate.code) == 10 and certificate.display_code.count("-") == 1

    verified = jws.verify_jws(certificate.jws, keys.published_keys())
    assert verified.kid == certificate.key.kid
    facts = verified.payload
    # What the certificate shows, and nothing more about the person.
    assert set(facts) == FACT_KEYS
    assert facts["holder_name_ar"] == HOLDER_NAME_AR
    assert facts["holder_name_latin"] == HOLDER_NAME_LATIN
    assert facts["organization_ar"] == organization.name_ar
    assert facts["opportunity_en"] == site_opportunity.title_en
    assert facts["minutes"] == 150 and facts["issuer"] == "Ataa" and facts["kind"] == "hours"
    assert facts["first_day"] == certificate.first_day.isoformat()

    event = AuditEvent.objects.get(verb="certificate.issued")
    assert event.target_id == str(certificate.pk)
    assert event.payload == {
        "volunteer_id": holder.pk,
        "opportunity_id": site_opportunity.pk,
        "minutes": 150,
        "key_id": certificate.key_id,
    }


def test_a_coordinator_may_issue_it_for_the_volunteer(coordinator, holder, site_opportunity):
    certificate = services.issue_hours_certificate(
        actor=coordinator, volunteer=holder, opportunity=site_opportunity
    )
    assert certificate.issued_by == coordinator and certificate.language == "ar"


def test_without_a_latin_name_the_payload_leaves_it_out(
    make_volunteer, work_hours, site_opportunity
):
    volunteer = make_volunteer("arabic-only")
    work_hours(volunteer)
    certificate = services.issue_hours_certificate(
        actor=volunteer, volunteer=volunteer, opportunity=site_opportunity
    )
    facts = jws.verify_jws(certificate.jws, keys.published_keys()).payload
    assert "holder_name_latin" not in facts
    assert set(facts) == FACT_KEYS - {"holder_name_latin"}


def test_pending_hours_are_not_certified_and_nothing_is_written(
    make_volunteer, work_hours, site_opportunity
):
    volunteer = make_volunteer("pending")
    work_hours(volunteer, approve=False)
    before = state()
    with pytest.raises(ServiceError) as refused:
        services.issue_hours_certificate(
            actor=volunteer, volunteer=volunteer, opportunity=site_opportunity
        )
    assert refused.value.code == "no_approved_hours"
    assert state() == before


def test_the_same_certificate_is_never_issued_twice(certificate, holder, site_opportunity):
    before = state()
    with pytest.raises(ServiceError) as refused:
        services.issue_hours_certificate(
            actor=holder, volunteer=holder, opportunity=site_opportunity
        )
    assert refused.value.code == "already_issued"
    assert state() == before


@pytest.mark.parametrize("who", ["other_volunteer", "outsider", "case_worker"])
def test_nobody_else_issues_a_volunteers_certificate(request, who, holder, site_opportunity):
    actor = request.getfixturevalue(who)
    before = state()
    with pytest.raises(ServiceError) as refused:
        services.issue_hours_certificate(
            actor=actor, volunteer=holder, opportunity=site_opportunity
        )
    assert refused.value.code == "forbidden"
    assert state() == before


def test_a_bad_language_is_refused(holder, site_opportunity):
    before = state()
    with pytest.raises(ServiceError) as refused:
        services.issue_hours_certificate(
            actor=holder, volunteer=holder, opportunity=site_opportunity, language="fr"
        )
    assert refused.value.code == "invalid_input" and "language" in refused.value.fields
    assert state() == before


# --- Revoking ---------------------------------------------------------------------------------


def test_revoking_needs_a_reason_is_audited_with_ids_only_and_frees_a_new_issue(
    certificate, coordinator, holder, site_opportunity
):
    before = state()
    for reason in ("", "   ", "x" * 301):
        with pytest.raises(ServiceError) as refused:
            services.revoke_certificate(actor=coordinator, certificate=certificate, reason=reason)
        assert refused.value.code == "invalid_input" and "reason" in refused.value.fields
    assert state() == before

    revoked = services.revoke_certificate(
        actor=coordinator, certificate=certificate, reason="Hours entered for the wrong person"
    )
    assert revoked.revoked_at and revoked.revoked_by == coordinator
    event = AuditEvent.objects.get(verb="certificate.revoked")
    assert event.payload == {"volunteer_id": holder.pk}
    assert "wrong person" not in str(event.payload)

    before = state()
    with pytest.raises(ServiceError) as refused:
        services.revoke_certificate(actor=coordinator, certificate=revoked, reason="again")
    assert refused.value.code == "already_revoked"
    assert state() == before

    again = services.issue_hours_certificate(
        actor=holder, volunteer=holder, opportunity=site_opportunity
    )
    assert again.code != certificate.code
    assert services.verify_code(certificate.code).status == "revoked"
    assert services.verify_code(again.code).status == "valid"


@pytest.mark.parametrize("who", ["holder", "outsider", "case_worker", "auditor"])
def test_only_the_organizations_managers_revoke(request, who, certificate):
    actor = request.getfixturevalue(who)
    before = state()
    with pytest.raises(ServiceError) as refused:
        services.revoke_certificate(actor=actor, certificate=certificate, reason="no")
    assert refused.value.code == "forbidden"
    assert state() == before


# --- Verifying --------------------------------------------------------------------------------


def test_verify_code_accepts_the_code_as_people_type_it(certificate):
    typed = f" {certificate.display_code.lower()} "
    result = services.verify_code(typed)
    assert result.status == "valid"
    assert result.facts["code"] == certificate.code
    assert result.jws == certificate.jws
    spaced = " ".join(certificate.code)
    assert services.verify_code(spaced).status == "valid"


@pytest.mark.parametrize(
    "code", ["", "ABCDE-FGHJK", "0000000000", "x" * 10_000, None, "<script>", "١٢٣٤٥٦٧٨٩٠"]
)
def test_an_unknown_or_malformed_code_is_unknown(certificate, code):
    result = services.verify_code(code)
    assert result.status == "unknown" and result.facts is None and result.jws == ""


def test_a_certificate_whose_signed_data_was_changed_in_the_database_is_not_valid(certificate):
    header, _payload, signature = certificate.jws.split(".")
    facts = jws.verify_jws(certificate.jws, keys.published_keys()).payload
    facts["minutes"] = 6000
    forged = f"{header}.{jws.b64url_encode(jws.canonical_json(facts))}.{signature}"
    Certificate.objects.filter(pk=certificate.pk).update(jws=forged)
    assert services.verify_code(certificate.code).status == "unknown"


def test_verify_jws_works_offline_from_the_published_key_set(certificate, client):
    key_set = client.get("/.well-known/ataa-certificate-keys.json").json()
    verified = jws.verify_jws(certificate.jws, key_set)
    assert verified.payload["code"] == certificate.code


@pytest.mark.parametrize(
    "change",
    [
        "alg_none",
        "unknown_kid",
        "extra_header",
        "two_parts",
        "garbage",
    ],
)
def test_verify_jws_refuses_what_it_cannot_check(certificate, change):
    header, payload, signature = certificate.jws.split(".")
    header_facts = {"alg": "EdDSA", "kid": certificate.key.kid, "typ": jws.TYPE}
    if change == "alg_none":
        header_facts["alg"] = "none"
    elif change == "unknown_kid":
        header_facts["kid"] = "k2020-01-00000000"
    elif change == "extra_header":
        header_facts["jwk"] = "embedded"
    new_header = jws.b64url_encode(jws.canonical_json(header_facts))
    token = {
        "two_parts": f"{header}.{payload}",
        "garbage": "not a jws at all",
    }.get(change, f"{new_header}.{payload}.{signature}")
    with pytest.raises(jws.InvalidJWS):
        jws.verify_jws(token, keys.published_keys())


# --- Keys ------------------------------------------------------------------------------------


def test_the_first_key_is_made_on_first_use_and_its_private_half_stays_in_a_0600_file(
    key_directory,
):
    assert not SigningKey.objects.exists()
    key = keys.current_signing_key()
    assert keys.current_signing_key() == key
    path = key_directory / f"{key.kid}.pem"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_directory.stat().st_mode) == 0o700
    assert b"PRIVATE KEY" in path.read_bytes()
    row = SigningKey.objects.filter(pk=key.pk).values().get()
    assert len(jws.b64url_decode(row["public_key"])) == 32
    assert "PRIVATE" not in str(row)


def test_rotation_retires_the_old_key_which_stays_published_and_keeps_verifying(
    certificate, make_volunteer, work_hours, site_opportunity
):
    old = certificate.key
    new = keys.rotate_signing_key()
    old.refresh_from_db()
    assert old.retired_at is not None and new.retired_at is None
    assert keys.current_signing_key() == new
    assert set(keys.published_keys()) == {old.kid, new.kid}
    assert AuditEvent.objects.filter(verb="certificates.key_rotated").count() == 1

    assert services.verify_code(certificate.code).status == "valid"
    later = make_volunteer("later")
    work_hours(later)
    newer = services.issue_hours_certificate(
        actor=later, volunteer=later, opportunity=site_opportunity
    )
    assert newer.key == new
    assert services.verify_code(newer.code).status == "valid"


def test_a_missing_private_key_file_stops_issuing_clearly(key_directory, holder, site_opportunity):
    key = keys.current_signing_key()
    (key_directory / f"{key.kid}.pem").unlink()
    with pytest.raises(ImproperlyConfigured, match=key.kid):
        services.issue_hours_certificate(
            actor=holder, volunteer=holder, opportunity=site_opportunity
        )
    assert not Certificate.objects.exists()
