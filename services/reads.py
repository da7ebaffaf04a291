"""Reading the projections on behalf of a caller: the query side of authorization.

A `ReadSession` belongs to one request. Each `reading()` is one read-only transaction (within
`sharing()`, as a GraphQL operation runs, all share one), bounded in time, in which the
caller's read scope (services/authorization.py) is known and PostgreSQL itself shows only the
rows of the scope's tenants (projections/row_security.py). Queries pass the scope to the
projections as their filter as well, so isolation holds twice: a query that forgets the
filter still sees nothing outside the scope."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any
from uuid import UUID

from psycopg import Connection, errors, sql
from psycopg_pool import ConnectionPool

from domain.errors import LimitExceeded
from projections import directory, history, row_security
from services.authorization import Acting, Office, Scope, scope_of


class ReadSession:
    def __init__(self, pool: ConnectionPool, acting: Acting, statement_timeout_ms: int) -> None:
        self.pool = pool
        self.acting = acting
        self.statement_timeout_ms = statement_timeout_ms
        self._scope: Scope | None = None
        self._sharing: ExitStack | None = None  # while `sharing`: what ends the shared reading
        self._shared: Connection[Any] | None = None

    @property
    def scope(self) -> Scope:
        """The caller's read scope, as the first reading of this session found it."""
        if self._scope is None:
            with self.reading():
                pass
        assert self._scope is not None  # noqa: S101 - set by every reading
        return self._scope

    @contextmanager
    def sharing(self) -> Iterator[None]:
        """Within this block every `reading` is one and the same read transaction, begun by
        the first (a request that reads nothing begins none) and ended on leaving. A reading
        that fails leaves it; the next begins another."""
        with ExitStack() as self._sharing:
            try:
                yield
            finally:
                self._sharing, self._shared = None, None

    @contextmanager
    def reading(self, as_of: int | None = None) -> Iterator[Connection[Any]]:
        """A connection that reads as the caller: read-only, time-bounded, row-secured; with
        `as_of`, every read model as it stood at that log position (projections/history.py)."""
        with self._reading() as conn:
            if as_of is None:
                yield conn
                return
            with history.reading_as_of(conn, as_of):
                yield conn

    @contextmanager
    def _reading(self) -> Iterator[Connection[Any]]:
        if self._sharing is None:
            with self._bounded(), self._transaction() as conn:
                yield conn
            return
        if self._shared is None:
            self._shared = self._sharing.enter_context(self._transaction())
        try:
            with self._bounded():
                yield self._shared
        except BaseException:
            self._shared = None  # an aborted transaction reads nothing more
            raise

    @contextmanager
    def _transaction(self) -> Iterator[Connection[Any]]:
        with self.pool.connection() as conn, conn.transaction():
            self._enter(conn)
            yield conn

    @contextmanager
    def _bounded(self) -> Iterator[None]:
        try:
            yield
        except errors.QueryCanceled:
            raise LimitExceeded(
                f"The read took longer than {self.statement_timeout_ms} ms and was stopped; "
                "ask for less (a smaller page or fewer fields)",
                limit="statement_timeout",
            ) from None

    def _enter(self, conn: Connection[Any]) -> None:
        """Turn the transaction into the caller's reading in one round trip. The first time,
        the scope is found there too: the caller's office and its counties (read as the owner,
        before the transaction turns to the caller's rows only)."""
        finding = self._scope is None and self._office is not None
        tenants: Any = (
            directory.scope_query(self._office)
            if finding and self._office is not None
            else self._known_scope().tenants
        )
        setup = sql.SQL("SET TRANSACTION READ ONLY; SET LOCAL statement_timeout = {}; {}").format(
            sql.Literal(self.statement_timeout_ms), row_security.showing_only(tenants)
        )
        with conn.cursor() as cur:
            cur.execute(setup)
            if finding:
                while cur.description is None and cur.nextset():
                    pass
                found = cur.fetchone()
                listed = (found[0] if found else None) or ""
                own = self.acting.tenant_id
                offices = [Office(UUID(t), own) for t in listed.split(",") if t]
                self._scope = scope_of(self.acting, offices)

    @property
    def _office(self) -> UUID | None:
        """The office whose scope is looked up (None: nothing to look up)."""
        return None if self.acting.deployment_wide else self.acting.tenant_id

    def _known_scope(self) -> Scope:
        if self._scope is None:
            self._scope = scope_of(self.acting, [])
        return self._scope
