"""An index for the public search by city and field of volunteering, newest first.

The public list filters published, public opportunities by city and field and shows the newest
first: with this partial index on (city, field, published_at, id) the first page is read in
order from the index and stops after a page's worth, instead of sorting every opportunity of a
big city that matches the words (measured in bench/: the national data set of 100,000
opportunities). Plain SQL, the same on PostgreSQL and SQLite, like 0002's search index it is
not part of the model state. Reversible.
"""

from django.db import migrations

INDEX = "opportunity_public_city_field_idx"


def forwards(apps, schema_editor):
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON opportunities_opportunity "
        "(city_id, field_id, published_at DESC, id DESC) "
        "WHERE status = 'published' AND visibility = 'public'"
    )


def backwards(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0005_application_cancel_reason")]

    operations = [migrations.RunPython(forwards, backwards)]
