"""On PostgreSQL the search documents keep their body and keywords only in ``vector`` and ``words``: empty the
columns of the documents written before, so that a search's pass over its matches reads narrower rows. Elsewhere
(SQLite) the search reads them, and nothing changes."""

from django.db import migrations


def empty_body_and_keywords(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    SearchDocument = apps.get_model("learningcity", "SearchDocument")
    SearchDocument.objects.exclude(body="", keywords="").update(body="", keywords="")


class Migration(migrations.Migration):
    dependencies = [
        ("learningcity", "0012_search_words"),
    ]

    operations = [
        migrations.RunPython(empty_body_and_keywords, migrations.RunPython.noop, elidable=True),
    ]
