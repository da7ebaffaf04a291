"""A rebuild's cursor holds plain INSERTs back and sends each table's rows in one statement:
whatever runs after an INSERT still sees its row, and the rows stored are the ones each
INSERT would have stored."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import Connection
from psycopg.types.json import Jsonb

from projections.bulk import HeldInserts

_TABLE = """
CREATE TABLE held (
    id integer PRIMARY KEY, ref uuid, amount numeric(18, 2), due date, at timestamptz,
    tags text[], doc jsonb, note text
);
CREATE TABLE other (id integer PRIMARY KEY)
"""
_INSERT = (
    "INSERT INTO held (id, ref, amount, due, at, tags, doc, note) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
)
_ROW = (
    UUID("5f2b6a1e-0c3d-4e8f-9a7b-1c2d3e4f5a6b"),
    Decimal("12.50"),
    date(2026, 3, 1),
    datetime(2026, 3, 1, 8, 30, tzinfo=UTC),
    ["a", "b"],
    Jsonb({"k": [1, "two"]}),
    'quote " and \\ backslash',
)


@pytest.fixture
def conn(database_url: str) -> Iterator[Connection[Any]]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(_TABLE)
        yield conn


def _rows(conn: Connection[Any]) -> list[str]:
    return [text for (text,) in conn.execute("SELECT h::text FROM held h ORDER BY id")]


def test_held_rows_equal_the_rows_each_insert_stores(conn: Connection[Any]) -> None:
    with conn.transaction():
        conn.execute(_INSERT, (0, *_ROW))
    expected = _rows(conn)[0]
    conn.execute("DELETE FROM held")

    with conn.transaction(), HeldInserts(conn) as cur:
        cur.executemany(_INSERT, [(1, *_ROW), (2, *_ROW)])
        cur.execute(_INSERT, (3, *_ROW))
        assert conn.execute("SELECT count(*) FROM held").fetchone() == (0,)  # still held
        cur.release()
    assert _rows(conn) == [expected.replace("(0,", f"({n},", 1) for n in (1, 2, 3)]


def test_a_statement_naming_the_table_sees_every_row_inserted_before_it(
    conn: Connection[Any],
) -> None:
    with conn.transaction(), HeldInserts(conn) as cur:
        cur.execute(_INSERT, (1, *_ROW))
        cur.execute("INSERT INTO other (id) VALUES (%s)", (7,))
        cur.execute(_INSERT, (2, *_ROW))
        cur.execute("UPDATE held SET note = 'seen' WHERE id = %s", (2,))
        assert cur.execute("SELECT count(*) FROM other").fetchone() == (1,)
        cur.release()
    assert [text.rsplit(",", 1)[1] for text in _rows(conn)] == [
        '"quote "" and \\\\ backslash")',
        "seen)",
    ]


def test_a_duplicate_key_still_fails_and_do_nothing_still_passes_it_over(
    conn: Connection[Any],
) -> None:
    with conn.transaction(), HeldInserts(conn) as cur:
        cur.execute("INSERT INTO other (id) VALUES (%s) ON CONFLICT DO NOTHING", (1,))
        cur.execute("INSERT INTO other (id) VALUES (%s) ON CONFLICT DO NOTHING", (1,))
        cur.release()
    assert conn.execute("SELECT count(*) FROM other").fetchone() == (1,)

    def insert_twice() -> None:
        with conn.transaction(), HeldInserts(conn) as cur:
            cur.execute("INSERT INTO other (id) VALUES (%s)", (2,))
            cur.execute("INSERT INTO other (id) VALUES (%s)", (2,))
            cur.release()

    with pytest.raises(psycopg.errors.UniqueViolation):
        insert_twice()
    assert conn.execute("SELECT count(*) FROM other").fetchone() == (1,)
