"""The coordinators' pages: every one through the chokepoint; refused actions change nothing."""

import pytest

from ataa.core.models import AuditEvent, City
from ataa.opportunities.models import Opportunity, Shift

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title_ar": "تنظيف الشاطئ",
        "title_en": "Beach clean-up",
        "work_mode": "on_site",
        "city": City.objects.get(code="jeddah").pk,
        "gender_eligibility": "everyone",
        "capacity": "12",
        "starts_on": "2026-03-01",
        "ends_on": "2026-03-20",
        "visibility": "public",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_publishes_and_sees_the_list(client, coordinator, organization):
    client.force_login(coordinator)
    base = f"/orgs/{organization.pk}/opportunities/"
    assert client.get(base + "new/").status_code == 200
    response = client.post(base + "new/", form_data())
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{base}{opportunity.pk}/edit/"
    assert client.post(f"{base}{opportunity.pk}/publish/").status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == "published"
    response = client.get(base)
    assert response.status_code == 200
    assert "تنظيف الشاطئ" in response.content.decode()


def test_invalid_form_shows_errors_and_writes_nothing(client, coordinator, organization):
    client.force_login(coordinator)
    response = client.post(
        f"/orgs/{organization.pk}/opportunities/new/", form_data(age_min="40", age_max="20")
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Opportunity.objects.exists()


def test_case_worker_sees_the_list_but_cannot_create(client, case_worker, organization, draft):
    client.force_login(case_worker)
    assert client.get(f"/orgs/{organization.pk}/opportunities/").status_code == 200
    assert (
        client.post(f"/orgs/{organization.pk}/opportunities/new/", form_data()).status_code == 403
    )
    response = client.post(f"/orgs/{organization.pk}/opportunities/{draft.pk}/publish/")
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert Opportunity.objects.count() == 1


def test_outsider_gets_404_everywhere(client, outsider, organization, draft):
    client.force_login(outsider)
    base = f"/orgs/{organization.pk}/opportunities/"
    for url in (base, base + "new/", f"{base}{draft.pk}/edit/", f"{base}{draft.pk}/shifts/"):
        assert client.get(url).status_code == 404
    assert client.post(f"{base}{draft.pk}/publish/").status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_opportunity_of_another_organization_is_404_in_mine(
    client, outsider, other_organization, organization, draft
):
    client.force_login(outsider)
    url = f"/orgs/{other_organization.pk}/opportunities/{draft.pk}/edit/"
    assert client.get(url).status_code == 404


def test_edit_shows_the_share_link_of_an_unlisted_opportunity(
    client, coordinator, organization, make_opportunity
):
    unlisted = make_opportunity(visibility="unlisted")
    client.force_login(coordinator)
    content = client.get(
        f"/orgs/{organization.pk}/opportunities/{unlisted.pk}/edit/"
    ).content.decode()
    assert f"?key={unlisted.share_token}" in content


def test_illegal_transition_shows_a_message_and_changes_nothing(
    client, coordinator, organization, draft
):
    client.force_login(coordinator)
    events = AuditEvent.objects.count()
    response = client.post(f"/orgs/{organization.pk}/opportunities/{draft.pk}/close/", follow=True)
    assert response.status_code == 200
    assert list(response.context["messages"])
    draft.refresh_from_db()
    assert draft.status == "draft"
    assert AuditEvent.objects.count() == events


def test_shift_pages(client, coordinator, organization, published):
    client.force_login(coordinator)
    url = f"/orgs/{organization.pk}/opportunities/{published.pk}/shifts/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "action": "single",
            "starts_at": "2026-03-02T08:00",
            "ends_at": "2026-03-02T12:00",
            "capacity": "3",
        },
    )
    assert response.status_code == 302
    response = client.post(
        url,
        {
            "action": "weekly",
            "weekly-weekdays": ["5", "1"],
            "weekly-start_time": "16:00",
            "weekly-end_time": "20:00",
            "weekly-from_date": "2026-03-01",
            "weekly-until_date": "2026-03-14",
            "weekly-capacity": "4",
        },
    )
    assert response.status_code == 302
    assert Shift.objects.count() == 5
    assert "2026" in client.get(url).content.decode()


def test_auditor_sees_shifts_but_cannot_add(client, auditor, organization, published):
    client.force_login(auditor)
    url = f"/orgs/{organization.pk}/opportunities/{published.pk}/shifts/"
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"starts_at": "2026-03-02T08:00", "ends_at": "2026-03-02T12:00", "capacity": "3"}
    )
    assert response.status_code == 403
    assert not Shift.objects.exists()
