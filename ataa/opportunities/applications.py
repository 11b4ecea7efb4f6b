"""Writes to applications: submit, decide (accept, waitlist, reject), withdraw, cancel, no-show.

Each service is one transaction: audit events with ids only, and the volunteer's notifications
queued in the same transaction (ataa.notifications.services.notify: by the channels they chose,
at most once per application and kind). A refused action raises ServiceError with a
translated message and writes nothing.

Places, without races. An application to a shift takes places of the shift; one without a shift
takes places of the opportunity. Every service that can change how many places are taken locks
that *capacity holder* row first (`SELECT … FOR UPDATE` on the Shift or the Opportunity), then
the application, and counts the accepted places inside the lock. Two coordinators accepting the
last place at the same moment are therefore serialized by the database: the second one counts
after the first one committed and is refused ("full"). The lock order is always holder, then
application (bulk accept locks all its holders first, in primary-key order), so two services
never wait for each other in a circle.

A place that is freed (withdrawn, cancelled or rejected after being accepted) goes to the
waitlist, oldest application first, in the same transaction: every waitlisted application that
fits in the free places, in order, is accepted and the volunteer is told ("promoted").

States: pending -> accepted | waitlisted | rejected | withdrawn | cancelled;
waitlisted -> accepted | rejected | withdrawn | cancelled;
accepted -> rejected | withdrawn | cancelled | no_show (once the shift has started).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ataa.core.audit import audit_record
from ataa.core.errors import PermissionRefused, ServiceError
from ataa.notifications.services import Notice, notify
from ataa.opportunities.access import require_manager
from ataa.opportunities.models import Application, ApplicationQuestion, Opportunity, Shift
from ataa.opportunities.notices import APPLICATION_KINDS
from ataa.organizations.models import Membership, Organization
from ataa.volunteers.models import ADULT_AGE, Gender, Qualification, VolunteerProfile

MAX_ANSWER_LENGTH = 2000

S = Application.Status


class EmailKind:
    RECEIVED = "received"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    PROMOTED = "promoted"
    CANCELLED = "cancelled"
    ALL = (RECEIVED, ACCEPTED, REJECTED, PROMOTED, CANCELLED)


def _require_manager(*, actor, organization_id: int) -> None:
    require_manager(
        actor=actor,
        organization_id=organization_id,
        refusal=_("Only the organization's admins and coordinators can decide on applications."),
    )


def _email(application: Application, kind: str) -> None:
    """Tell the volunteer (email, text message: by their choice), once per application and kind."""
    notify(
        [
            Notice(
                recipient_id=application.volunteer_id,
                kind=APPLICATION_KINDS[kind],
                object_id=application.pk,
            )
        ]
    )


def _audit(application: Application, *, actor, verb: str, ip_address, **payload) -> None:
    audit_record(
        actor=actor,
        verb=verb,
        organization_id=application.opportunity.organization_id,
        target=application,
        ip_address=ip_address,
        payload={
            "opportunity_id": application.opportunity_id,
            "shift_id": application.shift_id,
            "party_size": application.party_size,
            **payload,
        },
    )


# --- Eligibility ----------------------------------------------------------------------------


def reference_day(opportunity: Opportunity, shift: Shift | None) -> dt.date:
    """The day eligibility is judged on: the shift's day, else the opportunity's start date
    (else today, for an opportunity without dates)."""
    if shift is not None:
        return timezone.localdate(shift.starts_at)
    return opportunity.starts_on or timezone.localdate()


def eligibility_problems(
    *, profile: VolunteerProfile, opportunity: Opportunity, shift: Shift | None = None
) -> list[tuple[str, str]]:
    """Every hard rule the volunteer does not meet, as (code, translated reason); [] if none.

    Age and guardian consent are judged on `reference_day`; qualifications must be verified
    and not expired on that day.
    """
    problems: list[tuple[str, str]] = []
    day = reference_day(opportunity, shift)
    shown_day = date_format(day, "DATE_FORMAT")
    age = profile.age_on(day)
    if opportunity.age_min is not None and age < opportunity.age_min:
        problems.append(
            (
                "too_young",
                _(
                    "This opportunity is for people aged %(min)d or older, and you will be "
                    "%(age)d on %(day)s."
                )
                % {"min": opportunity.age_min, "age": age, "day": shown_day},
            )
        )
    if opportunity.age_max is not None and age > opportunity.age_max:
        problems.append(
            (
                "too_old",
                _(
                    "This opportunity is for people aged up to %(max)d, and you will be "
                    "%(age)d on %(day)s."
                )
                % {"max": opportunity.age_max, "age": age, "day": shown_day},
            )
        )
    wanted_gender = {
        Opportunity.Gender.WOMEN: Gender.FEMALE,
        Opportunity.Gender.MEN: Gender.MALE,
    }.get(opportunity.gender_eligibility)
    if wanted_gender is not None and profile.gender != wanted_gender:
        problems.append(
            (
                "gender_not_eligible",
                _("This opportunity is for women only.")
                if wanted_gender == Gender.FEMALE
                else _("This opportunity is for men only."),
            )
        )
    if age < ADULT_AGE and profile.guardian_consent_at is None:
        problems.append(
            (
                "guardian_consent_required",
                _(
                    "You will be under 18 on %(day)s: add the consent of a parent or guardian "
                    "to your volunteer profile first."
                )
                % {"day": shown_day},
            )
        )
    have_skills = {skill.pk for skill in profile.skills.all()}
    missing_skills = [
        skill for skill in opportunity.required_skills.all() if skill.pk not in have_skills
    ]
    if missing_skills:
        problems.append(
            (
                "skills_missing",
                _("This opportunity needs skills your profile does not list: %(skills)s.")
                % {"skills": _join(skill.name for skill in missing_skills)},
            )
        )
    problems += qualification_problems(
        profile=profile, kinds=list(opportunity.required_qualifications.all()), day=day
    )
    return problems


def qualification_problems(
    *, profile: VolunteerProfile, kinds, day: dt.date
) -> list[tuple[str, str]]:
    """The required qualification `kinds` the volunteer does not hold verified and valid on
    `day`: missing, not verified yet, or expired; as (code, translated reason)."""
    problems: list[tuple[str, str]] = []
    if kinds:
        held = list(Qualification.objects.filter(profile=profile, kind__in=kinds))
        missing, unverified, expired = [], [], []
        for kind in kinds:
            mine = [qualification for qualification in held if qualification.kind_id == kind.pk]
            if any(q.is_verified and not q.is_expired_on(day) for q in mine):
                continue
            if not mine:
                missing.append(kind.name)
            elif any(q.is_verified for q in mine):
                expired.append(kind.name)
            else:
                unverified.append(kind.name)
        if missing:
            problems.append(
                (
                    "qualification_missing",
                    _("This opportunity needs qualifications you have not added: %(names)s.")
                    % {"names": _join(missing)},
                )
            )
        if unverified:
            problems.append(
                (
                    "qualification_unverified",
                    _(
                        "This opportunity needs qualifications that a coordinator has not "
                        "verified yet: %(names)s."
                    )
                    % {"names": _join(unverified)},
                )
            )
        if expired:
            problems.append(
                (
                    "qualification_expired",
                    _("These qualifications of yours will have expired by %(day)s: %(names)s.")
                    % {"names": _join(expired), "day": date_format(day, "DATE_FORMAT")},
                )
            )
    return problems


def _join(names: Iterable[str]) -> str:
    return _(", ").join(str(name) for name in names)


def _clean_answers(*, opportunity: Opportunity, answers: dict | None) -> dict[str, str]:
    questions = list(ApplicationQuestion.objects.filter(opportunity=opportunity))
    known = {str(question.pk): question for question in questions}
    cleaned: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    for key, value in (answers or {}).items():
        if str(key) not in known:
            raise ServiceError(
                _("An answer is for a question this opportunity does not ask."),
                code="invalid_input",
                fields={"answers": [_("Answer only the questions of this opportunity.")]},
            )
        text = (value if isinstance(value, str) else "").strip()
        if len(text) > MAX_ANSWER_LENGTH:
            problems[f"answer_{key}"] = [
                _("Use at most %(count)d characters.") % {"count": MAX_ANSWER_LENGTH}
            ]
        if text:
            cleaned[str(key)] = text
    for question in questions:
        if question.required and str(question.pk) not in cleaned:
            problems[f"answer_{question.pk}"] = [_("This question needs an answer.")]
    if problems:
        raise ServiceError(
            _("Answer the required questions to apply."), code="answers_invalid", fields=problems
        )
    return cleaned


def _open_to(volunteer, opportunity: Opportunity) -> bool:
    if opportunity.status != Opportunity.Status.PUBLISHED:
        return False
    if opportunity.organization.status != Organization.Status.ACTIVE:
        return False
    if opportunity.visibility == Opportunity.Visibility.MEMBERS:
        return Membership.objects.filter(
            user=volunteer, organization_id=opportunity.organization_id
        ).exists()
    # Public, or unlisted: the caller reached it through access_public_opportunity_by_id.
    return True


# --- Submit ---------------------------------------------------------------------------------


@transaction.atomic
def application_submit(
    *,
    volunteer,
    opportunity: Opportunity,
    shift: Shift | None = None,
    answers: dict | None = None,
    ip_address: str | None = None,
) -> Application:
    """The volunteer applies to the opportunity (to one of its shifts, if it has shifts).

    Refused, with the reason, when the person has no volunteer profile, the opportunity is not
    open to them, they already have an active application there, or they do not meet a hard
    rule (age, gender, required skills and qualifications, a guardian's consent for minors).
    A shift that is full or already past may still be applied to: the application waits.
    """
    profile = (
        VolunteerProfile.objects.filter(user=volunteer).prefetch_related("skills").first()
        if getattr(volunteer, "is_authenticated", False)
        else None
    )
    if profile is None:
        raise ServiceError(
            _("Create your volunteer profile before you apply."), code="profile_required"
        )
    opportunity = Opportunity.objects.select_related("organization").get(pk=opportunity.pk)
    if not _open_to(volunteer, opportunity):
        raise ServiceError(_("This opportunity is not open for applications."), code="not_open")
    has_shifts = Shift.objects.filter(opportunity=opportunity).exists()
    if shift is not None and shift.opportunity_id != opportunity.pk:
        raise ServiceError(
            _("Choose a shift of this opportunity."),
            code="shift_not_in_opportunity",
            fields={"shift": [_("Choose a shift of this opportunity.")]},
        )
    if shift is None and has_shifts:
        raise ServiceError(
            _("Choose the shift you apply to."),
            code="shift_required",
            fields={"shift": [_("Choose the shift you apply to.")]},
        )
    active = Application.objects.filter(
        volunteer=volunteer, opportunity=opportunity, status__in=Application.ACTIVE_STATUSES
    )
    active = active.filter(shift=shift) if shift is not None else active.filter(shift__isnull=True)
    if active.exists():
        raise ServiceError(
            _("You have already applied to this opportunity.")
            if shift is None
            else _("You have already applied to this shift."),
            code="already_applied",
        )
    # A proof that waits for verification does not stop the application: the organization can
    # only see the proofs of its applicants, and accepting waits for the verification.
    problems = [
        problem
        for problem in eligibility_problems(profile=profile, opportunity=opportunity, shift=shift)
        if problem[0] != "qualification_unverified"
    ]
    if problems:
        raise ServiceError(
            problems[0][1]
            if len(problems) == 1
            else _("You cannot apply to this opportunity: %(reasons)s")
            % {"reasons": " ".join(reason for _code, reason in problems)},
            code=problems[0][0],
            fields={"__all__": [reason for _code, reason in problems]},
        )
    cleaned = _clean_answers(opportunity=opportunity, answers=answers)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                opportunity=opportunity,
                shift=shift,
                volunteer=volunteer,
                answers=cleaned,
                party_size=profile.party_size,
            )
    except IntegrityError:  # a second request of the same person, at the same moment
        raise ServiceError(
            _("You have already applied to this opportunity."), code="already_applied"
        ) from None
    _audit(application, actor=volunteer, verb="application.submitted", ip_address=ip_address)
    _email(application, EmailKind.RECEIVED)
    return application


# --- Places ---------------------------------------------------------------------------------


def places_taken(*, opportunity_id: int, shift_id: int | None) -> int:
    """Accepted places (sum of party sizes) of a shift, or of the opportunity without shift."""
    accepted = Application.objects.filter(status=S.ACCEPTED)
    if shift_id is not None:
        accepted = accepted.filter(shift_id=shift_id)
    else:
        accepted = accepted.filter(opportunity_id=opportunity_id, shift__isnull=True)
    return accepted.aggregate(taken=Coalesce(Sum("party_size"), 0))["taken"]


def _holder_key(application: Application) -> tuple[int, int]:
    # Shifts before opportunities, each by id: the one lock order of every service.
    if application.shift_id is not None:
        return (0, application.shift_id)
    return (1, application.opportunity_id)


def _lock_holder(key: tuple[int, int]) -> int:
    """Lock the capacity holder row (the Shift, or the Opportunity) and return its capacity."""
    kind, pk = key
    model = Shift if kind == 0 else Opportunity
    return model.objects.select_for_update().values_list("capacity", flat=True).get(pk=pk)


def _lock_application(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("opportunity", "shift")
        .get(pk=application.pk)
    )


def _full_error(*, capacity: int, taken: int, party_size: int) -> ServiceError:
    return ServiceError(
        _(
            "No place is left for this application: %(taken)d of %(capacity)d places are "
            "taken and it needs %(needed)d. Put it on the waitlist instead."
        )
        % {"taken": taken, "capacity": capacity, "needed": party_size},
        code="full",
    )


def _decide(
    application: Application,
    *,
    status: str,
    decided_by,
    verb: str,
    ip_address,
    values: dict | None = None,
    **payload,
) -> Application:
    previous = application.status
    application.status = status
    application.decided_at = timezone.now()
    application.decided_by = decided_by
    for name, value in (values or {}).items():
        setattr(application, name, value)
    application.save(update_fields=["status", "decided_at", "decided_by", *(values or {})])
    _audit(
        application,
        actor=decided_by,
        verb=verb,
        ip_address=ip_address,
        **{"from": previous, "to": status},
        **payload,
    )
    return application


def _require_verified_qualifications(application: Application) -> None:
    """Refuse to accept while a qualification the opportunity requires is not verified (or has
    expired) for the volunteer on the day that counts."""
    opportunity = application.opportunity
    kinds = list(opportunity.required_qualifications.all())
    if not kinds:
        return
    profile = VolunteerProfile.objects.filter(user_id=application.volunteer_id).first()
    problems = (
        qualification_problems(
            profile=profile, kinds=kinds, day=reference_day(opportunity, application.shift)
        )
        if profile is not None
        else [("qualification_missing", "")]
    )
    if problems:
        names = _join(kind.name for kind in kinds)
        raise ServiceError(
            _(
                "This volunteer cannot be accepted yet: the opportunity requires %(names)s, "
                "verified and valid on the day. Check and verify the proof on the "
                "qualifications page first."
            )
            % {"names": names},
            code="qualification_unverified",
        )


def _accept_locked(
    application: Application, *, capacity: int, decided_by, ip_address, verb: str
) -> Application:
    """Accept an application whose holder is locked by this transaction."""
    application = _lock_application(application)
    if application.status not in {S.PENDING, S.WAITLISTED}:
        raise ServiceError(
            _("Only a pending or waitlisted application can be accepted."),
            code="illegal_transition",
        )
    _require_verified_qualifications(application)
    taken = places_taken(opportunity_id=application.opportunity_id, shift_id=application.shift_id)
    if taken + application.party_size > capacity:
        raise _full_error(capacity=capacity, taken=taken, party_size=application.party_size)
    _decide(
        application,
        status=S.ACCEPTED,
        decided_by=decided_by,
        verb=verb,
        ip_address=ip_address,
        taken=taken + application.party_size,
        capacity=capacity,
    )
    _email(
        application, EmailKind.PROMOTED if verb == "application.promoted" else EmailKind.ACCEPTED
    )
    return application


def _promote_waitlist(
    *, key: tuple[int, int], capacity: int, opportunity_id: int, actor, ip_address
) -> list[Application]:
    """Fill freed places from the waitlist, oldest first, every application that fits."""
    waitlist = Application.objects.filter(status=S.WAITLISTED).order_by("created_at", "id")
    if key[0] == 0:
        waitlist = waitlist.filter(shift_id=key[1])
    else:
        waitlist = waitlist.filter(opportunity_id=opportunity_id, shift__isnull=True)
    promoted = []
    free = capacity - places_taken(
        opportunity_id=opportunity_id, shift_id=key[1] if key[0] == 0 else None
    )
    for candidate in waitlist.select_for_update():
        if free <= 0:
            break
        if candidate.party_size > free:
            continue
        try:
            accepted = _accept_locked(
                candidate,
                capacity=capacity,
                decided_by=actor,
                ip_address=ip_address,
                verb="application.promoted",
            )
        except ServiceError as error:
            if error.code != "qualification_unverified":
                raise
            continue  # waits for the verification; the next in line gets the place
        promoted.append(accepted)
        free -= candidate.party_size
    return promoted


# --- Decisions by the organization ----------------------------------------------------------


@transaction.atomic
def application_accept(
    *, application: Application, decided_by, ip_address: str | None = None
) -> Application:
    """Accept a pending or waitlisted application if its places are free; else "full"."""
    _require_manager(actor=decided_by, organization_id=application.opportunity.organization_id)
    key = _holder_key(application)
    capacity = _lock_holder(key)
    return _accept_locked(
        application,
        capacity=capacity,
        decided_by=decided_by,
        ip_address=ip_address,
        verb="application.accepted",
    )


@transaction.atomic
def applications_bulk_accept(
    *, applications: Iterable[Application], decided_by, ip_address: str | None = None
) -> tuple[list[Application], list[tuple[Application, ServiceError]]]:
    """Accept the applications in the order given, while places last; returns the accepted
    ones and the refused ones with the refusal (usually "full")."""
    applications = list(applications)
    for organization_id in {a.opportunity.organization_id for a in applications}:
        _require_manager(actor=decided_by, organization_id=organization_id)
    capacities = {key: _lock_holder(key) for key in sorted({_holder_key(a) for a in applications})}
    accepted, refused = [], []
    for application in applications:
        try:
            accepted.append(
                _accept_locked(
                    application,
                    capacity=capacities[_holder_key(application)],
                    decided_by=decided_by,
                    ip_address=ip_address,
                    verb="application.accepted",
                )
            )
        except ServiceError as error:  # raised before anything was written for this one
            refused.append((application, error))
    return accepted, refused


@transaction.atomic
def application_waitlist(
    *, application: Application, decided_by, ip_address: str | None = None
) -> Application:
    """Put a pending application on the waitlist; it is accepted when a place frees up."""
    _require_manager(actor=decided_by, organization_id=application.opportunity.organization_id)
    _lock_holder(_holder_key(application))
    application = _lock_application(application)
    if application.status != S.PENDING:
        raise ServiceError(
            _("Only a pending application can be put on the waitlist."),
            code="illegal_transition",
        )
    return _decide(
        application,
        status=S.WAITLISTED,
        decided_by=decided_by,
        verb="application.waitlisted",
        ip_address=ip_address,
    )


def _end(
    *,
    application: Application,
    actor,
    status: str,
    allowed_from: set[str],
    refusal,
    verb: str,
    email: str | None,
    ip_address,
    values: dict | None = None,
    **payload,
) -> Application:
    """Move an application to a final state; a freed place goes to the waitlist."""
    key = _holder_key(application)
    capacity = _lock_holder(key)
    application = _lock_application(application)
    if application.status not in allowed_from:
        raise ServiceError(refusal, code="illegal_transition")
    freed = application.status == S.ACCEPTED
    _decide(
        application,
        status=status,
        decided_by=actor,
        verb=verb,
        ip_address=ip_address,
        values=values,
        **payload,
    )
    if email:
        _email(application, email)
    if freed:
        _promote_waitlist(
            key=key,
            capacity=capacity,
            opportunity_id=application.opportunity_id,
            actor=actor,
            ip_address=ip_address,
        )
    return application


@transaction.atomic
def application_reject(
    *, application: Application, decided_by, ip_address: str | None = None
) -> Application:
    """Turn an application down (even after accepting it: the place goes to the waitlist)."""
    _require_manager(actor=decided_by, organization_id=application.opportunity.organization_id)
    return _end(
        application=application,
        actor=decided_by,
        status=S.REJECTED,
        allowed_from={S.PENDING, S.WAITLISTED, S.ACCEPTED},
        refusal=_("This application has already ended."),
        verb="application.rejected",
        email=EmailKind.REJECTED,
        ip_address=ip_address,
    )


MAX_CANCEL_NOTE_LENGTH = 500


def _clean_cancel_reason(reason, note) -> tuple[str, str]:
    problems: dict[str, list[str]] = {}
    if reason not in Application.CancelReason.values:
        problems["reason"] = [_("Choose the reason for cancelling.")]
    note = (note if isinstance(note, str) else "").strip()
    if len(note) > MAX_CANCEL_NOTE_LENGTH:
        problems["note"] = [
            _("Use at most %(count)d characters.") % {"count": MAX_CANCEL_NOTE_LENGTH}
        ]
    elif reason == Application.CancelReason.OTHER and not note:
        problems["note"] = [_("Say in a few words why the application is cancelled.")]
    if problems:
        raise ServiceError(
            _("Give the reason for cancelling."), code="invalid_input", fields=problems
        )
    return reason, note


@transaction.atomic
def application_cancel(
    *,
    application: Application,
    decided_by,
    reason: str,
    note: str = "",
    ip_address: str | None = None,
) -> Application:
    """The organization cancels an application, with a reason (`Application.CancelReason`; a
    note is required for "other"). The reason's code is audited; the note, free text, is kept
    on the application only. A place it held goes to the waitlist."""
    _require_manager(actor=decided_by, organization_id=application.opportunity.organization_id)
    reason, note = _clean_cancel_reason(reason, note)
    return _end(
        application=application,
        actor=decided_by,
        status=S.CANCELLED,
        allowed_from={S.PENDING, S.WAITLISTED, S.ACCEPTED},
        refusal=_("This application has already ended."),
        verb="application.cancelled",
        email=EmailKind.CANCELLED,
        ip_address=ip_address,
        values={"cancel_reason": reason, "cancel_note": note},
        reason=reason,
    )


@transaction.atomic
def application_withdraw(
    *, application: Application, volunteer, ip_address: str | None = None
) -> Application:
    """The volunteer takes their application back."""
    if application.volunteer_id != getattr(volunteer, "pk", None):
        raise PermissionRefused(
            _("Only the volunteer who applied can withdraw the application."), code="forbidden"
        )
    return _end(
        application=application,
        actor=volunteer,
        status=S.WITHDRAWN,
        allowed_from={S.PENDING, S.WAITLISTED, S.ACCEPTED},
        refusal=_("This application has already ended."),
        verb="application.withdrawn",
        email=None,
        ip_address=ip_address,
    )


def has_started(application: Application, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    if application.shift is not None:
        return application.shift.starts_at <= now
    starts_on = application.opportunity.starts_on
    return starts_on is not None and starts_on <= timezone.localdate(now)


@transaction.atomic
def application_mark_no_show(
    *, application: Application, decided_by, ip_address: str | None = None
) -> Application:
    """An accepted volunteer did not come; only once the shift (or opportunity) has started."""
    _require_manager(actor=decided_by, organization_id=application.opportunity.organization_id)
    _lock_holder(_holder_key(application))
    application = _lock_application(application)
    if application.status != S.ACCEPTED:
        raise ServiceError(
            _("Only an accepted volunteer can be marked as not having come."),
            code="illegal_transition",
        )
    if not has_started(application):
        raise ServiceError(
            _("A volunteer can be marked as not having come only after the shift has started."),
            code="not_started",
        )
    return _decide(
        application,
        status=S.NO_SHOW,
        decided_by=decided_by,
        verb="application.no_show",
        ip_address=ip_address,
    )
