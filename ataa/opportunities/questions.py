"""Writes to an opportunity's application questions: add, change, remove, reorder.

Admins and coordinators of the organization only; not on an archived opportunity. Each service
is one transaction with one audit event (ids only, never the text). The opportunity row is
locked first, so two coordinators editing questions at once are serialized.

Answers are stored on the applications by question id. A question that a volunteer has already
answered cannot be removed, so that every answer on a roster keeps its question; it can still be
reworded (a typo) or made optional. Changing the wording of an answered question is allowed:
the page says that earlier applicants answered the earlier wording.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from ataa.core.audit import audit_record
from ataa.core.errors import ServiceError
from ataa.opportunities.access import require_manager
from ataa.opportunities.models import Application, ApplicationQuestion, Opportunity

MAX_QUESTIONS = 20
MAX_TEXT_LENGTH = 300


def _lock(*, opportunity: Opportunity, actor) -> Opportunity:
    require_manager(
        actor=actor,
        organization_id=opportunity.organization_id,
        refusal=_("Only the organization's admins and coordinators can change its questions."),
    )
    locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    if locked.status == Opportunity.Status.ARCHIVED:
        raise ServiceError(
            _("An archived opportunity cannot be changed."), code="opportunity_archived"
        )
    return locked


def _clean(text_ar, text_en) -> tuple[str, str]:
    problems: dict[str, list[str]] = {}
    text_ar = (text_ar if isinstance(text_ar, str) else "").strip()
    text_en = (text_en if isinstance(text_en, str) else "").strip()
    if not text_ar:
        problems["text_ar"] = [_("Write the question in Arabic.")]
    too_long = _("Use at most %(count)d characters.") % {"count": MAX_TEXT_LENGTH}
    if len(text_ar) > MAX_TEXT_LENGTH:
        problems["text_ar"] = [too_long]
    if len(text_en) > MAX_TEXT_LENGTH:
        problems["text_en"] = [too_long]
    for name, text in (("text_ar", text_ar), ("text_en", text_en)):
        if "\x00" in text:
            problems[name] = [_("The text contains a character that is not allowed.")]
    if problems:
        raise ServiceError(_("The question is not valid."), code="invalid_input", fields=problems)
    return text_ar, text_en


def _audit(question: ApplicationQuestion, *, actor, verb: str, ip_address, **payload) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        organization_id=question.opportunity.organization_id,
        target=question,
        ip_address=ip_address,
        payload={"opportunity_id": question.opportunity_id, **payload},
    )


def question_has_answers(question: ApplicationQuestion) -> bool:
    return Application.objects.filter(
        opportunity_id=question.opportunity_id, answers__has_key=str(question.pk)
    ).exists()


@transaction.atomic
def question_create(
    *,
    opportunity: Opportunity,
    actor,
    text_ar: str,
    text_en: str = "",
    required: bool = True,
    ip_address: str | None = None,
) -> ApplicationQuestion:
    """Add a question at the end of the opportunity's questions (at most 20)."""
    opportunity = _lock(opportunity=opportunity, actor=actor)
    text_ar, text_en = _clean(text_ar, text_en)
    existing = ApplicationQuestion.objects.filter(opportunity=opportunity)
    if existing.count() >= MAX_QUESTIONS:
        raise ServiceError(
            _("An opportunity asks at most %(count)d questions.") % {"count": MAX_QUESTIONS},
            code="too_many_questions",
        )
    last = existing.aggregate(last=Max("position"))["last"]
    question = ApplicationQuestion.objects.create(
        opportunity=opportunity,
        position=(last or 0) + 1,
        text_ar=text_ar,
        text_en=text_en,
        required=bool(required),
    )
    _audit(question, actor=actor, verb="question.created", ip_address=ip_address, required=required)
    return question


@transaction.atomic
def question_update(
    *,
    question: ApplicationQuestion,
    actor,
    text_ar: str,
    text_en: str = "",
    required: bool = True,
    ip_address: str | None = None,
) -> ApplicationQuestion:
    """Reword a question or change whether it needs an answer. Applications made before keep
    their answers (to the earlier wording)."""
    opportunity = _lock(opportunity=question.opportunity, actor=actor)
    question = ApplicationQuestion.objects.select_for_update().get(pk=question.pk)
    question.opportunity = opportunity
    text_ar, text_en = _clean(text_ar, text_en)
    question.text_ar, question.text_en, question.required = text_ar, text_en, bool(required)
    question.save(update_fields=["text_ar", "text_en", "required"])
    _audit(question, actor=actor, verb="question.updated", ip_address=ip_address, required=required)
    return question


@transaction.atomic
def question_delete(*, question: ApplicationQuestion, actor, ip_address: str | None = None) -> None:
    """Remove a question nobody has answered yet; refused (`question_answered`) otherwise."""
    opportunity = _lock(opportunity=question.opportunity, actor=actor)
    question = ApplicationQuestion.objects.select_for_update().get(pk=question.pk)
    question.opportunity = opportunity
    if question_has_answers(question):
        raise ServiceError(
            _(
                "Volunteers have already answered this question, so it stays with their "
                "answers. You can reword it or make the answer optional instead."
            ),
            code="question_answered",
        )
    _audit(question, actor=actor, verb="question.removed", ip_address=ip_address)
    question.delete()


@transaction.atomic
def questions_reorder(
    *,
    opportunity: Opportunity,
    actor,
    question_ids: Sequence[int],
    ip_address: str | None = None,
) -> list[ApplicationQuestion]:
    """Put the questions in the order given: every question of the opportunity, once each."""
    opportunity = _lock(opportunity=opportunity, actor=actor)
    questions = {
        question.pk: question
        for question in ApplicationQuestion.objects.select_for_update().filter(
            opportunity=opportunity
        )
    }
    wanted = list(question_ids)
    if len(wanted) != len(set(wanted)) or set(wanted) != set(questions):
        message = _("Give every question of the opportunity once, in the new order.")
        raise ServiceError(message, code="invalid_input", fields={"question_ids": [message]})
    ordered = [questions[pk] for pk in wanted]
    for position, question in enumerate(ordered, start=1):
        question.position = position
        question.opportunity = opportunity
    ApplicationQuestion.objects.bulk_update(ordered, ["position"])
    audit_record(
        actor=actor,
        verb="questions.reordered",
        organization_id=opportunity.organization_id,
        target=opportunity,
        ip_address=ip_address,
        payload={"count": len(ordered)},
    )
    return ordered


def question_move(
    *, question: ApplicationQuestion, actor, up: bool, ip_address: str | None = None
) -> list[ApplicationQuestion]:
    """Swap a question with the one before (`up`) or after it: a reorder of all of them."""
    ids = list(
        ApplicationQuestion.objects.filter(opportunity_id=question.opportunity_id).values_list(
            "pk", flat=True
        )
    )
    index = ids.index(question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ids):  # already first (or last): nothing to do
        return list(ApplicationQuestion.objects.filter(opportunity_id=question.opportunity_id))
    ids[index], ids[other] = ids[other], ids[index]
    return questions_reorder(
        opportunity=question.opportunity, actor=actor, question_ids=ids, ip_address=ip_address
    )
