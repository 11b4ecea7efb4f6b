"""Opportunity pages in a real browser, in Arabic then English: the public list (with a search)
and detail, and the coordinator's list, new, edit and shifts pages. Same checks as
test_pages.py: lang/dir, landmarks, axe, screenshots, 360 px, keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import check_page, switch_language

pytestmark = pytest.mark.browser


@pytest.fixture
def opportunities(world):
    from ataa.core.models import City, District
    from ataa.opportunities import services
    from ataa.volunteers.models import Skill, VolunteeringField

    # Browser tests run on a transactional database, emptied after each test: the cities and
    # the taxonomy that migrations seed may be gone, so they are made again here.
    jeddah, _ = City.objects.get_or_create(
        code="jeddah", defaults={"name_ar": "جدة", "name_en": "Jeddah", "country": "SA"}
    )
    rawdah, _ = District.objects.get_or_create(
        city=jeddah, code="al-rawdah", defaults={"name_ar": "الروضة", "name_en": "Al-Rawdah"}
    )
    relief, _ = VolunteeringField.objects.get_or_create(
        code="relief", defaults={"name_ar": "الإغاثة", "name_en": "Relief"}
    )
    food_skill, _ = Skill.objects.get_or_create(
        code="food-distribution",
        defaults={
            "field": relief,
            "name_ar": "توزيع السلال الغذائية",
            "name_en": "Food distribution",
        },
    )
    coordinator = world["coordinator"]
    start = dt.date(2026, 3, 1)
    common = {
        "organization": world["organization"],
        "created_by": coordinator,
        "field": relief,
        "capacity": 25,
        "starts_on": start,
        "ends_on": start + dt.timedelta(days=28),
    }
    food = services.opportunity_create(
        title_ar="توزيع السلال الغذائية في رمضان",
        title_en="Ramadan food basket distribution",
        description_ar="نوزّع السلال الغذائية على الأسر المستحقة في أحياء جدة.",
        description_en="We hand food baskets to families in need across Jeddah.",
        city=jeddah,
        district=rawdah,
        exact_address="SECRET-ADDRESS",
        required_skills=[food_skill],
        is_emergency=True,
        **common,
    )
    services.opportunity_publish(opportunity=food, actor=coordinator)
    services.shifts_generate_weekly(
        opportunity=food,
        created_by=coordinator,
        weekdays=[5, 1],
        start_time=dt.time(16),
        end_time=dt.time(20),
        from_date=start,
        until_date=start + dt.timedelta(days=13),
        capacity=8,
    )
    remote = services.opportunity_create(
        title_ar="دروس تقوية للطلاب عن بعد",
        title_en="Remote tutoring for students",
        work_mode="remote",
        **common,
    )
    services.opportunity_publish(opportunity=remote, actor=coordinator)
    draft = services.opportunity_create(title_ar="مسودة فرصة", title_en="", city=jeddah, **common)
    return {"food": food, "remote": remote, "draft": draft}


def org_opportunities(w, o, suffix=""):
    return f"/orgs/{w['organization'].pk}/opportunities/{suffix}"


CASES = [
    ("opportunities-public-list", None, lambda w, o: "/opportunities/"),
    ("opportunities-public-search", None, lambda w, o: "/opportunities/?q=جمعيه&sort=soonest"),
    ("opportunity-public-detail", None, lambda w, o: f"/opportunities/{o['food'].pk}/"),
    ("opportunities-staff-list", "coordinator", org_opportunities),
    ("opportunity-new", "coordinator", lambda w, o: org_opportunities(w, o, "new/")),
    (
        "opportunity-edit",
        "coordinator",
        lambda w, o: org_opportunities(w, o, f"{o['food'].pk}/edit/"),
    ),
    (
        "opportunity-shifts",
        "coordinator",
        lambda w, o: org_opportunities(w, o, f"{o['food'].pk}/shifts/"),
    ),
]


@pytest.mark.parametrize(("name", "persona", "path"), CASES, ids=[case[0] for case in CASES])
def test_opportunity_page_in_arabic_then_english(
    name, persona, path, world, opportunities, page, sign_in
):
    if persona:
        sign_in(world[persona])
    response = page.goto(path(world, opportunities))
    assert response.status == 200, f"{name}: HTTP {response.status} at {page.url}"
    assert "SECRET-ADDRESS" not in page.content() or name == "opportunity-edit"
    check_page(page, name, "ar")
    switch_language(page, "en")
    check_page(page, name, "en")


def test_search_by_keyboard_finds_the_opportunity_whatever_the_spelling(world, opportunities, page):
    page.goto("/opportunities/")
    page.get_by_label("بحث", exact=True).fill("السلال الغذائيه")  # ة typed as ه
    page.get_by_label("بحث", exact=True).press("Enter")
    expect(page.get_by_role("link", name="توزيع السلال الغذائية في رمضان")).to_be_visible()
    expect(page.get_by_role("link", name="دروس تقوية للطلاب عن بعد")).to_have_count(0)


def test_draft_is_not_public(world, opportunities, page):
    response = page.goto(f"/opportunities/{opportunities['draft'].pk}/")
    assert response.status == 404
