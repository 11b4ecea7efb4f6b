import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import DatabaseError, connection, transaction
from django.template import Context, Template
from django.utils import translation

from ataa.core.audit import audit_record
from ataa.core.dates import hijri_text
from ataa.core.models import AuditEvent

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("day", "arabic", "english"),
    [
        (dt.date(2025, 6, 26), "1 محرم 1447 هـ", "1 Muharram 1447 AH"),
        (dt.date(2026, 2, 18), "1 رمضان 1447 هـ", "1 Ramadan 1447 AH"),
    ],
)
def test_hijri_dates_follow_umm_al_qura(day, arabic, english):
    assert hijri_text(day, "ar") == arabic
    assert hijri_text(day, "en") == english


def test_dual_date_shows_gregorian_and_hijri_in_the_page_language():
    template = Template("{% load ataa %}{{ day|dual_date }}")
    with translation.override("en"):
        html = template.render(Context({"day": dt.date(2026, 2, 18)}))
    assert '<time datetime="2026-02-18">18 February 2026</time>' in html
    assert "1 Ramadan 1447 AH" in html
    with translation.override("ar"):
        html = template.render(Context({"day": dt.date(2026, 2, 18)}))
    assert "رمضان" in html and "فبراير" in html
    assert template.render(Context({"day": None})) == ""


def test_dates_outside_the_umm_al_qura_table_show_gregorian_only():
    assert hijri_text(dt.date(1800, 1, 1), "en") == ""


@pytest.mark.django_db
def test_audit_events_are_append_only_in_the_model_and_the_database(coordinator):
    event = audit_record(actor=coordinator, verb="test.done", target_type="x", target_id=1)
    event.verb = "changed"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.all().update(verb="changed")
    for statement in ("UPDATE core_auditevent SET verb = 'changed'", "DELETE FROM core_auditevent"):
        with (
            pytest.raises(DatabaseError),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    assert AuditEvent.objects.get().verb == "test.done"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["سارة العتيبي", "+966551234567 call", {"name": "x"}])
def test_audit_payload_refuses_anything_that_could_be_personal_data(coordinator, value):
    with pytest.raises(ValueError):
        audit_record(actor=coordinator, verb="test.done", payload={"who": value})
    assert not AuditEvent.objects.exists()


def test_production_settings_pass_the_deploy_check():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "ATAA_ENV": "production",
        "DJANGO_SECRET_KEY": "x9$Kq!2vLr7@pZ3mN8wT5#yB1cF6hJ0dG4sA-uE_oI+eR&tY*iO(pQ)zX=nM^kW",
        "DJANGO_ALLOWED_HOSTS": "ataa.example.org",
        "DATABASE_URL": "sqlite:////tmp/ataa-deploy-check.sqlite3",
        "CACHE_URL": "locmemcache://",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.django_db
def test_healthz_reports_the_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
