"""Every read-model table's rows, as the tables' owner sees them (no row-level security), for
tests that compare two databases or one database before and after a change."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

Rows = dict[str, list[tuple[Any, ...]]]


def read_model_tables(conn: psycopg.Connection[Any]) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'rm\\_%' "
        "ORDER BY tablename"
    ).fetchall()
    return [name for (name,) in rows]


def columns_of(conn: psycopg.Connection[Any], table: str) -> list[str]:
    rows = conn.execute(
        "SELECT column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name = %s ORDER BY ordinal_position",
        (table,),
    ).fetchall()
    return [name for (name,) in rows]


def read_model_rows(url: str, columns: dict[str, list[str]] | None = None) -> Rows:
    """Per `rm_*` table, its rows ordered by every column; only the given columns of a table
    named in `columns`."""
    with psycopg.connect(url) as conn:
        found: Rows = {}
        for table in read_model_tables(conn):
            names = (columns or {}).get(table) or columns_of(conn, table)
            listed = sql.SQL(", ").join(sql.Identifier(name) for name in names)
            query = sql.SQL("SELECT {} FROM {} ORDER BY {}").format(
                listed,
                sql.Identifier(table),
                sql.SQL(", ").join(sql.SQL(str(i + 1)) for i in range(len(names))),
            )
            found[table] = conn.execute(query).fetchall()
        return found


def read_model_columns(url: str) -> dict[str, list[str]]:
    with psycopg.connect(url) as conn:
        return {table: columns_of(conn, table) for table in read_model_tables(conn)}
