"""The API's order of experiences, newest first and the unpublished (no date) last.

PostgreSQL sorts NULLs first in a descending order and can only walk an index made with
NULLS LAST for it; SQLite sorts them last already and refuses NULLS LAST in an index."""

from django.db import migrations

NAME = "experience_newest_first"
COLUMNS = {
    "postgresql": "published_at DESC NULLS LAST, id DESC",
    "sqlite": "published_at DESC, id DESC",
}


def create(apps, schema_editor):
    columns = COLUMNS.get(schema_editor.connection.vendor)
    if columns:
        schema_editor.execute(f"CREATE INDEX {NAME} ON knowledge_experience ({columns})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_sdg_taxonomy")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
