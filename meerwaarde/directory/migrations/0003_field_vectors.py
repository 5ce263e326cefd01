"""PostgreSQL: a narrow table with a tsvector per field instead of one weighted vector.

A query restricted to a weight (``'stem':*A``) cannot be answered by the GIN index alone:
PostgreSQL rechecks every candidate row's vector, and in the wide document table those rows
fell out of its buffers; a common word took 250 ms at 100,000 offers. SQLite is unaffected.
Existing documents lose their vector: run ``rebuild_search_index`` after migrating.
"""

import django.db.models.deletion
from django.db import migrations, models

import meerwaarde.directory.models

POSTGRES_FORWARD = [
    "CREATE INDEX directory_searchvector_name_gin "
    "ON directory_searchvector USING gin (name_vector) WITH (fastupdate = off)",
    "CREATE INDEX directory_searchvector_body_gin "
    "ON directory_searchvector USING gin (body_vector) WITH (fastupdate = off)",
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in POSTGRES_FORWARD:
            schema_editor.execute(statement)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS directory_searchvector_name_gin")
        schema_editor.execute("DROP INDEX IF EXISTS directory_searchvector_body_gin")


class Migration(migrations.Migration):
    dependencies = [("directory", "0002_fulltext")]

    operations = [
        migrations.RemoveField(model_name="searchdocument", name="search_vector"),
        migrations.CreateModel(
            name="SearchVector",
            fields=[
                (
                    "document",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="vector",
                        serialize=False,
                        to="directory.searchdocument",
                    ),
                ),
                (
                    "name_vector",
                    meerwaarde.directory.models.TsVectorField(blank=True, default=""),
                ),
                (
                    "body_vector",
                    meerwaarde.directory.models.TsVectorField(blank=True, default=""),
                ),
            ],
            options={"verbose_name": "zoekvector", "verbose_name_plural": "zoekvectoren"},
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
