"""Pages of an opportunity's application questions: list and add, edit, remove, move.

Admins and coordinators; every fetch goes through access_organization_by_id,
access_opportunity_by_id and access_question_by_id; each action calls one service of
ataa.opportunities.questions.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ataa.core.audit import client_ip
from ataa.core.errors import ServiceError
from ataa.core.forms import add_service_error
from ataa.opportunities import questions as services
from ataa.opportunities.access import (
    access_managed_opportunity_by_id,
    access_question_by_id,
)
from ataa.opportunities.forms import QuestionForm
from ataa.opportunities.models import ApplicationQuestion


@login_required
def question_list(request, organization_id, opportunity_id):
    """The questions, in order, with a form to add one."""
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    form = QuestionForm(request.POST or None, initial={"required": True})
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(
                opportunity=opportunity,
                actor=request.user,
                ip_address=client_ip(request),
                **form.cleaned_data,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The question is added."))
            return redirect("question_list", organization.pk, opportunity.pk)
    questions = list(ApplicationQuestion.objects.filter(opportunity=opportunity))
    # At most MAX_QUESTIONS (20) small queries: whether each question has answers.
    for question in questions:
        question.answered = services.question_has_answers(question)
    return render(
        request,
        "opportunities/question_list.html",
        {
            "organization": organization,
            "opportunity": opportunity,
            "questions": questions,
            "form": form,
            "can_manage": True,
            "can_add": len(questions) < services.MAX_QUESTIONS,
            "max_questions": services.MAX_QUESTIONS,
        },
    )


@login_required
def question_edit(request, organization_id, opportunity_id, question_id):
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    question = access_question_by_id(opportunity, question_id)
    form = QuestionForm(
        request.POST or None,
        initial={
            "text_ar": question.text_ar,
            "text_en": question.text_en,
            "required": question.required,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(
                question=question,
                actor=request.user,
                ip_address=client_ip(request),
                **form.cleaned_data,
            )
        except ServiceError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("The question is saved."))
            return redirect("question_list", organization.pk, opportunity.pk)
    return render(
        request,
        "opportunities/question_form.html",
        {
            "organization": organization,
            "opportunity": opportunity,
            "question": question,
            "answered": services.question_has_answers(question),
            "form": form,
            "can_manage": True,
        },
    )


@login_required
@require_POST
def question_remove(request, organization_id, opportunity_id, question_id):
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    question = access_question_by_id(opportunity, question_id)
    try:
        services.question_delete(
            question=question, actor=request.user, ip_address=client_ip(request)
        )
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The question is removed."))
    return redirect("question_list", organization.pk, opportunity.pk)


@login_required
@require_POST
def question_move(request, organization_id, opportunity_id, question_id):
    organization, opportunity = access_managed_opportunity_by_id(
        request.user, organization_id, opportunity_id
    )
    question = access_question_by_id(opportunity, question_id)
    direction = request.POST.get("direction")
    if direction not in {"up", "down"}:
        messages.error(request, _("Choose whether to move the question up or down."))
        return redirect("question_list", organization.pk, opportunity.pk)
    try:
        services.question_move(
            question=question,
            actor=request.user,
            up=direction == "up",
            ip_address=client_ip(request),
        )
    except ServiceError as error:
        messages.error(request, error.message)
    return redirect("question_list", organization.pk, opportunity.pk)
