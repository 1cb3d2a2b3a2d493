"""Writing a few columns of many rows at once (the clock columns, the scale seeder)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from django.db import connection, models


def update_columns(model: type[models.Model], objects: Sequence[models.Model], fields: Sequence[str]) -> None:
    """Write ``fields`` of ``objects`` to their rows. On PostgreSQL one ``UPDATE … FROM (VALUES …)``
    per 1 000 rows; Django's bulk_update builds a CASE per column whose cost grows with the square of
    the batch, which made 10 000 rows take minutes. Elsewhere bulk_update in small batches."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objects, fields, batch_size=100)
        return
    meta = model._meta
    pk = cast("models.Field[Any, Any]", meta.pk)
    columns = [cast("models.Field[Any, Any]", meta.get_field(name)) for name in fields]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(f"%s::{field.db_type(connection)}" for field in [pk, *columns]) + ")"
    names = ", ".join(quote(field.column) for field in [pk, *columns])
    table = quote(meta.db_table)
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(objects), 1000):
            batch = objects[start : start + 1000]
            params: list[Any] = []
            for obj in batch:
                params.append(obj.pk)
                for field in columns:
                    params.append(field.get_db_prep_save(getattr(obj, field.attname), connection))
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(batch))}) "
                f"AS v({names}) WHERE {table}.{quote(pk.column)} = v.{quote(pk.column)}",
                params,
            )
