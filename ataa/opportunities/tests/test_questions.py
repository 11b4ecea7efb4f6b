"""Application questions: coordinators add, reword, reorder and remove them; a question that
volunteers answered stays with their answers."""

from __future__ import annotations

import pytest

from ataa.core.errors import PermissionRefused, ServiceError
from ataa.core.models import AuditEvent
from ataa.opportunities import questions
from ataa.opportunities import services as opportunity_services
from ataa.opportunities.models import ApplicationQuestion
from conftest import NASTY_VALUES, table_state

pytestmark = pytest.mark.django_db


def base(organization, opportunity) -> str:
    return f"/orgs/{organization.pk}/opportunities/{opportunity.pk}/questions/"


def add(opportunity, actor, text="لماذا تريد التطوع؟", **kwargs):
    return questions.question_create(opportunity=opportunity, actor=actor, text_ar=text, **kwargs)


def texts(opportunity) -> list[str]:
    return list(
        ApplicationQuestion.objects.filter(opportunity=opportunity).values_list(
            "text_ar", flat=True
        )
    )


# --- Services ---------------------------------------------------------------------------------


def test_questions_are_added_at_the_end_and_audited_without_their_text(soon, coordinator):
    first = add(soon, coordinator, "السؤال الأول", text_en="First question")
    second = add(soon, coordinator, "السؤال الثاني", required=False)
    assert (first.position, second.position) == (1, 2)
    assert texts(soon) == ["السؤال الأول", "السؤال الثاني"]
    assert second.required is False
    events = AuditEvent.objects.filter(verb="question.created").order_by("pk")
    assert [event.target_id for event in events] == [str(first.pk), str(second.pk)]
    assert all("السؤال" not in str(event.payload) for event in events)


def test_reorder_takes_every_question_once(soon, coordinator):
    a, b, c = (add(soon, coordinator, text) for text in ("أ", "ب", "ج"))
    questions.questions_reorder(
        opportunity=soon, actor=coordinator, question_ids=[c.pk, a.pk, b.pk]
    )
    assert texts(soon) == ["ج", "أ", "ب"]
    state = table_state(ApplicationQuestion, AuditEvent)
    for wrong in ([c.pk, a.pk], [c.pk, a.pk, a.pk], [c.pk, a.pk, b.pk, 999_999]):
        with pytest.raises(ServiceError) as refused:
            questions.questions_reorder(opportunity=soon, actor=coordinator, question_ids=wrong)
        assert refused.value.code == "invalid_input"
    assert table_state(ApplicationQuestion, AuditEvent) == state


def test_move_up_and_down(soon, coordinator):
    add(soon, coordinator, "أ")
    b = add(soon, coordinator, "ب")
    questions.question_move(question=b, actor=coordinator, up=True)
    assert texts(soon) == ["ب", "أ"]
    before = AuditEvent.objects.count()
    questions.question_move(question=b, actor=coordinator, up=True)  # already first
    assert texts(soon) == ["ب", "أ"] and AuditEvent.objects.count() == before


def test_an_answered_question_cannot_be_removed_but_can_be_reworded(soon, coordinator, volunteer):
    question = add(soon, coordinator, "ما مقاسك؟")
    spare = add(soon, coordinator, "سؤال زائد", required=False)
    opportunity_services.application_submit(
        volunteer=volunteer, opportunity=soon, answers={str(question.pk): "L"}
    )
    state = table_state(ApplicationQuestion, AuditEvent)
    with pytest.raises(ServiceError) as refused:
        questions.question_delete(question=question, actor=coordinator)
    assert refused.value.code == "question_answered"
    assert table_state(ApplicationQuestion, AuditEvent) == state
    questions.question_update(
        question=question, actor=coordinator, text_ar="ما مقاس قميصك؟", required=False
    )
    question.refresh_from_db()
    assert (question.text_ar, question.required) == ("ما مقاس قميصك؟", False)
    questions.question_delete(question=spare, actor=coordinator)  # nobody answered it
    assert texts(soon) == ["ما مقاس قميصك؟"]
    assert AuditEvent.objects.filter(verb="question.removed", target_id=str(spare.pk)).exists()


@pytest.mark.parametrize("text", NASTY_VALUES)
def test_bad_text_is_refused_with_a_reason_or_stored_as_plain_text(soon, coordinator, text):
    state = table_state(ApplicationQuestion)
    try:
        question = add(soon, coordinator, text)
    except ServiceError as error:
        assert error.code == "invalid_input" and error.fields
        assert table_state(ApplicationQuestion) == state
    else:
        assert question.text_ar == text.strip()


def test_only_managers_change_questions_and_not_on_archived_opportunities(
    soon, coordinator, case_worker, auditor, outsider
):
    question = add(soon, coordinator)
    state = table_state(ApplicationQuestion, AuditEvent)
    for person in (case_worker, auditor, outsider):
        with pytest.raises(PermissionRefused):
            add(soon, person)
        with pytest.raises(PermissionRefused):
            questions.question_delete(question=question, actor=person)
    assert table_state(ApplicationQuestion, AuditEvent) == state
    opportunity_services.opportunity_archive(opportunity=soon, actor=coordinator)
    state = table_state(ApplicationQuestion)
    with pytest.raises(ServiceError) as refused:
        add(soon, coordinator)
    assert refused.value.code == "opportunity_archived"
    assert table_state(ApplicationQuestion) == state


def test_at_most_twenty_questions(soon, coordinator):
    for number in range(questions.MAX_QUESTIONS):
        add(soon, coordinator, f"سؤال {number}")
    with pytest.raises(ServiceError) as refused:
        add(soon, coordinator, "واحد أكثر")
    assert refused.value.code == "too_many_questions"
    assert ApplicationQuestion.objects.count() == questions.MAX_QUESTIONS


# --- Pages ------------------------------------------------------------------------------------


def test_coordinator_manages_questions_on_the_page(client, coordinator, organization, soon):
    client.force_login(coordinator)
    url = base(organization, soon)
    assert client.get(url).status_code == 200
    response = client.post(url, {"text_ar": "هل لديك سيارة؟", "text_en": "Do you have a car?"})
    assert response.status_code == 302
    client.post(url, {"text_ar": "ما مقاسك؟", "required": "on"})
    first, second = ApplicationQuestion.objects.filter(opportunity=soon)
    assert (first.required, second.required) == (False, True)
    page = client.get(url).content.decode()
    assert "هل لديك سيارة؟" in page and "Do you have a car?" in page
    client.post(f"{url}{second.pk}/move/", {"direction": "up"})
    assert texts(soon) == ["ما مقاسك؟", "هل لديك سيارة؟"]
    client.post(f"{url}{first.pk}/", {"text_ar": "هل تملك سيارة؟", "required": "on"})
    first.refresh_from_db()
    assert first.text_ar == "هل تملك سيارة؟" and first.required
    client.post(f"{url}{first.pk}/remove/")
    assert texts(soon) == ["ما مقاسك؟"]
    # The apply form on the public page asks it.
    assert "ما مقاسك؟" in client.get(f"/opportunities/{soon.pk}/").content.decode()


def test_the_page_shows_the_refusal_of_an_answered_question(
    client, coordinator, organization, soon, volunteer
):
    question = add(soon, coordinator, "ما مقاسك؟")
    opportunity_services.application_submit(
        volunteer=volunteer, opportunity=soon, answers={str(question.pk): "M"}
    )
    client.force_login(coordinator)
    url = base(organization, soon)
    page = client.get(url).content.decode()
    assert f"{url}{question.pk}/remove/" not in page  # no remove button for it
    response = client.post(f"{url}{question.pk}/remove/", follow=True)
    assert ApplicationQuestion.objects.filter(pk=question.pk).exists()
    assert response.status_code == 200


def test_an_empty_question_shows_the_form_again(client, coordinator, organization, soon):
    client.force_login(coordinator)
    response = client.post(base(organization, soon), {"text_ar": "   "})
    assert response.status_code == 200
    assert not ApplicationQuestion.objects.exists()


def test_question_pages_refuse_others_and_change_nothing(
    client, organization, soon, coordinator, case_worker, auditor, outsider, make_opportunity
):
    question = add(soon, coordinator)
    sibling = make_opportunity()
    url = base(organization, soon)
    state = table_state(ApplicationQuestion, AuditEvent)
    for person, status in ((outsider, 404), (case_worker, 403), (auditor, 403)):
        client.force_login(person)
        assert client.get(url).status_code == status
        assert client.post(url, {"text_ar": "سؤال"}).status_code == status
        assert client.post(f"{url}{question.pk}/", {"text_ar": "x"}).status_code == status
        assert client.post(f"{url}{question.pk}/remove/").status_code == status
        assert client.post(f"{url}{question.pk}/move/", {"direction": "up"}).status_code == status
    # A question of another opportunity under this opportunity's path: 404.
    client.force_login(coordinator)
    wrong = base(organization, sibling)
    assert client.post(f"{wrong}{question.pk}/remove/").status_code == 404
    assert client.get(f"{wrong}{question.pk}/").status_code == 404
    assert table_state(ApplicationQuestion, AuditEvent) == state
