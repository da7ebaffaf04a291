"""Counting the SQL statements one caller's requests issue, to show a page costs a fixed
number of queries whatever its size."""

from __future__ import annotations

from typing import Any

import psycopg
import pytest

from domain.context import current_actor


def statements_of(monkeypatch: pytest.MonkeyPatch, subject: str) -> list[str]:
    """A list that collects every SQL statement executed, on any pool, while `subject` acts.
    A GraphQL operation runs as its caller (domain/context.py), so statements of the
    projection feed, which runs as the system, and of a test's own set-up are not counted."""
    issued: list[str] = []
    execute = psycopg.Cursor.execute

    def counted(cursor: psycopg.Cursor[Any], query: Any, *args: Any, **kwargs: Any) -> Any:
        if current_actor() == subject:
            issued.append(query if isinstance(query, str) else repr(query))
        return execute(cursor, query, *args, **kwargs)

    monkeypatch.setattr(psycopg.Cursor, "execute", counted)
    return issued
