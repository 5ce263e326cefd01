"""Rows into a table the way each database loads them fastest: COPY on PostgreSQL, one
``executemany`` on SQLite. For the import engine, whose batches must not pay for a model
instance per row.

Ids are handed out before the insert (``reserve_ids``), so a batch can refer to the
participants and trajectories it creates in the same breath. Values go in as the database
keeps them: ``date_adapter`` and ``adapt_datetime`` give the right form per database, JSON
is passed as text.
"""

import datetime
import json
from collections.abc import Callable, Collection, Sequence
from typing import Any

from django.db import connection
from django.db.models import Model
from django.db.models.expressions import RawSQL

_SEQUENCES: dict[str, str] = {}


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def reserve_ids(model: type[Model], count: int) -> list[int]:
    """``count`` new primary keys for ``model``, never used before.

    PostgreSQL takes them from the table's sequence (safe beside other writers). SQLite has
    one writer at a time and the import holds the write lock (``transaction_mode``
    IMMEDIATE), so the ids after the highest one ever given out are free; the AUTOINCREMENT
    counter counts too, so the id of a deleted row is not given to a new one.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    pk_column = str(model._meta.pk.column)
    with connection.cursor() as cursor:
        if _is_postgresql():
            if table not in _SEQUENCES:
                cursor.execute(
                    "SELECT pg_get_serial_sequence(%s, %s)",
                    [connection.ops.quote_name(table), pk_column],
                )
                _SEQUENCES[table] = cursor.fetchone()[0]
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)",
                [_SEQUENCES[table], count],
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(
            f"SELECT MAX(COALESCE((SELECT seq FROM sqlite_sequence WHERE name = %s), 0), "  # noqa: S608
            f"COALESCE((SELECT MAX({connection.ops.quote_name(pk_column)}) "
            f"FROM {quoted}), 0))",
            [table],
        )
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + count))


def insert(model: type[Model], columns: Sequence[str], rows: list[tuple]) -> None:
    """Insert ``rows`` (values in the order of ``columns``, database column names)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if _is_postgresql():
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _iso(value: datetime.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _same(value: datetime.date | None) -> datetime.date | None:
    return value


def date_adapter() -> Callable[[datetime.date | None], object]:
    """How a date goes into ``insert`` on this database (ISO text for SQLite); asked once
    per batch, because asking the connection is slower than the conversion."""
    return _same if _is_postgresql() else _iso


def adapt_datetime(value: datetime.datetime) -> object:
    return connection.ops.adapt_datetimefield_value(value)


def values_in(values: Collection, sql_type: str) -> Any:
    """``values`` for a ``__in`` lookup as one parameter (an array on PostgreSQL, a JSON list
    on SQLite) instead of one placeholder per value: with a thousand values, Django and psycopg
    spend longer preparing such a query than the database spends running it. ``sql_type`` is
    the array's element type on PostgreSQL, e.g. "bigint"."""
    # The type is the caller's constant, the values one parameter.
    if _is_postgresql():
        return RawSQL(f"SELECT unnest(%s::{sql_type}[])", (list(values),))  # noqa: S611
    return RawSQL("SELECT value FROM json_each(%s)", (json.dumps(list(values)),))
