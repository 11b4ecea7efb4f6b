"""The certificate pages: public verification, the published keys, the volunteer's and the
organization's certificates."""

from __future__ import annotations

import pytest

from ataa.certificates import services
from ataa.certificates.models import Certificate
from ataa.certificates.tests.conftest import HOLDER_NAME_AR, HOLDER_NAME_LATIN, HOLDER_PHONE
from ataa.core.models import AuditEvent
from conftest import NASTY_VALUES, table_state

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    """Pages in English: the language cookie for visitors, the preference for people signed in."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def login(client, user):
    user.preferred_language = "en"
    user.save(update_fields=["preferred_language"])
    client.force_login(user)


def page(response) -> str:
    return response.content.decode()


# --- Public verification ------------------------------------------------------------------------


def test_anyone_verifies_a_valid_certificate_and_sees_only_its_facts(client, certificate, holder):
    response = client.get(f"/verify/{certificate.code}/")
    assert response.status_code == 200
    html = page(response)
    assert 'name="robots" content="noindex"' in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "is valid" in html
    assert HOLDER_NAME_AR in html and HOLDER_NAME_LATIN in html
    assert certificate.display_code in html
    assert "2 h 30 min" in html
    # Nothing about the person beyond the certificate.
    for private in (holder.email, HOLDER_PHONE, "1995", f"/{holder.pk}/"):
        assert private not in html


def test_the_code_may_be_typed_with_dashes_spaces_and_small_letters(client, certificate):
    response = client.get("/verify/", {"code": f" {certificate.display_code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.code}/"
    response = client.get(f"/verify/{certificate.display_code.lower()}/")
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{certificate.code}/"


def test_the_form_page_explains_a_code_that_cannot_be_one(client):
    response = client.get("/verify/")
    assert response.status_code == 200
    assert 'for="id_code"' in page(response)
    response = client.get("/verify/", {"code": "12"})
    assert response.status_code == 200
    assert "10 letters and digits" in page(response)


def test_an_unknown_code_says_so(client, certificate):
    response = client.get("/verify/ABCDEFGHJK/")
    assert response.status_code == 404
    html = page(response)
    assert "Unknown code" in html
    assert HOLDER_NAME_AR not in html


@pytest.mark.parametrize("value", NASTY_VALUES[2:])
def test_nasty_codes_answer_unknown_or_the_form_never_a_500(client, value):
    response = client.get("/verify/", {"code": value})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in page(response)


def test_a_revoked_certificate_says_revoked_and_when_but_not_why(client, certificate, coordinator):
    services.revoke_certificate(
        actor=coordinator, certificate=certificate, reason="Recorded for the wrong volunteer"
    )
    response = client.get(f"/verify/{certificate.code}/")
    assert response.status_code == 200
    html = page(response)
    assert "has been revoked" in html
    assert "wrong volunteer" not in html


def test_the_published_keys_are_a_cacheable_jwk_set_without_private_parts(client, certificate):
    response = client.get("/.well-known/ataa-certificate-keys.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk-set+json"
    assert response["Cache-Control"] == "public, max-age=3600"
    (jwk,) = response.json()["keys"]
    assert jwk == {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": certificate.key.public_key,
        "kid": certificate.key.kid,
        "use": "sig",
        "alg": "EdDSA",
    }


# --- The volunteer's certificates ---------------------------------------------------------------


def test_the_volunteer_gets_the_certificate_from_their_page(client, holder, site_opportunity):
    login(client, holder)
    response = client.get("/volunteer/certificates/")
    assert response.status_code == 200
    html = page(response)
    assert site_opportunity.title_en in html or site_opportunity.title_ar in html
    assert "Get the certificate" in html

    response = client.post(
        "/volunteer/certificates/", {"opportunity": site_opportunity.pk, "language": "en"}
    )
    assert response.status_code == 302
    certificate = Certificate.objects.get(volunteer=holder)
    assert certificate.language == "en"

    html = page(client.get("/volunteer/certificates/"))
    assert certificate.display_code in html
    assert "Get the certificate" not in html

    # Asking again changes nothing.
    before = table_state(Certificate, AuditEvent)
    response = client.post(
        "/volunteer/certificates/",
        {"opportunity": site_opportunity.pk, "language": "en"},
        follow=True,
    )
    assert "already been issued" in page(response)
    assert table_state(Certificate, AuditEvent) == before


def test_a_volunteer_without_approved_hours_cannot_get_one(
    client, make_volunteer, work_hours, site_opportunity
):
    volunteer = make_volunteer("pending")
    work_hours(volunteer, approve=False)
    login(client, volunteer)
    assert "Get the certificate" not in page(client.get("/volunteer/certificates/"))
    for value in (site_opportunity.pk, "x", "", 999999):
        response = client.post("/volunteer/certificates/", {"opportunity": value, "language": "ar"})
        assert response.status_code == 302
    assert not Certificate.objects.exists()


def test_the_signed_data_downloads_for_its_holder_only(
    client, certificate, holder, other_volunteer
):
    login(client, holder)
    response = client.get(f"/volunteer/certificates/{certificate.pk}/signed-data/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jose"
    assert f"certificate-{certificate.code}.jws" in response["Content-Disposition"]
    assert response.content.decode().strip() == certificate.jws

    login(client, other_volunteer)
    response = client.get(f"/volunteer/certificates/{certificate.pk}/signed-data/")
    assert response.status_code == 404


def test_the_volunteer_page_needs_a_login(client):
    response = client.get("/volunteer/certificates/")
    assert response.status_code == 302 and "login" in response["Location"]


# --- The organization's certificates ------------------------------------------------------------


def test_a_coordinator_sees_the_certificates_and_revokes_one_with_a_reason(
    client, certificate, coordinator, organization
):
    login(client, coordinator)
    url = f"/orgs/{organization.pk}/certificates/"
    response = client.get(url)
    assert response.status_code == 200
    html = page(response)
    assert certificate.display_code in html and HOLDER_NAME_AR in html

    before = table_state(Certificate, AuditEvent)
    response = client.post(f"{url}{certificate.pk}/revoke/", {"reason": " "}, follow=True)
    assert table_state(Certificate, AuditEvent) == before

    response = client.post(f"{url}{certificate.pk}/revoke/", {"reason": "Wrong person"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_by == coordinator
    assert certificate.revocation_reason == "Wrong person"
    assert "Wrong person" in page(client.get(url))


def test_another_organizations_certificate_answers_404_and_nothing_changes(
    client, certificate, outsider, other_organization, organization, case_worker
):
    before = table_state(Certificate, AuditEvent)
    login(client, outsider)
    assert client.get(f"/orgs/{organization.pk}/certificates/").status_code == 404
    assert (
        client.post(
            f"/orgs/{organization.pk}/certificates/{certificate.pk}/revoke/", {"reason": "x"}
        ).status_code
        == 404
    )
    # Through their own organization's address: still not theirs.
    assert (
        client.post(
            f"/orgs/{other_organization.pk}/certificates/{certificate.pk}/revoke/",
            {"reason": "x"},
        ).status_code
        == 404
    )
    login(client, case_worker)
    assert client.get(f"/orgs/{organization.pk}/certificates/").status_code == 403
    assert table_state(Certificate, AuditEvent) == before


# --- Query counts -------------------------------------------------------------------------------


def test_the_lists_cost_the_same_queries_for_one_row_as_for_many(
    client,
    django_assert_max_num_queries,
    coordinator,
    organization,
    make_volunteer,
    make_opportunity,
    make_shift,
    accept,
    work_hours,
    certificate,
    holder,
):
    import datetime as dt

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url, user):
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    org_url = f"/orgs/{organization.pk}/certificates/"
    mine_url = "/volunteer/certificates/"
    org_one, mine_one = count(org_url, coordinator), count(mine_url, holder)

    # More certificates for the organization, and more for the holder at other opportunities.
    for number in range(2):  # the shift has 3 places
        volunteer = make_volunteer(f"more{number}")
        work_hours(volunteer)
        services.issue_hours_certificate(
            actor=volunteer, volunteer=volunteer, opportunity=certificate.opportunity
        )
    from django.utils import timezone

    from ataa.hours import services as hour_services
    from ataa.hours.tests.conftest import during

    for number in range(2):
        start = timezone.localdate() + dt.timedelta(days=5 + number)
        other = make_opportunity(starts_on=start, ends_on=start + dt.timedelta(days=2))
        shift = make_shift(other)
        application = accept(holder, other, shift)
        attendance = hour_services.manual_check_in(
            actor=coordinator,
            application=application,
            at=during(shift, 0),
            reason="r",
            now=during(shift, 1),
        )
        hour_services.manual_check_out(
            actor=coordinator,
            attendance=attendance,
            at=during(shift, 60),
            reason="r",
            now=during(shift, 61),
        )
        hour_services.approve_hours(
            actor=coordinator,
            organization_id=organization.pk,
            entry_ids=list(attendance.hour_entries.values_list("pk", flat=True)),
        )
        if number == 0:
            services.issue_hours_certificate(actor=holder, volunteer=holder, opportunity=other)

    assert Certificate.objects.filter(organization=organization).count() == 4
    assert count(org_url, coordinator) == org_one
    assert count(mine_url, holder) == mine_one
