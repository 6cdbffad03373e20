"""Writing many plain rows into a model's table at once: COPY on PostgreSQL, one executemany elsewhere.

For the writes of thousands of rows (an import's responses, answers, comments and audit entries), where
building a model object per row and Django's bulk_create cost more than the database's own work
(docs/performance.md).
"""

from collections.abc import Callable, Iterable

from django.db import connection
from django.db.models import DateTimeField, JSONField, Model


def insert_rows(model: type[Model], fields: tuple[str, ...], rows: Iterable[tuple]) -> None:
    """Inserts the rows, each a tuple of values for `fields`, in the transaction under way.

    Values are given as the model's fields take them; the date-and-time and JSON columns are adapted
    by their fields as the ORM would adapt them (SQLite keeps UTC text, PostgreSQL jsonb), every other
    value goes to the driver as it is: ids, numbers and texts already checked (lib/text.py). No
    model's save() or signal runs, and the rows' ids are not returned.
    """
    model_fields = [model._meta.get_field(name) for name in fields]
    adapters = [_adapter(field) for field in model_fields]
    if any(adapters):
        rows = (
            tuple(value if adapt is None else adapt(value) for adapt, value in zip(adapters, row, strict=True))
            for row in rows
        )
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in model_fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        rows = list(rows)
        if rows:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def tables_analyze(*models: type[Model]) -> None:
    """After a bulk write, PostgreSQL's statistics of the tables brought up to date (ANALYZE), as its manual
    advises after loading data: the next queries are planned for the rows now there, not for the table as it
    was. ANALYZE counts the rows the transaction under way wrote, takes no lock that blocks reading or writing,
    and may run inside the transaction. SQLite plans without such statistics: nothing to do there."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")


def _adapter(field) -> Callable | None:
    if isinstance(field, DateTimeField | JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None
