"""Proofs of qualifications move from the public media storage to the private storage.

MEDIA_URL may be served by the web server (and is, by `runserver` in development), so a proof
under MEDIA_ROOT could be fetched by anyone who learnt its name. From here on proofs live in the
"private" storage (ATAA_PRIVATE_ROOT, no URL) and are read only through views that check access.
Existing files are moved under the same name; reversing moves them back.
"""

from django.core.files.storage import storages
from django.db import migrations, models

import ataa.core.storage
import ataa.volunteers.models


def _move(apps, source: str, target: str) -> None:
    Qualification = apps.get_model("volunteers", "Qualification")
    source_storage, target_storage = storages[source], storages[target]
    names = Qualification.objects.exclude(proof="").values_list("proof", flat=True).iterator()
    for name in names:
        if not source_storage.exists(name) or target_storage.exists(name):
            continue
        with source_storage.open(name, "rb") as handle:
            saved = target_storage.save(name, handle)
        if saved != name:  # a storage that renamed it: keep the row pointing at the file
            Qualification.objects.filter(proof=name).update(proof=saved)
        source_storage.delete(name)


def to_private(apps, schema_editor):
    _move(apps, "default", "private")


def to_public(apps, schema_editor):
    _move(apps, "private", "default")


class Migration(migrations.Migration):
    dependencies = [
        ("volunteers", "0005_volunteer_profile"),
    ]

    operations = [
        migrations.AlterField(
            model_name="qualification",
            name="proof",
            field=models.FileField(
                max_length=200,
                storage=ataa.core.storage.private_storage,
                upload_to=ataa.volunteers.models.qualification_proof_path,
                verbose_name="proof",
            ),
        ),
        migrations.RunPython(to_private, to_public, elidable=False),
    ]
