"""INSERT many new rows with one executemany.

Django's bulk_create spends most of its time preparing each value of each field; for an import of tens of
thousands of rows that is about five times the database's own work (bench/analysis_import.py). Here each
column's values are prepared once per distinct value and handed to the driver as plain tuples. Nothing
else changes: the rows are the ones bulk_create would write (no save() or signals either way).
"""

from collections.abc import Iterable

from django.db import connection


def fast_insert(model, fields: list[str], rows: Iterable[tuple]) -> int:
    meta = model._meta
    model_fields = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in model_fields)
    placeholders = ", ".join(["%s"] * len(model_fields))
    # Identifiers come from the model and are quoted; every value goes as a parameter.
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({placeholders})"  # noqa: S608
    caches: list[dict] = [{} for _ in model_fields]

    def prepare(row: tuple) -> tuple:
        prepared = []
        for value, field, cache in zip(row, model_fields, caches, strict=True):
            key = (type(value), value)
            if key not in cache:
                cache[key] = field.get_db_prep_save(value, connection)
            prepared.append(cache[key])
        return tuple(prepared)

    params = [prepare(row) for row in rows]
    if params:
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)
    return len(params)
