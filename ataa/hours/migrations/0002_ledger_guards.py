"""PostgreSQL guards of the hours ledger (SQLite relies on the services, whose writes it
serializes):

- no two live entries (pending or approved) of one volunteer overlap in time: an exclusion
  constraint over (volunteer, [starts_at, ends_at)), so two writers racing cannot both insert;
- entries are append-only: an UPDATE may change only the status and the decision (who, when,
  note), and a DELETE is refused. A correction is a new entry.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE hours_hourentry ADD CONSTRAINT hourentry_no_overlap
    EXCLUDE USING gist (volunteer_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&)
    WHERE (status IN ('pending', 'approved'));
CREATE FUNCTION hours_hourentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'hour entries are append-only: % cannot be deleted', OLD.id;
    END IF;
    IF (NEW.id, NEW.volunteer_id, NEW.organization_id, NEW.opportunity_id, NEW.shift_id,
        NEW.attendance_id, NEW.source, NEW.starts_at, NEW.ends_at, NEW.minutes,
        NEW.description, NEW.evidence, NEW.corrects_id, NEW.reason, NEW.created_by_id,
        NEW.created_at)
       IS DISTINCT FROM
       (OLD.id, OLD.volunteer_id, OLD.organization_id, OLD.opportunity_id, OLD.shift_id,
        OLD.attendance_id, OLD.source, OLD.starts_at, OLD.ends_at, OLD.minutes,
        OLD.description, OLD.evidence, OLD.corrects_id, OLD.reason, OLD.created_by_id,
        OLD.created_at) THEN
        RAISE EXCEPTION 'hour entries are append-only: only the status of % may change', OLD.id;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER hourentry_append_only BEFORE UPDATE OR DELETE ON hours_hourentry
    FOR EACH ROW EXECUTE FUNCTION hours_hourentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS hourentry_append_only ON hours_hourentry;
DROP FUNCTION IF EXISTS hours_hourentry_append_only();
ALTER TABLE hours_hourentry DROP CONSTRAINT IF EXISTS hourentry_no_overlap;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("hours", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
