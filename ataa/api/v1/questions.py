"""An opportunity's application questions: list, add, change, remove, reorder.

Admins and coordinators of the organization; the same services as the questions page
(ataa.opportunities.questions). A question volunteers have already answered cannot be removed
(`question_answered`, 409): reword it or make it optional instead. Volunteers read the
questions on the public opportunity (`GET /opportunities/{opportunity_id}`) and answer them by
id when they apply.
"""

from __future__ import annotations

from ninja import Field, Router, Schema
from ninja.pagination import paginate

from ataa.api.v1.pagination import PageNumberPagination
from ataa.api.v1.schemas import InputSchema
from ataa.api.v1.scoping import organization_scoped, scoped_organization
from ataa.core.audit import client_ip
from ataa.opportunities import questions as services
from ataa.opportunities.access import (
    MANAGE_ROLES,
    access_opportunity_by_id,
    access_question_by_id,
)
from ataa.opportunities.models import ApplicationQuestion

router = Router(tags=["opportunities"])

QUESTIONS = "/organizations/{organization_id}/opportunities/{opportunity_id}/questions"


class QuestionOut(Schema):
    id: int
    position: int
    text_ar: str
    text_en: str
    required: bool


class QuestionIn(InputSchema):
    text_ar: str = Field(max_length=services.MAX_TEXT_LENGTH)
    text_en: str = Field("", max_length=services.MAX_TEXT_LENGTH)
    required: bool = True


class QuestionPatchIn(InputSchema):
    """Only the fields sent are changed."""

    text_ar: str = Field(None, max_length=services.MAX_TEXT_LENGTH)
    text_en: str = Field(None, max_length=services.MAX_TEXT_LENGTH)
    required: bool = None


class ReorderIn(InputSchema):
    question_ids: list[int] = Field(
        max_length=services.MAX_QUESTIONS,
        description="Every question of the opportunity, once each, in the new order.",
    )


def _opportunity(request, opportunity_id):
    return access_opportunity_by_id(
        request.auth, scoped_organization(request), opportunity_id, roles=MANAGE_ROLES
    )


@router.get(QUESTIONS, response=list[QuestionOut])
@paginate(PageNumberPagination)
@organization_scoped(roles=MANAGE_ROLES)
def question_list(request, organization_id: int, opportunity_id: int):
    """The opportunity's questions, in the order volunteers see them (at most 20)."""
    opportunity = _opportunity(request, opportunity_id)
    return ApplicationQuestion.objects.filter(opportunity=opportunity).order_by("position", "pk")


@router.post(QUESTIONS, response={201: QuestionOut})
@organization_scoped(roles=MANAGE_ROLES)
def question_create(request, organization_id: int, opportunity_id: int, payload: QuestionIn):
    """Add a question at the end."""
    return services.question_create(
        opportunity=_opportunity(request, opportunity_id),
        actor=request.auth,
        ip_address=client_ip(request),
        **payload.model_dump(),
    )


# Before the /{question_id} routes, so that "reorder" is not taken for a question id.
@router.post(QUESTIONS + "/reorder", response=list[QuestionOut])
@organization_scoped(roles=MANAGE_ROLES)
def questions_reorder(request, organization_id: int, opportunity_id: int, payload: ReorderIn):
    """Put the questions in a new order; answers the questions in that order."""
    return services.questions_reorder(
        opportunity=_opportunity(request, opportunity_id),
        actor=request.auth,
        question_ids=payload.question_ids,
        ip_address=client_ip(request),
    )


@router.patch(QUESTIONS + "/{question_id}", response=QuestionOut)
@organization_scoped(roles=MANAGE_ROLES)
def question_update(
    request,
    organization_id: int,
    opportunity_id: int,
    question_id: int,
    payload: QuestionPatchIn,
):
    """Reword a question or change whether it needs an answer; earlier answers stay."""
    question = access_question_by_id(_opportunity(request, opportunity_id), question_id)
    values = {"text_ar": question.text_ar, "text_en": question.text_en}
    values["required"] = question.required
    values.update(payload.model_dump(exclude_unset=True, exclude_none=True))
    return services.question_update(
        question=question, actor=request.auth, ip_address=client_ip(request), **values
    )


@router.delete(QUESTIONS + "/{question_id}", response={204: None})
@organization_scoped(roles=MANAGE_ROLES)
def question_delete(request, organization_id: int, opportunity_id: int, question_id: int):
    """Remove a question nobody has answered (else `question_answered`, 409)."""
    question = access_question_by_id(_opportunity(request, opportunity_id), question_id)
    services.question_delete(question=question, actor=request.auth, ip_address=client_ip(request))
