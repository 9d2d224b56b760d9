"""Indexes for what recording a capture looks up, at archive scale.

``services.article_match`` looks for a revision with the capture's headline, then
for one whose body starts with the capture's opening paragraph; and
``services.analyses_stored`` for an analysis of the same content. Without an index
each read every revision of the credited source, or every analysis: at 100,000
articles, tens of milliseconds a capture, more than recording it. The headline and
content-hash indexes are the models' own; the opening one,
``left(body, 200) text_pattern_ops`` (which serves a ``LIKE 'prefix%'`` whatever
the database's collation), is PostgreSQL's: SQLite would not use it for its
case-insensitive LIKE.
"""

from django.db import migrations, models

OPENING_INDEX_SQL = (
    "CREATE INDEX revision_opening ON articles_revision (left(body, 200) text_pattern_ops)"
)


def opening_index_create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(OPENING_INDEX_SQL)


def opening_index_drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS revision_opening")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_import_batches_and_items"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="revision",
            index=models.Index(fields=["title"], name="revision_title"),
        ),
        migrations.AddIndex(
            model_name="analysis",
            index=models.Index(fields=["content_hash"], name="analysis_content_hash"),
        ),
        migrations.RunPython(opening_index_create, opening_index_drop),
    ]
