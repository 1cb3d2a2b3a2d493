"""Trigram indexes for the free-text search of the queue and the audit log (PostgreSQL only).

The search uses Django's ``icontains``, which PostgreSQL runs as ``UPPER(col::text) LIKE UPPER(%s)``;
GIN trigram indexes on exactly that expression let it find a fragment of an issuer's name without
reading every row. SQLite keeps the plain scan.
"""

from django.db import migrations

INDEXES = [
    ("filing_trgm_reference", "filings_filing", "reference"),
    ("filing_trgm_title", "filings_filing", "title"),
    ("filing_trgm_notice", "filings_filing", "notice_number"),
    ("org_trgm_name_zh", "accounts_organisation", "name_zh"),
    ("org_trgm_name_en", "accounts_organisation", "name_en"),
    ("org_trgm_uscc", "accounts_organisation", "uscc"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("filings", "0006_scale_clock_columns"),
    ]

    operations = [migrations.RunPython(create, drop)]
