"""The full-text parts Django's models cannot describe, per database (ADR 0005).

SQLite: an FTS5 table of the stems per weight (rowid = offer id) and an FTS5 ``trigram`` table
of the term dictionary (rowid = term id). PostgreSQL: ``pg_trgm``, a GIN index on the
documents' ``search_vector`` and a trigram GIN index on the terms. ``fastupdate`` is off:
with it, every lookup reads the whole pending list of recent inserts, which made each offer's
index write take 300 ms after a few hundred writes.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE directory_search_fts USING fts5("
    "name, concepts, body, tokenize='unicode61 remove_diacritics 0', detail=column)",
    "CREATE VIRTUAL TABLE directory_searchterm_trigram USING fts5(word, tokenize='trigram')",
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS directory_searchterm_trigram",
    "DROP TABLE IF EXISTS directory_search_fts",
]
POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX directory_searchdocument_vector_gin "
    "ON directory_searchdocument USING gin (search_vector) WITH (fastupdate = off)",
    "CREATE INDEX directory_searchterm_word_trgm "
    "ON directory_searchterm USING gin (word gin_trgm_ops) WITH (fastupdate = off)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS directory_searchterm_word_trgm",
    "DROP INDEX IF EXISTS directory_searchdocument_vector_gin",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def create_state_row(apps, schema_editor):
    apps.get_model("directory", "IndexState").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_search_index")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.RunPython(create_state_row, migrations.RunPython.noop),
    ]
