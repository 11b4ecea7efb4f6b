"""Index `Opportunity.search_text` for substring search.

PostgreSQL: a trigram GIN index (pg_trgm), which serves the `LIKE '%word%'` queries of the
public search. SQLite has no such index; the search scans the published rows, which is fast at
the size an embedded installation holds. Reversible on both.
"""

from django.db import migrations

INDEX = "opportunity_search_trgm_idx"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON opportunities_opportunity "
        "USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other tables may use it.
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_opportunities_and_shifts")]

    operations = [migrations.RunPython(forwards, backwards)]
