"""On PostgreSQL, the database itself refuses to change or delete an audit entry.

A DELETE passes only in a transaction that has set `arvio.records_expire` (AuditEntryQuerySet.expire,
used by `arvio purge`). TRUNCATE is left alone: it is what a database owner (or the test runner's
flush) uses, and no path of Arvio issues it. SQLite relies on the model's guard.
"""

from django.db import migrations

CREATE = """
CREATE FUNCTION records_auditentry_refuse() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('arvio.records_expire', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit entries are append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER records_auditentry_append_only
    BEFORE UPDATE OR DELETE ON records_auditentry
    FOR EACH ROW EXECUTE FUNCTION records_auditentry_refuse();
"""
DROP = """
DROP TRIGGER IF EXISTS records_auditentry_append_only ON records_auditentry;
DROP FUNCTION IF EXISTS records_auditentry_refuse();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
