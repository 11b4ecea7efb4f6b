"""The `volunteer` persona (a signed-up person of no organization, in Jeddah) and helpers."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ataa.core.models import City
from ataa.volunteers.models import ConsentPurpose, Skill, VolunteeringField


def years_ago(years: int, days: int = 0) -> dt.date:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return day - dt.timedelta(days=days)


def profile_values(**overrides) -> dict:
    """Valid arguments of volunteer_profile_save for an adult in Jeddah."""
    jeddah = City.objects.get(code="jeddah")
    values = {
        "full_name_ar": "ليلى أحمد الحربي",
        "full_name_latin": "Layla Ahmed Alharbi",
        "gender": "female",
        "date_of_birth": years_ago(30),
        "phone": "+966 55 123 4567",
        "city": jeddah,
        "district": jeddah.districts.order_by("code").first(),
        "skills": list(Skill.objects.filter(code="first-aid")),
        "interests": list(VolunteeringField.objects.filter(code="health")),
        "languages": ["ar", "en"],
        "availability": ["sun-morning", "fri-evening"],
        "work_mode": "both",
        "consents": {ConsentPurpose.PROFILE_PROCESSING},
    }
    values.update(overrides)
    return values


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


def upload(content: bytes, name: str = "certificate.pdf", content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to fresh folders per test (proofs: the private storage)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ATAA_PRIVATE_ROOT = tmp_path / "private"
