"""What every resolver gets: the runtime, who is asking, and how fresh reads must be."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from graphql import GraphQLResolveInfo
from psycopg import Connection, errors, sql

from domain.errors import LimitExceeded, ValidationFailed
from services.auth import Principal
from services.runtime import Runtime

MIN_POSITION_HEADER = "X-XunCha-Min-Position"


@dataclass
class RequestContext:
    runtime: Runtime
    principal: Principal  # the authenticated caller; authorization decides on it
    min_position: int | None = None
    cache: dict[str, Any] = field(default_factory=dict)  # per-request dataloader cache

    @property
    def actor(self) -> str:
        """Who events written in this request name as their cause."""
        return self.principal.subject

    @property
    def informant_clearance(self) -> bool:
        return self.principal.informant_clearance


def context_of(info: GraphQLResolveInfo) -> RequestContext:
    context = info.context
    return context["xuncha"] if isinstance(context, dict) else context


def runtime_of(info: GraphQLResolveInfo) -> Runtime:
    return context_of(info).runtime


def caught_up(info: GraphQLResolveInfo, min_position: int | None = None) -> None:
    """Wait until projections reached the position the client asks for (argument or header),
    so a client reads its own writes."""
    context = context_of(info)
    wanted = max(p for p in (min_position, context.min_position, 0) if p is not None)
    if wanted:
        context.runtime.wait_for_projections(wanted)


@contextmanager
def reading(info: GraphQLResolveInfo, min_position: int | None = None) -> Iterator[Connection[Any]]:
    """A read-model connection, after projections reached the position the client asks for."""
    caught_up(info, min_position)
    context = context_of(info)
    timeout_ms = context.runtime.settings.read_statement_timeout_ms
    with context.runtime.reads.connection() as conn:
        try:
            # One read-only transaction per read, bounded in time: a costly query is cancelled
            # by PostgreSQL itself. (Row-level security will set the visible tenants here.)
            with conn.transaction():
                conn.execute("SET TRANSACTION READ ONLY")
                conn.execute(
                    sql.SQL("SET LOCAL statement_timeout = {}").format(sql.Literal(timeout_ms))
                )
                yield conn
        except errors.QueryCanceled:
            raise LimitExceeded(
                f"The read took longer than {timeout_ms} ms and was stopped; ask for less "
                "(a smaller page or fewer fields)",
                limit="statement_timeout",
            ) from None


def parse_id(value: Any, field: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise ValidationFailed(f"{field}: {value!r} is not a valid id", field=field) from None


def parse_optional_id(value: Any, field: str) -> UUID | None:
    return None if value in (None, "") else parse_id(value, field)
