"""Trigram indexes for the participant search, on PostgreSQL only.

The search matches folded text (``movilim.core.hebrew``) anywhere in a person's names and e-mail
or in their organization's names. A ``LIKE '%…%'`` condition can use a GIN trigram index on
exactly the expression it tests, so each index holds the expression the query builds
(``hebrew.fold_sql``). SQLite has no such index; there the search reads the tables, which suits
the small databases it serves.
"""

from django.db import migrations

from movilim.core.hebrew import fold_sql

USER_INDEX = "core_user_search_trgm"
ORGANIZATION_INDEX = "people_organization_search_trgm"


def _create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    user_table = apps.get_model("core", "User")._meta.db_table
    organization_table = apps.get_model("people", "Organization")._meta.db_table
    q = schema_editor.quote_name
    user_text = " || ' ' || ".join(q(c) for c in ("first_name", "last_name", "email"))
    organization_text = " || ' ' || ".join(q(c) for c in ("name_he", "name_en"))
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {q(USER_INDEX)} ON {q(user_table)} "
        f"USING gin (({fold_sql(user_text)}) gin_trgm_ops)"
    )
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {q(ORGANIZATION_INDEX)} ON {q(organization_table)} "
        f"USING gin (({fold_sql(organization_text)}) gin_trgm_ops)"
    )


def _drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in (USER_INDEX, ORGANIZATION_INDEX):
        schema_editor.execute(f"DROP INDEX IF EXISTS {schema_editor.quote_name(name)}")


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("core", "0004_drop_content_version"),
    ]

    operations = [migrations.RunPython(_create, _drop, elidable=False)]
