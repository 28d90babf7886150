"""The partial GIN indexes of the projects source's entries (PostgreSQL; see
``search.indexes``). The entries themselves are written by ``manage.py search_reindex`` and
kept current by the projects' signals."""

from django.db import migrations

from movilim.search.indexes import drop_kind_indexes, kind_indexes


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0002_text_indexes"),
        ("projects", "0002_strategic_goals"),
    ]

    operations = [
        migrations.RunPython(
            _run(kind_indexes("project")), _run(drop_kind_indexes("project")), elidable=False
        )
    ]
