"""Coordinator tools in a real browser, in Arabic then English: the roster of a shift (with the
cancel form opened), the application questions, the qualifications to verify, and the message
to the volunteers of a shift. Same checks
as test_pages.py: lang/dir, landmarks, axe, screenshots, 360 px, keyboard."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.browser.helpers import (
    check_page,
    give_volunteer_profile,
    jeddah_with_rawdah,
    switch_language,
)

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.fixture
def tools(world, settings, tmp_path):
    from ataa.opportunities import services
    from ataa.opportunities.models import ApplicationQuestion
    from ataa.volunteers.models import QualificationKind
    from ataa.volunteers.services import qualification_add

    settings.ATAA_PRIVATE_ROOT = tmp_path / "private"
    jeddah, _rawdah = jeddah_with_rawdah()
    kind, _ = QualificationKind.objects.get_or_create(
        code="first-aid-certificate",
        defaults={
            "name_ar": "شهادة الإسعافات الأولية",
            "name_en": "First aid certificate",
            "expires": True,
        },
    )
    coordinator = world["coordinator"]
    start = timezone.localdate() + dt.timedelta(days=20)
    opportunity = services.opportunity_create(
        organization=world["organization"],
        created_by=coordinator,
        title_ar="تنظيف الشاطئ",
        title_en="Beach clean-up",
        city=jeddah,
        capacity=10,
        starts_on=start,
        ends_on=start + dt.timedelta(days=7),
    )
    services.opportunity_publish(opportunity=opportunity, actor=coordinator)
    zone = timezone.get_default_timezone()
    shift = services.shift_create(
        opportunity=opportunity,
        created_by=coordinator,
        starts_at=dt.datetime.combine(start, dt.time(7), tzinfo=zone),
        ends_at=dt.datetime.combine(start, dt.time(10), tzinfo=zone),
        capacity=2,
    )
    question = ApplicationQuestion.objects.create(
        opportunity=opportunity,
        position=1,
        text_ar="ما مقاس قميصك؟",
        text_en="What is your shirt size?",
        required=False,
    )
    volunteer = world["stranger"]
    give_volunteer_profile(volunteer, city=jeddah, share_phone_with_organizations=True)
    application = services.application_submit(
        volunteer=volunteer,
        opportunity=opportunity,
        shift=shift,
        answers={str(question.pk): "L"},
    )
    services.application_accept(application=application, decided_by=coordinator)
    qualification_add(
        user=volunteer,
        kind=kind,
        proof=SimpleUploadedFile("proof.pdf", PDF),
        expires_on=start + dt.timedelta(days=365),
    )
    base = f"/orgs/{world['organization'].pk}"
    return {
        "roster": f"{base}/opportunities/{opportunity.pk}/shifts/{shift.pk}/roster/",
        "questions": f"{base}/opportunities/{opportunity.pk}/questions/",
        "qualifications": f"{base}/qualifications/",
        "shift-message": f"{base}/opportunities/{opportunity.pk}/shifts/{shift.pk}/message/",
    }


@pytest.mark.parametrize("name", ["roster", "questions", "qualifications", "shift-message"])
def test_coordinator_tool_page_in_arabic_then_english(name, world, tools, page, sign_in):
    sign_in(world["coordinator"])
    response = page.goto(tools[name])
    assert response.status == 200, f"{name}: HTTP {response.status} at {page.url}"
    open_details(page)  # the answers and the cancel form, opened
    check_page(page, f"coordinator-{name}", "ar")
    switch_language(page, "en")
    open_details(page)
    check_page(page, f"coordinator-{name}", "en")


def open_details(page) -> None:
    """Open every <details> without moving the focus (the skip-link check tabs from the top)."""
    page.eval_on_selector_all("details", "elements => elements.forEach(e => { e.open = true; })")
