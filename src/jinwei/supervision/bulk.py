"""Rows straight into a table, for the reminder cycle's large first runs.

A backlog of 100,000 tasks can make hundreds of thousands of notifications at once; the ORM's
bulk_create builds and prepares a model object per row, which alone would take minutes. Here the
rows are plain tuples already in column order: one COPY on PostgreSQL, multi-row INSERTs on
SQLite (through sqlite3's own cursor: Django's wrapper would rewrite every "%s" of these long
statements with a regular expression). The caller has removed rows that exist already, under a
lock, so a conflict is a bug and fails the transaction rather than passing silently.
"""

from __future__ import annotations

import datetime
import sqlite3
from collections.abc import Sequence
from typing import Any

from django.db import connection

SQLITE_MAX_PARAMS = 32_000  # SQLite's limit per statement is 32,766 (since 3.32)
COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def insert_rows(table: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert `rows`, whose values are already as the database takes them (see `db_value`)."""
    if not rows:
        return
    quoted_table = connection.ops.quote_name(table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {quoted_table} ({names}) FROM STDIN") as copy:
                for start in range(0, len(rows), 20_000):
                    copy.write(copy_text(rows[start : start + 20_000]))
            return
        if connection.vendor != "sqlite":  # another backend: the portable path
            marks = ", ".join(["%s"] * len(columns))
            sql = f"INSERT INTO {quoted_table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, list(rows))
            return
        width = len(columns)
        per_statement = max(1, SQLITE_MAX_PARAMS // width)
        one = "(" + ", ".join("?" * width) + ")"
        for start in range(0, len(rows), per_statement):
            part = rows[start : start + per_statement]
            sql = f"INSERT INTO {quoted_table} ({names}) VALUES {', '.join([one] * len(part))}"  # noqa: S608
            sqlite3.Cursor.execute(cursor.cursor, sql, [value for row in part for value in row])


def db_value(value: datetime.date | None) -> Any:
    """A date or an aware datetime as this database stores it (dates as ISO text everywhere;
    datetimes as SQLite's naive UTC text, or ISO with offset for PostgreSQL's COPY)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        if connection.vendor == "sqlite":
            return connection.ops.adapt_datetimefield_value(value)
        return value.isoformat()
    return value.isoformat()


def copy_text(rows: Sequence[tuple[Any, ...]]) -> str:
    """`rows` in COPY's text format."""
    return "".join("\t".join(map(copy_value, row)) + "\n" for row in rows)


def copy_value(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    return str(value).translate(COPY_ESCAPES)
