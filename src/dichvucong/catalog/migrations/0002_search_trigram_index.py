"""PostgreSQL only: pg_trgm GIN indexes so that `search_text LIKE '%word%'` (procedure search) uses an index.

On SQLite (the embedded default) nothing happens: the same queries run as plain scans, which stay correct.
"""

from django.db import migrations


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS catalog_procedure_search_trgm "
        "ON catalog_procedure USING gin (search_text gin_trgm_ops)")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS catalog_procedure_name_trgm "
        "ON catalog_procedure USING gin (search_name gin_trgm_ops)")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS catalog_procedure_search_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS catalog_procedure_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [migrations.RunPython(create_trigram_indexes, drop_trigram_indexes)]
