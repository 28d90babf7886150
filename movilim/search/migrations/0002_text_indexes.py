"""The full-text indexes of the search table, each for its own database.

PostgreSQL: a trigger keeps ``title_tsv`` (the title's terms) and ``tsv`` (title weighted A,
the rest D) from the terms the sources write; each kind has its own pair of partial GIN
indexes on them (``search.indexes``), so a lookup of one kind reads only that kind's postings, and a GIN trigram index on the vocabulary finds the words
a mistyped query word was meant to be (``pg_trgm`` is enabled by the people search migration).
SQLite: an FTS5 table over the same terms, an external-content table kept by triggers.
"""

from django.db import migrations

from movilim.search.indexes import drop_kind_indexes, kind_indexes

#: The kinds of the first sources; a later source adds its own (see docs/search.md).
KINDS = ("person", "item", "event", "discussion")

PG_CREATE = [
    """
    CREATE OR REPLACE FUNCTION search_entry_tsv() RETURNS trigger AS $$
    BEGIN
        NEW.title_tsv := to_tsvector('simple', NEW.title_terms);
        NEW.tsv := setweight(NEW.title_tsv, 'A') || to_tsvector('simple', NEW.terms);
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER search_entry_tsv BEFORE INSERT OR UPDATE OF title_terms, terms
    ON search_entry FOR EACH ROW EXECUTE FUNCTION search_entry_tsv()
    """,
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX search_word_trgm ON search_word USING gin (word gin_trgm_ops)",
    *(statement for kind in KINDS for statement in kind_indexes(kind)),
]
PG_DROP = [
    "DROP INDEX IF EXISTS search_word_trgm",
    *(statement for kind in KINDS for statement in drop_kind_indexes(kind)),
    "DROP TRIGGER IF EXISTS search_entry_tsv ON search_entry",
    "DROP FUNCTION IF EXISTS search_entry_tsv()",
]
SQLITE_CREATE = [
    """
    CREATE VIRTUAL TABLE search_entry_fts USING fts5(
        title_terms, terms, content='search_entry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 0'
    )
    """,
    """
    CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN
        INSERT INTO search_entry_fts(rowid, title_terms, terms)
        VALUES (new.id, new.title_terms, new.terms);
    END
    """,
    """
    CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title_terms, terms)
        VALUES ('delete', old.id, old.title_terms, old.terms);
    END
    """,
    """
    CREATE TRIGGER search_entry_fts_update AFTER UPDATE ON search_entry BEGIN
        INSERT INTO search_entry_fts(search_entry_fts, rowid, title_terms, terms)
        VALUES ('delete', old.id, old.title_terms, old.terms);
        INSERT INTO search_entry_fts(rowid, title_terms, terms)
        VALUES (new.id, new.title_terms, new.terms);
    END
    """,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entry_fts_update",
    "DROP TRIGGER IF EXISTS search_entry_fts_delete",
    "DROP TRIGGER IF EXISTS search_entry_fts_insert",
    "DROP TABLE IF EXISTS search_entry_fts",
]
STATEMENTS = {
    "postgresql": (PG_CREATE, PG_DROP),
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
}


def _run(position):
    def run(apps, schema_editor):
        for statement in STATEMENTS.get(schema_editor.connection.vendor, ([], []))[position]:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
        ("people", "0002_search"),
    ]

    operations = [migrations.RunPython(_run(0), _run(1), elidable=False)]
