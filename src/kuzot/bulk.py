"""Multi-row INSERTs without model instances, for bulk paths (a spreadsheet import), and the
planner statistics to refresh after them.

PostgreSQL gets one ``INSERT … SELECT FROM unnest(array, …)`` per chunk — a short statement
whatever the number of rows (psycopg spends seconds splitting a statement with tens of
thousands of placeholders); other databases a multi-row ``VALUES`` list. Ids come back in the
order of the rows, as Django's own bulk_create relies on."""

from django.db import connections, router

PREPARED_TYPES = frozenset({"DateField", "DateTimeField", "DecimalField", "JSONField"})


def prepare(fields, connection) -> list[bool]:
    """Which fields need Django's conversion of their values (the others pass as they are)."""
    return [f.get_internal_type() in PREPARED_TYPES for f in fields]


def insert_rows(model, fields: list, rows: list[list], *, returning: bool = True) -> list:
    """Insert ``rows`` (values already prepared for the database, in ``fields`` order)."""
    if not rows:
        return []
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in fields)
    suffix = f" RETURNING {quote(model._meta.pk.column)}" if returning else ""
    ids: list = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            types = [f.db_type(connection) for f in fields]
            arrays = ", ".join(f"%s::{t}[]" for t in types)
            sql = f"INSERT INTO {table} ({columns}) SELECT * FROM unnest({arrays}){suffix}"  # noqa: S608
            for start in range(0, len(rows), 5000):
                chunk = rows[start : start + 5000]
                cursor.execute(sql, [list(column) for column in zip(*chunk, strict=True)])
                if returning:
                    ids += [row[0] for row in cursor.fetchall()]
            return ids
        per_statement = max(1, min(500, connection.ops.bulk_batch_size(fields, rows)))
        row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            sql = f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(chunk))}"  # noqa: S608
            cursor.execute(sql + suffix, [value for row in chunk for value in row])
            if returning:
                ids += [row[0] for row in cursor.fetchall()]
    return ids


def analyze(models: list) -> None:
    """Refresh the query planner's statistics of these tables after a bulk write. SQLite keeps
    none until asked, and PostgreSQL's autovacuum may be off or late: without them both planned
    the case list's filters over 100,000 fresh cases as loops over every case (a minute)."""
    connection = connections[router.db_for_write(models[0])]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {quote(model._meta.db_table)}")
