"""The OpenAPI document lists every operation, the docs work offline, the snapshot is current."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.core.management.base import CommandError

from ataa.api.tests.conftest import API, PUBLIC_OPERATIONS

pytestmark = pytest.mark.django_db

_P = "/api/v1/organizations/{organization_id}"
_O = _P + "/opportunities/{opportunity_id}"
OPERATIONS = {
    ("GET", "/api/v1/certificates/verify/{code}"): "certificate_verify",
    ("GET", "/api/v1/me/certificates"): "my_certificate_list",
    ("POST", "/api/v1/me/certificates"): "my_certificate_issue",
    ("GET", f"{_P}/certificates"): "certificate_list",
    ("POST", f"{_P}/certificates/{{certificate_id}}/revoke"): "certificate_revoke",
    ("POST", "/api/v1/shifts/{shift_id}/check-in"): "shift_check_in",
    ("GET", f"{_P}/shifts/{{shift_id}}/check-in-code"): "shift_check_in_code",
    ("GET", f"{_P}/shifts/{{shift_id}}/attendances"): "shift_attendance_list",
    ("POST", f"{_P}/shifts/{{shift_id}}/attendances"): "attendance_check_in",
    ("POST", f"{_P}/attendances/{{attendance_id}}/check-out"): "attendance_check_out",
    ("GET", "/api/v1/me/hours"): "my_hour_list",
    ("POST", "/api/v1/me/hours"): "my_hours_submit",
    ("GET", "/api/v1/me/hours/totals"): "my_hours_totals",
    ("GET", f"{_P}/hours"): "hour_list",
    ("POST", f"{_P}/hours/approve"): "hours_approve",
    ("POST", f"{_P}/hours/{{entry_id}}/reject"): "hours_reject",
    ("POST", f"{_P}/hours/{{entry_id}}/correct"): "hours_correct",
    ("GET", f"{_P}/hours/totals"): "hours_totals",
    ("GET", f"{_P}/attendances/{{attendance_id}}/evaluation"): "attendance_evaluation_get",
    ("PUT", f"{_P}/attendances/{{attendance_id}}/evaluation"): "attendance_evaluation_put",
    ("GET", f"{_P}/experience-ratings"): "organization_experience_list",
    ("POST", "/api/v1/me/ratings"): "my_rating_create",
    ("GET", "/api/v1/me/evaluations"): "my_evaluations_get",
    ("GET", "/api/v1/me/ratings"): "my_rating_list",
    ("GET", "/api/v1/me/notifications"): "my_notifications_get",
    ("PUT", "/api/v1/me/notifications"): "my_notifications_put",
    ("POST", f"{_O}/shifts/{{shift_id}}/messages"): "shift_message_create",
    ("GET", f"{_O}/shifts/{{shift_id}}/roster"): "shift_roster_get",
    ("GET", f"{_O}/shifts/{{shift_id}}/roster/export"): "shift_roster_export",
    ("GET", f"{_O}/roster"): "opportunity_roster_get",
    ("GET", f"{_O}/roster/export"): "opportunity_roster_export",
    ("POST", f"{_O}/applications/{{application_id}}/cancel"): "application_cancel",
    ("POST", f"{_O}/applications/{{application_id}}/no-show"): "application_mark_no_show",
    ("GET", f"{_O}/questions"): "question_list",
    ("POST", f"{_O}/questions"): "question_create",
    ("POST", f"{_O}/questions/reorder"): "questions_reorder",
    ("PATCH", f"{_O}/questions/{{question_id}}"): "question_update",
    ("DELETE", f"{_O}/questions/{{question_id}}"): "question_delete",
    ("GET", f"{_P}/qualifications"): "qualification_review_list",
    ("POST", f"{_P}/qualifications/{{qualification_id}}/verify"): "qualification_review_verify",
    ("GET", f"{_P}/qualifications/{{qualification_id}}/proof"): "qualification_review_proof",
    ("GET", "/api/v1/me/shifts"): "my_shift_list",
    ("POST", "/api/v1/me/calendar-feed"): "calendar_feed_create",
    ("DELETE", "/api/v1/me/calendar-feed"): "calendar_feed_revoke",
    ("GET", "/api/v1/me"): "me_get",
    ("PATCH", "/api/v1/me"): "me_update",
    ("GET", "/api/v1/me/tokens"): "token_list",
    ("DELETE", "/api/v1/me/tokens/{token_id}"): "token_revoke",
    ("GET", "/api/v1/organizations"): "organization_list",
    ("POST", "/api/v1/organizations"): "organization_register",
    ("GET", "/api/v1/organizations/{organization_id}"): "organization_get",
    ("PATCH", "/api/v1/organizations/{organization_id}"): "organization_update",
    ("GET", "/api/v1/organizations/{organization_id}/members"): "member_list",
    ("PATCH", "/api/v1/organizations/{organization_id}/members/{membership_id}"): "member_update",
    ("DELETE", "/api/v1/organizations/{organization_id}/members/{membership_id}"): "member_remove",
    ("GET", "/api/v1/organizations/{organization_id}/invitations"): "invitation_list",
    ("POST", "/api/v1/organizations/{organization_id}/invitations"): "invitation_create",
    (
        "DELETE",
        "/api/v1/organizations/{organization_id}/invitations/{invitation_id}",
    ): "invitation_revoke",
    ("POST", "/api/v1/invitations/accept"): "invitation_accept",
    ("GET", "/api/v1/organizations/{organization_id}/audit-events"): "audit_event_list",
    ("GET", "/api/v1/volunteer-profile"): "volunteer_profile_get",
    ("PUT", "/api/v1/volunteer-profile"): "volunteer_profile_put",
    ("GET", "/api/v1/volunteer-profile/qualifications"): "qualification_list",
    ("POST", "/api/v1/volunteer-profile/qualifications"): "qualification_add",
    (
        "DELETE",
        "/api/v1/volunteer-profile/qualifications/{qualification_id}",
    ): "qualification_remove",
    ("GET", "/api/v1/taxonomy/skills"): "skill_taxonomy",
    ("GET", "/api/v1/places/cities"): "city_list",
    ("GET", "/api/v1/opportunities"): "opportunity_public_list",
    ("GET", "/api/v1/opportunities/{opportunity_id}"): "opportunity_public_get",
    ("GET", "/api/v1/organizations/{organization_id}/opportunities"): "opportunity_list",
    ("POST", "/api/v1/organizations/{organization_id}/opportunities"): "opportunity_create",
    (
        "PATCH",
        "/api/v1/organizations/{organization_id}/opportunities/{opportunity_id}",
    ): "opportunity_update",
    (
        "POST",
        "/api/v1/organizations/{organization_id}/opportunities/{opportunity_id}/publish",
    ): "opportunity_publish",
    (
        "POST",
        "/api/v1/organizations/{organization_id}/opportunities/{opportunity_id}/close",
    ): "opportunity_close",
    (
        "POST",
        "/api/v1/organizations/{organization_id}/opportunities/{opportunity_id}/archive",
    ): "opportunity_archive",
    (
        "GET",
        "/api/v1/organizations/{organization_id}/opportunities/{opportunity_id}/shifts",
    ): "shift_list",
    (
        "POST",
        "/api/v1/organizations/{organization_id}/opportunities/{opportunity_id}/shifts",
    ): "shift_create",
    (
        "POST",
        "/api/v1/organizations/{organization_id}/opportunities/{opportunity_id}/shifts/weekly",
    ): "shifts_generate_weekly",
    ("POST", "/api/v1/opportunities/{opportunity_id}/applications"): "application_submit",
    ("GET", "/api/v1/me/applications"): "my_application_list",
    ("POST", "/api/v1/me/applications/{application_id}/withdraw"): "my_application_withdraw",
    (
        "GET",
        "/api/v1/organizations/{organization_id}/opportunities/{opportunity_id}/applications",
    ): "application_list",
    (
        "POST",
        "/api/v1/organizations/{organization_id}/opportunities/{opportunity_id}/applications/{application_id}/accept",
    ): "application_accept",
    (
        "POST",
        "/api/v1/organizations/{organization_id}/opportunities/{opportunity_id}/applications/{application_id}/waitlist",
    ): "application_waitlist",
    (
        "POST",
        "/api/v1/organizations/{organization_id}/opportunities/{opportunity_id}/applications/{application_id}/reject",
    ): "application_reject",
    (
        "POST",
        "/api/v1/organizations/{organization_id}/opportunities/{opportunity_id}/applications/bulk-accept",
    ): "applications_bulk_accept",
}
# Every list is paginated except the two small, bounded taxonomies (skills, cities).
LISTS = {
    "my_certificate_list",
    "certificate_list",
    "shift_attendance_list",
    "my_hour_list",
    "hour_list",
    "organization_experience_list",
    "my_rating_list",
    "question_list",
    "qualification_review_list",
    "my_shift_list",
    "token_list",
    "organization_list",
    "member_list",
    "invitation_list",
    "audit_event_list",
    "qualification_list",
    "opportunity_public_list",
    "opportunity_list",
    "shift_list",
    "my_application_list",
    "application_list",
}


def served_schema(client):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    return response.json()


def test_the_document_lists_every_operation(client):
    schema = served_schema(client)
    assert schema["info"]["title"] == "Ataa API"
    found = {
        (method.upper(), path): operation["operationId"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }
    assert found == OPERATIONS


def test_every_operation_needs_a_token_or_session_and_documents_the_error_shape(client):
    schema = served_schema(client)
    schemes = schema["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert schemes["SessionAuth"]["in"] == "cookie"
    assert "ErrorOut" in schema["components"]["schemas"]
    for methods in schema["paths"].values():
        for operation in methods.values():
            if operation["operationId"] in PUBLIC_OPERATIONS:
                assert "security" not in operation
            else:
                assert operation["security"] == [{"TokenAuth": []}, {"SessionAuth": []}]
            assert operation["responses"]["default"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorOut"
            }
            names = {parameter["name"] for parameter in operation.get("parameters", [])}
            if operation["operationId"] in LISTS:
                assert {"page", "page_size"} <= names


def test_path_parameters_have_the_agreed_names():
    for method_path in OPERATIONS:
        for name in re.findall(r"\{(\w+)\}", method_path[1]):
            assert name in {
                "organization_id",
                "membership_id",
                "invitation_id",
                "token_id",
                "qualification_id",
                "opportunity_id",
                "application_id",
                "shift_id",
                "question_id",
                "attendance_id",
                "entry_id",
                "certificate_id",
                "code",
            }


def test_the_docs_page_loads_nothing_from_other_hosts(client):
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui-bundle.js" in html
    hosts = set(re.findall(r"(?:https?:)?//([A-Za-z0-9.\-]+(?::\d+)?)", html))
    assert hosts <= {"testserver"}, hosts
    # Every asset it references is one of our own static files.
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets
    for asset in assets:
        assert asset.startswith(settings.STATIC_URL), asset
        assert finders.find(asset.removeprefix(settings.STATIC_URL)), asset


def test_the_snapshot_in_docs_matches_the_code():
    call_command(
        "export_openapi", str(Path(settings.BASE_DIR) / "docs" / "openapi.json"), "--check"
    )


def test_export_is_deterministic_and_check_reports_drift(tmp_path, capsys):
    target = tmp_path / "openapi.json"
    call_command("export_openapi", str(target))
    first = target.read_text()
    call_command("export_openapi", str(target))
    assert target.read_text() == first
    assert first.endswith("}\n")
    assert (
        first == json.dumps(json.loads(first), sort_keys=True, indent=2, ensure_ascii=False) + "\n"
    )
    call_command("export_openapi", str(target), "--check")

    stale = json.loads(first)
    del stale["paths"]["/api/v1/invitations/accept"]
    stale["info"]["title"] = "Old title"
    target.write_text(json.dumps(stale, sort_keys=True, indent=2) + "\n")
    capsys.readouterr()
    with pytest.raises(CommandError, match="does not match the API"):
        call_command("export_openapi", str(target), "--check")
    summary = capsys.readouterr().err
    assert "new path: /api/v1/invitations/accept" in summary
    assert "Old title" in summary
    assert len(summary.splitlines()) < 60

    target.unlink()
    with pytest.raises(CommandError):
        call_command("export_openapi", str(target), "--check")
