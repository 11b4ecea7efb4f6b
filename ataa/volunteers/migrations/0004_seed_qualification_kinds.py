"""Seed the kinds of qualification opportunities can require. Reversible."""

from django.db import migrations

KINDS = [
    ("first-aid-certificate", "شهادة الإسعافات الأولية", "First aid certificate", True),
    ("driving-licence", "رخصة القيادة", "Driving licence", True),
    ("nursing-licence", "ترخيص مزاولة التمريض", "Nursing licence", True),
    ("sign-language-certificate", "شهادة لغة الإشارة", "Sign language certificate", False),
    ("food-safety-certificate", "شهادة سلامة الغذاء", "Food safety certificate", True),
    ("lifeguard-certificate", "شهادة الإنقاذ المائي", "Lifeguard certificate", True),
]


def seed(apps, schema_editor):
    QualificationKind = apps.get_model("volunteers", "QualificationKind")
    for code, name_ar, name_en, expires in KINDS:
        QualificationKind.objects.get_or_create(
            code=code, defaults={"name_ar": name_ar, "name_en": name_en, "expires": expires}
        )


def unseed(apps, schema_editor):
    apps.get_model("volunteers", "QualificationKind").objects.filter(
        code__in=[kind[0] for kind in KINDS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0003_qualification_kinds")]

    operations = [migrations.RunPython(seed, unseed)]
