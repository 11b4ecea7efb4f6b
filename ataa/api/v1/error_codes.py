"""The stable `error.code` values of the API, and the HTTP status of each refused action.

Clients branch on these codes, never on the (translated) message. A code, once published, keeps
its meaning; add new ones rather than reusing old ones.
"""

from __future__ import annotations

# --- Request problems -----------------------------------------------------------------------
NOT_AUTHENTICATED = "not_authenticated"  # 401: no session and no valid API token
CSRF_FAILED = "csrf_failed"  # 403: a browser session sent an unsafe request without CSRF token
FORBIDDEN = "forbidden"  # 403: a member whose role does not allow the action
MFA_REQUIRED = "mfa_required"  # 403: the organization requires two-factor authentication
NOT_FOUND = "not_found"  # 404: missing, or not yours (the two are never told apart)
METHOD_NOT_ALLOWED = "method_not_allowed"  # 405
MALFORMED_BODY = "malformed_body"  # 400: the body is not a JSON object
INVALID_INPUT = "invalid_input"  # 422: fields that do not validate; see `error.fields`
THROTTLED = "throttled"  # 429
SERVER_ERROR = "server_error"  # 500: a bug on our side; it is logged
INVITATION_NOT_FOUND = "invitation_not_found"  # 404: the invitation token is not valid

# --- Refused actions (ataa.core.errors.ServiceError codes raised by the services) -------------
# The services choose the code; the API chooses the status. Codes not listed answer 400.
SERVICE_ERROR_STATUS: dict[str, int] = {
    "forbidden": 403,
    "no_approved_hours": 409,
    "already_issued": 409,
    "already_revoked": 409,
    "duplicate_registration_number": 409,
    "already_member": 409,
    "already_invited": 409,
    "last_admin": 409,
    "invitation_closed": 409,
    "invitation_other_email": 403,
    "already_decided": 409,
    "invalid_input": 422,
    "illegal_transition": 409,
    "not_publishable": 409,
    "opportunity_archived": 409,
    "duplicate_shift": 409,
    # Applications: a state that conflicts (409), input that does not fit (422). A volunteer who
    # does not meet a hard rule (too_young, too_old, gender_not_eligible, skills_missing,
    # qualification_missing/_expired, guardian_consent_required) answers 400. Accepting a
    # volunteer whose required qualification is not verified yet conflicts with that state.
    "full": 409,
    "qualification_unverified": 409,
    "already_applied": 409,
    "not_open": 409,
    "not_started": 409,
    "profile_required": 409,
    "shift_required": 422,
    "shift_not_in_opportunity": 422,
    "answers_invalid": 422,
    # Notifications: text messages need a phone on the account; a shift without accepted
    # volunteers has nobody to write to.
    "phone_required": 422,
    "no_recipients": 409,
}
SERVICE_ERROR_STATUS.update(
    {
        # Rosters, questions, qualifications: a state that conflicts with the request.
        "question_answered": 409,
        "too_many_questions": 409,
        "already_verified": 409,
    }
)
SERVICE_ERROR_STATUS.update(
    {
        # Attendance: a state of the shift, the place or the attendance that conflicts (409);
        # a code that is wrong or too old, or a location that is missing, is input (422).
        "not_accepted": 409,
        "code_invalid": 422,
        "code_expired": 422,
        "code_used": 409,
        "too_early": 409,
        "shift_over": 409,
        "checked_in": 409,
        "checked_out": 409,
        "checked_in_elsewhere": 409,
        "location_required": 422,
        "too_far": 409,
        # The hours ledger.
        "hours_overlap": 409,
        "not_remote": 409,
        "not_pending": 409,
        "not_correctable": 409,
    }
)
SERVICE_ERROR_STATUS.update(
    {
        # Evaluations after a shift: too soon, a cancelled place, a second rating.
        "shift_not_over": 409,
        "not_attended": 409,
        "already_rated": 409,
    }
)
SERVICE_ERROR_DEFAULT_STATUS = 400

# Key of `error.fields` for a problem that concerns the request as a whole, not one field.
NON_FIELD = "__all__"
