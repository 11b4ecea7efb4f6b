"""The API of rosters, application questions and qualification reviews: the same services and
rules as the pages, the one error shape, nothing changed by a refusal."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from ataa.api.tests.conftest import ApiClient, error_of
from ataa.core.models import AuditEvent
from ataa.opportunities import services
from ataa.opportunities.models import Application, ApplicationQuestion
from ataa.opportunities.tests import conftest as opportunity_fixtures
from ataa.volunteers.models import Qualification, QualificationKind
from ataa.volunteers.services import qualification_add
from ataa.volunteers.tests.conftest import pdf_bytes, upload
from conftest import table_state

make_opportunity = opportunity_fixtures.make_opportunity
make_volunteer = opportunity_fixtures.make_volunteer
make_shift = opportunity_fixtures.make_shift
soon = opportunity_fixtures.soon

pytestmark = pytest.mark.django_db

A = Application.Status


@pytest.fixture(autouse=True)
def _files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ATAA_PRIVATE_ROOT = tmp_path / "private"


def one(organization, opportunity) -> str:
    return f"organizations/{organization.pk}/opportunities/{opportunity.pk}"


@pytest.fixture
def shift(soon, make_shift):
    return make_shift(soon, capacity=2)


@pytest.fixture
def crew(soon, shift, make_volunteer, coordinator):
    sharing = make_volunteer(
        "sharing", full_name_ar="يوسف العمري", share_phone_with_organizations=True
    )
    private = make_volunteer("private", full_name_ar="بدر القرني")
    waiting = make_volunteer("waiting", full_name_ar="سلمى الغامدي")
    applications = [
        services.application_submit(volunteer=user, opportunity=soon, shift=shift, answers={})
        for user in (sharing, private, waiting)
    ]
    for application in applications[:2]:
        services.application_accept(application=application, decided_by=coordinator)
    services.application_waitlist(application=applications[2], decided_by=coordinator)
    return applications


# --- Rosters ----------------------------------------------------------------------------------


def test_roster_lists_accepted_and_waitlist_with_phones_only_where_shared(
    coordinator, organization, soon, shift, crew
):
    response = ApiClient(coordinator).get(f"{one(organization, soon)}/shifts/{shift.pk}/roster")
    assert response.status_code == 200
    body = response.json()
    assert (body["taken"], body["capacity"], body["has_started"]) == (2, 2, False)
    assert [row["full_name"] for row in body["accepted"]] == ["بدر القرني", "يوسف العمري"]
    assert [row["full_name"] for row in body["waitlist"]] == ["سلمى الغامدي"]
    phones = {row["full_name"]: row["phone"] for row in body["accepted"]}
    assert phones == {"بدر القرني": None, "يوسف العمري": "+966550001122"}
    assert body["shift"]["id"] == shift.pk


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_answers_a_file_and_is_audited(coordinator, organization, soon, shift, crew, fmt):
    response = ApiClient(coordinator).get(
        f"{one(organization, soon)}/shifts/{shift.pk}/roster/export", format=fmt
    )
    assert response.status_code == 200
    day = timezone.localdate(shift.starts_at).isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="roster-shift-{shift.pk}-{day}.{fmt}"'
    )
    if fmt == "csv":
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        names = [row[2] for row in rows[1:]]
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["بدر القرني", "يوسف العمري", "سلمى الغامدي"]
    event = AuditEvent.objects.get(verb="roster.exported")
    assert event.payload == {
        "opportunity_id": soon.pk,
        "shift_id": shift.pk,
        "format": fmt,
        "rows": 3,
    }


def test_export_refuses_an_unknown_format_and_writes_nothing(
    coordinator, organization, soon, shift, crew
):
    api = ApiClient(coordinator)
    before = AuditEvent.objects.count()
    response = api.get(f"{one(organization, soon)}/shifts/{shift.pk}/roster/export", format="pdf")
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_input"
    assert AuditEvent.objects.count() == before


def test_roster_of_an_opportunity_without_shifts(coordinator, organization, soon, make_volunteer):
    application = services.application_submit(
        volunteer=make_volunteer("solo"), opportunity=soon, answers={}
    )
    services.application_accept(application=application, decided_by=coordinator)
    api = ApiClient(coordinator)
    body = api.get(f"{one(organization, soon)}/roster").json()
    assert [row["application_id"] for row in body["accepted"]] == [application.pk]
    assert body["shift"] is None
    response = api.get(f"{one(organization, soon)}/roster/export")
    assert f"roster-opportunity-{soon.pk}-" in response["Content-Disposition"]


def test_roster_query_count_does_not_grow(
    coordinator, organization, soon, make_shift, make_volunteer
):
    small, large = make_shift(soon, capacity=9, hour=8), make_shift(soon, capacity=9, hour=12)
    users = [make_volunteer(f"v{number}") for number in range(6)]
    for index, user in enumerate(users):
        application = services.application_submit(
            volunteer=user, opportunity=soon, shift=small if index == 0 else large, answers={}
        )
        services.application_accept(application=application, decided_by=coordinator)
    api = ApiClient(coordinator)
    api.get(f"{one(organization, soon)}/roster")  # the token's first use is recorded once
    counts = []
    for target in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert (
                api.get(f"{one(organization, soon)}/shifts/{target.pk}/roster").status_code == 200
            )
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_roster_and_export_are_refused_to_others(
    organization, soon, shift, crew, outsider, case_worker, auditor, make_opportunity, make_shift
):
    sibling_shift = make_shift(make_opportunity())
    clients = {person: ApiClient(person) for person in (outsider, case_worker, auditor)}
    before = AuditEvent.objects.count()
    paths = [
        f"{one(organization, soon)}/shifts/{shift.pk}/roster",
        f"{one(organization, soon)}/shifts/{shift.pk}/roster/export",
        f"{one(organization, soon)}/roster",
        f"{one(organization, soon)}/roster/export",
    ]
    for person, status in ((outsider, 404), (case_worker, 403), (auditor, 403)):
        for path in paths:
            response = clients[person].get(path)
            assert response.status_code == status, path
            error_of(response)
    # The role is refused before the shift is even looked up.
    response = clients[case_worker].get(
        f"{one(organization, soon)}/shifts/{sibling_shift.pk}/roster"
    )
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before


def test_a_shift_of_another_opportunity_is_404_to_a_coordinator(
    coordinator, organization, soon, make_opportunity, make_shift
):
    sibling_shift = make_shift(make_opportunity())
    api = ApiClient(coordinator)
    for suffix in ("roster", "roster/export"):
        response = api.get(f"{one(organization, soon)}/shifts/{sibling_shift.pk}/{suffix}")
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


# --- Cancel and no-show -----------------------------------------------------------------------


def test_cancel_with_a_reason_and_the_waitlist_moves_up(
    coordinator, organization, soon, shift, crew
):
    cancelled, _kept, waiting = crew
    api = ApiClient(coordinator)
    response = api.post(
        f"{one(organization, soon)}/applications/{cancelled.pk}/cancel",
        {"reason": "shift_called_off"},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["cancel_reason"] == "shift_called_off"
    waiting.refresh_from_db()
    assert waiting.status == A.ACCEPTED


@pytest.mark.parametrize(
    "body, code",
    [
        ({}, "invalid_input"),
        ({"reason": "bored"}, "invalid_input"),
        ({"reason": "other"}, "invalid_input"),
        ({"reason": "other", "note": "x" * 501}, "invalid_input"),
        ({"reason": "volunteer_asked", "extra": 1}, "invalid_input"),
    ],
)
def test_cancel_refusals_change_nothing(coordinator, organization, soon, shift, crew, body, code):
    api = ApiClient(coordinator)
    state = table_state(Application, AuditEvent)
    response = api.post(f"{one(organization, soon)}/applications/{crew[0].pk}/cancel", body)
    assert response.status_code == 422
    assert error_of(response)["code"] == code
    assert table_state(Application, AuditEvent) == state


def test_cancel_twice_is_a_conflict(coordinator, organization, soon, shift, crew):
    api = ApiClient(coordinator)
    url = f"{one(organization, soon)}/applications/{crew[0].pk}/cancel"
    assert api.post(url, {"reason": "volunteer_asked"}).status_code == 200
    state = table_state(Application, AuditEvent)
    response = api.post(url, {"reason": "volunteer_asked"})
    assert response.status_code == 409 and error_of(response)["code"] == "illegal_transition"
    assert table_state(Application, AuditEvent) == state


def test_no_show_only_after_the_start(
    coordinator, organization, make_opportunity, make_shift, make_volunteer
):
    today = timezone.localdate()
    opportunity = make_opportunity(
        starts_on=today - dt.timedelta(days=3), ends_on=today + dt.timedelta(days=10)
    )
    past, future = (
        make_shift(opportunity, day=today - dt.timedelta(days=1)),
        make_shift(opportunity, day=today + dt.timedelta(days=2)),
    )
    gone, coming = (
        services.application_submit(
            volunteer=make_volunteer(name), opportunity=opportunity, shift=target, answers={}
        )
        for name, target in (("gone", past), ("coming", future))
    )
    for application in (gone, coming):
        services.application_accept(application=application, decided_by=coordinator)
    api = ApiClient(coordinator)
    state = table_state(Application, AuditEvent)
    response = api.post(f"{one(organization, opportunity)}/applications/{coming.pk}/no-show")
    assert response.status_code == 409 and error_of(response)["code"] == "not_started"
    assert table_state(Application, AuditEvent) == state
    response = api.post(f"{one(organization, opportunity)}/applications/{gone.pk}/no-show")
    assert response.status_code == 200 and response.json()["status"] == "no_show"


def test_cancel_and_no_show_are_refused_to_others(
    organization, soon, shift, crew, outsider, case_worker, auditor
):
    clients = {person: ApiClient(person) for person in (outsider, case_worker, auditor)}
    state = table_state(Application, AuditEvent)
    for person, status in ((outsider, 404), (case_worker, 403), (auditor, 403)):
        api = clients[person]
        base = f"{one(organization, soon)}/applications/{crew[0].pk}"
        assert api.post(f"{base}/cancel", {"reason": "other", "note": "x"}).status_code == status
        assert api.post(f"{base}/no-show").status_code == status
    assert table_state(Application, AuditEvent) == state


# --- Questions --------------------------------------------------------------------------------


def test_questions_crud_and_reorder(coordinator, organization, soon, make_volunteer):
    api = ApiClient(coordinator)
    base = f"{one(organization, soon)}/questions"
    first = api.post(base, {"text_ar": "هل لديك سيارة؟", "text_en": "Do you have a car?"})
    assert first.status_code == 201
    second = api.post(base, {"text_ar": "ما مقاسك؟", "required": False}).json()
    first = first.json()
    assert (first["position"], second["position"]) == (1, 2)
    listed = api.get(base).json()
    assert [item["id"] for item in listed["items"]] == [first["id"], second["id"]]
    reordered = api.post(f"{base}/reorder", {"question_ids": [second["id"], first["id"]]})
    assert [item["id"] for item in reordered.json()] == [second["id"], first["id"]]
    patched = api.patch(f"{base}/{first['id']}", {"required": False})
    assert patched.json()["required"] is False
    assert patched.json()["text_ar"] == "هل لديك سيارة؟"
    # The public opportunity shows them, so volunteers can answer by id.
    public = ApiClient().get(f"opportunities/{soon.pk}").json()
    assert [question["id"] for question in public["questions"]] == [second["id"], first["id"]]
    # An answered question stays.
    volunteer = make_volunteer("answering")
    services.application_submit(
        volunteer=volunteer, opportunity=soon, answers={str(first["id"]): "نعم"}
    )
    state = table_state(ApplicationQuestion, AuditEvent)
    refused = api.delete(f"{base}/{first['id']}")
    assert refused.status_code == 409 and error_of(refused)["code"] == "question_answered"
    assert table_state(ApplicationQuestion, AuditEvent) == state
    assert api.delete(f"{base}/{second['id']}").status_code == 204
    assert list(ApplicationQuestion.objects.values_list("pk", flat=True)) == [first["id"]]


@pytest.mark.parametrize(
    "body",
    [{}, {"text_ar": ""}, {"text_ar": "   "}, {"text_ar": "x" * 301}, {"text_ar": "س", "x": 1}],
)
def test_bad_questions_are_a_clear_422(coordinator, organization, soon, body):
    response = ApiClient(coordinator).post(f"{one(organization, soon)}/questions", body)
    assert response.status_code == 422
    assert error_of(response)["code"] == "invalid_input"
    assert not ApplicationQuestion.objects.exists()


def test_questions_are_refused_to_others(
    organization, soon, coordinator, outsider, case_worker, auditor, make_opportunity
):
    question = ApplicationQuestion.objects.create(opportunity=soon, text_ar="سؤال", position=1)
    sibling = make_opportunity()
    people = (outsider, case_worker, auditor, coordinator)
    clients = {person: ApiClient(person) for person in people}
    state = table_state(ApplicationQuestion, AuditEvent)
    base = f"{one(organization, soon)}/questions"
    for person, status in ((outsider, 404), (case_worker, 403), (auditor, 403)):
        api = clients[person]
        assert api.get(base).status_code == status
        assert api.post(base, {"text_ar": "س"}).status_code == status
        assert api.patch(f"{base}/{question.pk}", {"text_ar": "س"}).status_code == status
        assert api.delete(f"{base}/{question.pk}").status_code == status
        assert api.post(f"{base}/reorder", {"question_ids": [question.pk]}).status_code == status
    wrong = f"{one(organization, sibling)}/questions/{question.pk}"
    assert clients[coordinator].delete(wrong).status_code == 404
    assert table_state(ApplicationQuestion, AuditEvent) == state


# --- Qualification reviews --------------------------------------------------------------------


def add_proof(user):
    kind = QualificationKind.objects.get(code="first-aid-certificate")
    return qualification_add(
        user=user,
        kind=kind,
        proof=upload(pdf_bytes()),
        expires_on=timezone.localdate() + dt.timedelta(days=100),
    )


@pytest.fixture
def applicant(soon, make_volunteer):
    user = make_volunteer("applicant", full_name_ar="مريم الحازمي")
    services.application_submit(volunteer=user, opportunity=soon, answers={})
    return user


def test_list_verify_and_download(coordinator, organization, applicant, make_volunteer):
    mine = add_proof(applicant)
    add_proof(make_volunteer("bystander"))
    api = ApiClient(coordinator)
    base = f"organizations/{organization.pk}/qualifications"
    listed = api.get(base).json()
    assert [item["id"] for item in listed["items"]] == [mine.pk]
    assert listed["items"][0]["volunteer"]["full_name"] == "مريم الحازمي"
    proof = api.get(f"{base}/{mine.pk}/proof")
    assert proof.status_code == 200
    assert b"".join(proof.streaming_content) == pdf_bytes()
    assert proof["Content-Type"] == "application/pdf"
    assert proof["Content-Disposition"] == f'attachment; filename="qualification-{mine.pk}.pdf"'
    assert proof["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(
        verb="qualification.proof_viewed", target_id=str(mine.pk)
    ).exists()
    verified = api.post(f"{base}/{mine.pk}/verify")
    assert verified.status_code == 200 and verified.json()["is_verified"] is True
    assert api.get(base).json()["items"] == []  # pending only, by default
    assert [item["id"] for item in api.get(base, show="all").json()["items"]] == [mine.pk]
    state = table_state(Qualification, AuditEvent)
    again = api.post(f"{base}/{mine.pk}/verify")
    assert again.status_code == 409 and error_of(again)["code"] == "already_verified"
    assert table_state(Qualification, AuditEvent) == state


def test_qualification_reviews_are_refused_to_others(
    organization, coordinator, applicant, make_volunteer, outsider, case_worker, auditor
):
    mine = add_proof(applicant)
    theirs = add_proof(make_volunteer("bystander"))
    people = (outsider, case_worker, auditor, coordinator)
    clients = {person: ApiClient(person) for person in people}
    state = table_state(Qualification, AuditEvent)
    base = f"organizations/{organization.pk}/qualifications"
    for person, status in ((outsider, 404), (case_worker, 403), (auditor, 403)):
        api = clients[person]
        assert api.get(base).status_code == status
        assert api.get(f"{base}/{mine.pk}/proof").status_code == status
        assert api.post(f"{base}/{mine.pk}/verify").status_code == status
    api = clients[coordinator]
    assert api.get(f"{base}/{theirs.pk}/proof").status_code == 404
    assert api.post(f"{base}/{theirs.pk}/verify").status_code == 404
    assert table_state(Qualification, AuditEvent) == state


def test_qualification_list_query_count_does_not_grow(
    coordinator, organization, soon, applicant, make_volunteer
):
    add_proof(applicant)
    api = ApiClient(coordinator)
    url = f"organizations/{organization.pk}/qualifications"
    api.get(url)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        assert api.get(url).json()["count"] == 1
    for number in range(4):
        user = make_volunteer(f"more{number}")
        services.application_submit(volunteer=user, opportunity=soon, answers={})
        add_proof(user)
    with CaptureQueriesContext(connection) as many:
        assert api.get(url).json()["count"] == 5
    assert len(few) == len(many)


def test_lists_carry_the_fill_rates(coordinator, organization, soon, shift, crew):
    api = ApiClient(coordinator)
    shifts = api.get(f"{one(organization, soon)}/shifts").json()["items"]
    assert [(item["id"], item["taken"], item["capacity"]) for item in shifts] == [(shift.pk, 2, 2)]
    listed = api.get(f"organizations/{organization.pk}/opportunities").json()["items"]
    mine = next(item for item in listed if item["id"] == soon.pk)
    assert (mine["accepted"], mine["places_offered"]) == (2, 2)
