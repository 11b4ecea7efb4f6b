import datetime as dt

import pytest
from django.utils import timezone

from ataa.core.errors import ServiceError
from ataa.core.models import AuditEvent, City, District
from ataa.opportunities import services
from ataa.opportunities.models import Opportunity, Shift
from ataa.opportunities.tests.conftest import START, details
from conftest import table_state

pytestmark = pytest.mark.django_db


def snapshot():
    return table_state(Opportunity, Shift, AuditEvent)


def test_create_makes_a_draft_with_search_text_and_an_audit_event(organization, coordinator):
    opportunity = services.opportunity_create(
        organization=organization, created_by=coordinator, **details()
    )
    assert opportunity.status == Opportunity.Status.DRAFT
    assert "جمعيه" in opportunity.search_text  # organization name, folded
    assert "رمضان" in opportunity.search_text and "ramadan" in opportunity.search_text
    assert "jeddah" in opportunity.search_text
    assert len(opportunity.share_token) >= 40
    event = AuditEvent.objects.get(verb="opportunity.created")
    assert event.target_id == str(opportunity.pk) and event.payload == {}


@pytest.mark.parametrize("persona", ["case_worker", "auditor", "outsider"])
def test_only_admins_and_coordinators_create(request, organization, persona):
    user = request.getfixturevalue(persona)
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.opportunity_create(organization=organization, created_by=user, **details())
    assert refused.value.code == "forbidden"
    assert snapshot() == before


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"age_min": 30, "age_max": 20}, "age_max"),
        ({"ends_on": START - dt.timedelta(days=1)}, "ends_on"),
        ({"capacity": 0}, "capacity"),
        ({"city": None, "district": None}, "city"),
        ({"district_code": "al-olaya"}, "district"),
        ({"latitude": 21.5}, "longitude"),
        ({"title_ar": " ", "title_en": ""}, "title_ar"),
    ],
)
def test_invalid_details_are_refused_and_nothing_is_written(
    organization, coordinator, overrides, field
):
    if "district_code" in overrides:
        overrides = {"district": District.objects.get(code=overrides.pop("district_code"))}
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.opportunity_create(
            organization=organization, created_by=coordinator, **details(**overrides)
        )
    assert refused.value.code == "invalid_input"
    assert field in refused.value.fields
    assert snapshot() == before


def test_remote_opportunities_need_no_city(organization, org_admin):
    opportunity = services.opportunity_create(
        organization=organization,
        created_by=org_admin,
        **details(work_mode="remote", city=None, district=None),
    )
    assert opportunity.city is None


def test_update_recomputes_search_text(published, coordinator):
    values = {
        name: getattr(published, name)
        for name in services._SCALARS  # every detail, as the form gives them
    }
    values["title_ar"] = "تعليم الأطفال"
    services.opportunity_update(opportunity=published, actor=coordinator, **values)
    published.refresh_from_db()
    assert "تعليم" in published.search_text
    assert "رمضان" not in published.search_text


def test_a_published_opportunity_cannot_lose_its_english_title(published, coordinator):
    values = {name: getattr(published, name) for name in services._SCALARS}
    values["title_en"] = ""
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.opportunity_update(opportunity=published, actor=coordinator, **values)
    assert refused.value.code == "not_publishable"
    assert snapshot() == before


def test_state_machine(draft, coordinator):
    opportunity = services.opportunity_publish(opportunity=draft, actor=coordinator)
    assert opportunity.status == "published" and opportunity.published_at
    opportunity = services.opportunity_close(opportunity=opportunity, actor=coordinator)
    assert opportunity.status == "closed"
    opportunity = services.opportunity_publish(opportunity=opportunity, actor=coordinator)
    assert opportunity.status == "published"
    opportunity = services.opportunity_archive(opportunity=opportunity, actor=coordinator)
    assert opportunity.status == "archived"
    verbs = list(
        AuditEvent.objects.filter(verb__startswith="opportunity.")
        .order_by("id")
        .values_list("verb", flat=True)
    )
    assert verbs[-4:] == [
        "opportunity.published",
        "opportunity.closed",
        "opportunity.published",
        "opportunity.archived",
    ]


@pytest.mark.parametrize(
    ("start", "service"),
    [
        ("draft", services.opportunity_close),
        ("published", services.opportunity_publish),
        ("archived", services.opportunity_publish),
        ("archived", services.opportunity_close),
        ("archived", services.opportunity_archive),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(
    make_opportunity, coordinator, start, service
):
    opportunity = make_opportunity(publish=start != "draft")
    if start == "archived":
        opportunity = services.opportunity_archive(opportunity=opportunity, actor=coordinator)
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        service(opportunity=opportunity, actor=coordinator)
    assert refused.value.code == "illegal_transition"
    assert str(refused.value.message)
    assert snapshot() == before


def test_publishing_needs_both_titles_and_dates(make_opportunity, coordinator):
    draft = make_opportunity(publish=False, title_en="", starts_on=None, ends_on=None)
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        services.opportunity_publish(opportunity=draft, actor=coordinator)
    assert refused.value.code == "not_publishable"
    assert set(refused.value.fields) == {"title_en", "starts_on", "ends_on"}
    assert snapshot() == before


def test_a_case_worker_cannot_publish(draft, case_worker):
    before = snapshot()
    with pytest.raises(ServiceError):
        services.opportunity_publish(opportunity=draft, actor=case_worker)
    assert snapshot() == before


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def test_shift_create_and_refusals(published, coordinator):
    shift = services.shift_create(
        opportunity=published,
        created_by=coordinator,
        starts_at=at(START, 8),
        ends_at=at(START, 12),
        capacity=5,
    )
    assert shift.opportunity_id == published.pk
    before = snapshot()
    for kwargs, code in [
        ({"starts_at": at(START, 8), "ends_at": at(START, 10), "capacity": 2}, "duplicate_shift"),
        ({"starts_at": at(START, 14), "ends_at": at(START, 13), "capacity": 2}, "invalid_input"),
        ({"starts_at": at(START, 14), "ends_at": at(START, 16), "capacity": 0}, "invalid_input"),
        (
            {
                "starts_at": at(START - dt.timedelta(days=2), 8),
                "ends_at": at(START - dt.timedelta(days=2), 9),
                "capacity": 1,
            },
            "invalid_input",
        ),
    ]:
        with pytest.raises(ServiceError) as refused:
            services.shift_create(opportunity=published, created_by=coordinator, **kwargs)
        assert refused.value.code == code
    assert snapshot() == before


def weekly(opportunity, user, **overrides):
    values = {
        "weekdays": [5, 1],  # Saturday, Tuesday
        "start_time": dt.time(16),
        "end_time": dt.time(20),
        "from_date": START,  # a Sunday
        "until_date": START + dt.timedelta(days=13),
        "capacity": 4,
    }
    values.update(overrides)
    return services.shifts_generate_weekly(opportunity=opportunity, created_by=user, **values)


def test_weekly_shifts_are_generated_once(published, coordinator):
    created = weekly(published, coordinator)
    assert len(created) == 4
    starts = sorted(timezone.localtime(shift.starts_at) for shift in Shift.objects.all())
    assert [start.weekday() for start in starts] == [1, 5, 1, 5]
    assert all(start.hour == 16 for start in starts)
    assert weekly(published, coordinator) == []  # idempotent
    assert len(weekly(published, coordinator, until_date=START + dt.timedelta(days=20))) == 2
    assert Shift.objects.count() == 6


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": [9]}, "weekdays"),
        ({"end_time": dt.time(15)}, "end_time"),
        ({"until_date": START - dt.timedelta(days=1)}, "until_date"),
        ({"until_date": START + dt.timedelta(days=60)}, "from_date"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_weekly_refusals_change_nothing(published, coordinator, overrides, field):
    before = snapshot()
    with pytest.raises(ServiceError) as refused:
        weekly(published, coordinator, **overrides)
    assert field in refused.value.fields
    assert snapshot() == before


def test_search_text_follows_city_names(organization, coordinator):
    opportunity = services.opportunity_create(
        organization=organization,
        created_by=coordinator,
        **details(city=City.objects.get(code="riyadh"), district=None),
    )
    assert "الرياض" in opportunity.search_text
