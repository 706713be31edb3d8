"""Full-text storage owned by the lexical backends, created for the database in use only.

SQLite: an external-content FTS5 table over search_searchentry, kept in step by triggers.
PostgreSQL: a tsvector side table with a GIN index, each row analysed with the text-search
configuration of its own language ("simple" where the server has none), kept in step by triggers.
"""

from django.db import migrations

SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        title, body, content='search_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
    """CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
    END""",
    """CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_searchentry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title, body)
        VALUES ('delete', old.id, old.title, old.body);
        INSERT INTO search_entry_fts(rowid, title, body) VALUES (new.id, new.title, new.body);
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
]

POSTGRES_FORWARD = [
    """CREATE TABLE search_entry_tsv (entry_id bigint PRIMARY KEY, tsv tsvector NOT NULL)""",
    """CREATE INDEX search_entry_tsv_gin ON search_entry_tsv USING gin (tsv)""",
    """CREATE FUNCTION search_entry_regconfig(language text) RETURNS regconfig AS $$
        SELECT COALESCE(
            (SELECT oid::regconfig FROM pg_ts_config WHERE cfgname = CASE language
                WHEN 'en' THEN 'english' WHEN 'es' THEN 'spanish' WHEN 'fr' THEN 'french'
                WHEN 'pt' THEN 'portuguese' WHEN 'ca' THEN 'catalan' WHEN 'it' THEN 'italian'
                WHEN 'de' THEN 'german' ELSE 'simple' END),
            'simple'::regconfig)
    $$ LANGUAGE sql STABLE""",
    """CREATE FUNCTION search_entry_tsv_write() RETURNS trigger AS $$
    BEGIN
        INSERT INTO search_entry_tsv (entry_id, tsv) VALUES (NEW.id,
            setweight(to_tsvector(search_entry_regconfig(NEW.language), coalesce(NEW.title, '')), 'A')
            || setweight(to_tsvector(search_entry_regconfig(NEW.language), coalesce(NEW.body, '')), 'B'))
        ON CONFLICT (entry_id) DO UPDATE SET tsv = EXCLUDED.tsv;
        RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION search_entry_tsv_remove() RETURNS trigger AS $$
    BEGIN
        DELETE FROM search_entry_tsv WHERE entry_id = OLD.id;
        RETURN OLD;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER search_entry_tsv_write AFTER INSERT OR UPDATE OF title, body, language
        ON search_searchentry FOR EACH ROW EXECUTE FUNCTION search_entry_tsv_write()""",
    """CREATE TRIGGER search_entry_tsv_remove AFTER DELETE
        ON search_searchentry FOR EACH ROW EXECUTE FUNCTION search_entry_tsv_remove()""",
]
POSTGRES_BACKWARD = [
    "DROP TRIGGER IF EXISTS search_entry_tsv_remove ON search_searchentry",
    "DROP TRIGGER IF EXISTS search_entry_tsv_write ON search_searchentry",
    "DROP FUNCTION IF EXISTS search_entry_tsv_remove()",
    "DROP FUNCTION IF EXISTS search_entry_tsv_write()",
    "DROP FUNCTION IF EXISTS search_entry_regconfig(text)",
    "DROP TABLE IF EXISTS search_entry_tsv",
]


def _run(schema_editor, statements):
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("PRAGMA compile_options")
            options = {row[0] for row in cursor.fetchall()}
        if "ENABLE_FTS5" not in options:
            raise RuntimeError(
                "This SQLite library has no FTS5; install a Python built with a recent SQLite."
            )
        _run(schema_editor, SQLITE_FORWARD)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_BACKWARD)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_BACKWARD)


def create_version_row(apps, schema_editor):
    apps.get_model("search", "IndexVersion").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(forward, backward),
        migrations.RunPython(create_version_row, migrations.RunPython.noop),
    ]
