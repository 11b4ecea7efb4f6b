"""Renaming an organization makes its opportunities findable by the new name (in the background)."""

import pytest

from ataa.core.models import OutboxMessage
from ataa.core.tasks import run_pending
from ataa.opportunities.selectors import OpportunityFilters, public_opportunity_list
from ataa.organizations import services as organization_services

pytestmark = pytest.mark.django_db


def found(query: str) -> set[str]:
    filters = OpportunityFilters(q=query)
    return set(public_opportunity_list(filters).values_list("title_en", flat=True))


def rename(organization, actor, *, name_ar: str, name_en: str):
    return organization_services.organization_update(
        organization=organization,
        actor=actor,
        name_ar=name_ar,
        name_en=name_en,
        kind=organization.kind,
        city=organization.city,
        registration_number=organization.registration_number,
        require_staff_mfa=organization.require_staff_mfa,
    )


def test_a_renamed_organization_is_found_by_its_new_name(make_opportunity, organization, org_admin):
    make_opportunity(title_en="food baskets")
    assert found("جمعيه النهضه") == set()

    rename(organization, org_admin, name_ar="جمعية النهضة النسائية", name_en="Al-Nahda Society")
    run_pending()

    assert found("جمعيه النهضه") == {"food baskets"}
    assert found("nahda") == {"food baskets"}
    assert found("جمعيه البر") == set()  # the old name no longer finds it


def test_saving_without_a_new_name_queues_nothing(make_opportunity, organization, org_admin):
    make_opportunity(title_en="food baskets")
    before = OutboxMessage.objects.filter(task_name="opportunities.refresh_search_text").count()

    rename(organization, org_admin, name_ar=organization.name_ar, name_en=organization.name_en)

    after = OutboxMessage.objects.filter(task_name="opportunities.refresh_search_text").count()
    assert after == before
