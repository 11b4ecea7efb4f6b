"""Application pages: apply on the public page, my applications, the coordinators' list."""

from __future__ import annotations

import pytest

from ataa.core.models import AuditEvent
from ataa.opportunities import services
from ataa.opportunities.models import Application, ApplicationQuestion

pytestmark = pytest.mark.django_db


def test_detail_page_offers_the_right_way_to_apply(client, soon, stranger, volunteer):
    url = f"/opportunities/{soon.pk}/"
    assert "/accounts/login/" in client.get(url).content.decode()
    client.force_login(stranger)
    assert "/volunteer/profile/" in client.get(url).content.decode()
    client.force_login(volunteer)
    assert f"/opportunities/{soon.pk}/apply/" in client.get(url).content.decode()


def test_volunteer_applies_with_answers_and_sees_it_in_my_applications(client, soon, volunteer):
    question = ApplicationQuestion.objects.create(opportunity=soon, text_ar="لماذا؟", required=True)
    client.force_login(volunteer)
    response = client.post(f"/opportunities/{soon.pk}/apply/", {f"answer_{question.pk}": "أحب"})
    assert response.status_code == 302 and response["Location"] == "/volunteer/applications/"
    application = Application.objects.get()
    assert application.answers == {str(question.pk): "أحب"}
    page = client.get("/volunteer/applications/").content.decode()
    assert soon.title_ar in page and "/withdraw/" in page
    response = client.post(f"/volunteer/applications/{application.pk}/withdraw/")
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "withdrawn"


def test_ineligible_volunteer_sees_the_reason_and_nothing_is_written(
    client, make_opportunity, make_volunteer
):
    opportunity = make_opportunity(gender_eligibility="men")
    client.force_login(make_volunteer("woman"))
    before = AuditEvent.objects.count()
    response = client.post(f"/opportunities/{opportunity.pk}/apply/")
    assert response.status_code == 400
    assert "This opportunity is for men only." in response.content.decode("utf-8") or (
        "للرجال" in response.content.decode()
    )
    assert not Application.objects.exists()
    assert AuditEvent.objects.count() == before


def test_without_a_profile_the_person_is_sent_to_make_one(client, soon, stranger):
    client.force_login(stranger)
    response = client.post(f"/opportunities/{soon.pk}/apply/")
    assert response.status_code == 302 and response["Location"] == "/volunteer/profile/"
    assert not Application.objects.exists()


def test_someone_elses_application_cannot_be_withdrawn(client, soon, volunteer, make_volunteer):
    application = services.application_submit(volunteer=volunteer, opportunity=soon, answers={})
    client.force_login(make_volunteer("other"))
    assert client.post(f"/volunteer/applications/{application.pk}/withdraw/").status_code == 404
    application.refresh_from_db()
    assert application.status == "pending"


def test_coordinator_decides_and_bulk_accepts(
    client, coordinator, organization, soon, make_volunteer
):
    applications = [
        services.application_submit(volunteer=make_volunteer(f"v{i}"), opportunity=soon, answers={})
        for i in range(3)
    ]
    base = f"/orgs/{organization.pk}/opportunities/{soon.pk}/applications/"
    client.force_login(coordinator)
    page = client.get(base)
    assert page.status_code == 200
    assert "0 of 2 places taken" in page.content.decode() or "0" in page.content.decode()
    response = client.post(f"{base}{applications[0].pk}/decide/", {"action": "waitlist"})
    assert response.status_code == 302
    response = client.post(
        f"{base}bulk-accept/", {"application": [a.pk for a in applications]}, follow=True
    )
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == ["accepted", "accepted", "pending"]
    assert client.get(base, {"status": "accepted"}).status_code == 200
    assert client.get(base, {"status": "nonsense"}).status_code == 200


def test_staff_pages_are_scoped(client, case_worker, outsider, organization, soon, volunteer):
    application = services.application_submit(volunteer=volunteer, opportunity=soon, answers={})
    base = f"/orgs/{organization.pk}/opportunities/{soon.pk}/applications/"
    client.force_login(case_worker)
    assert client.get(base).status_code == 403
    client.force_login(outsider)
    assert client.get(base).status_code == 404
    response = client.post(f"{base}{application.pk}/decide/", {"action": "accept"})
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == "pending"


def test_an_application_of_another_opportunity_is_404(
    client, coordinator, organization, soon, make_opportunity, volunteer
):
    other = make_opportunity()
    application = services.application_submit(volunteer=volunteer, opportunity=other, answers={})
    client.force_login(coordinator)
    url = f"/orgs/{organization.pk}/opportunities/{soon.pk}/applications/{application.pk}/decide/"
    assert client.post(url, {"action": "accept"}).status_code == 404
