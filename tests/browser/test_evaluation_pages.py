"""Evaluations after a shift in a real browser: the coordinator's evaluation page, the
volunteer's rating page and their evaluations page, the organization's ratings page, in Arabic
then English with the checks every page passes (lang/dir, landmarks, axe, 360 px, keyboard)."""

from __future__ import annotations

import pytest

from tests.browser.helpers import check_page, switch_language
from tests.browser.test_hours_pages import ledger  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def evaluated(world, ledger):  # noqa: F811
    from ataa.hours import evaluations
    from ataa.hours.models import Attendance

    attendance = Attendance.objects.get(volunteer=ledger["volunteer"])
    evaluations.evaluation_save(
        actor=world["coordinator"],
        attendance=attendance,
        attendance_score=4,
        quality_score=5,
        private_note="ملاحظة خاصة",
    )
    organization_id = world["organization"].pk
    return {
        "volunteer": ledger["volunteer"],
        "attendance": attendance,
        "evaluate": f"/orgs/{organization_id}/hours/attendances/{attendance.pk}/evaluate/",
        "ratings": f"/orgs/{organization_id}/hours/ratings/",
        "rate": f"/volunteer/attendances/{attendance.pk}/rate/",
        "mine": "/volunteer/evaluations/",
    }


@pytest.mark.parametrize("name", ["evaluate", "ratings", "rate", "mine"])
def test_evaluation_pages_in_arabic_then_english(name, world, evaluated, page, sign_in):
    staff = name in ("evaluate", "ratings")
    sign_in(world["coordinator"] if staff else evaluated["volunteer"])
    if name == "ratings":
        from ataa.hours import evaluations

        evaluations.rating_submit(
            volunteer=evaluated["volunteer"],
            attendance=evaluated["attendance"],
            score=4,
            comment="تنظيم ممتاز",
        )
    response = page.goto(evaluated[name])
    assert response.status == 200, f"{name}: HTTP {response.status} at {page.url}"
    check_page(page, f"evaluation-{name}", "ar")
    switch_language(page, "en")
    check_page(page, f"evaluation-{name}", "en")
