"""What every resolver gets: the runtime, who is asking, and how fresh reads must be."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from graphql import GraphQLResolveInfo
from psycopg import Connection

from domain.errors import ValidationFailed
from infrastructure.auth import Principal
from projections.directory import Directory
from services.authorization import Acting
from services.reads import ReadSession
from services.runtime import Runtime

MIN_POSITION_HEADER = "X-XunCha-Min-Position"


@dataclass
class RequestContext:
    runtime: Runtime
    principal: Principal  # the authenticated caller; authorization decides on it
    min_position: int | None = None
    cache: dict[str, Any] = field(default_factory=dict)  # per-request dataloader cache
    _read_session: ReadSession | None = None

    @property
    def read_session(self) -> ReadSession:
        if self._read_session is None:
            self._read_session = ReadSession(
                self.runtime.reads,
                Acting.of(self.principal),
                self.runtime.settings.read_statement_timeout_ms,
            )
        return self._read_session

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


def caught_up(
    info: GraphQLResolveInfo, min_position: int | None = None, *, views: Sequence[str]
) -> None:
    """Wait until the projections named in `views` reached the position the client asks for
    (argument or header), so a client reads its own writes; the others may lag or be stopped.
    A caller whose read scope comes from the directory waits for the directory too."""
    context = context_of(info)
    wanted = max(p for p in (min_position, context.min_position, 0) if p is not None)
    if wanted:
        scoped = not Acting.of(context.principal).deployment_wide
        names = {*views, Directory.name} if scoped else set(views)
        context.runtime.wait_for_projections(wanted, sorted(names))


@contextmanager
def reading(
    info: GraphQLResolveInfo, min_position: int | None = None, *, views: Sequence[str]
) -> Iterator[Connection[Any]]:
    """A read-model connection that reads as the caller (services/reads.py), after the
    projections named in `views` reached the position the client asks for."""
    caught_up(info, min_position, views=views)
    with context_of(info).read_session.reading() as conn:
        yield conn


def parse_id(value: Any, field: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise ValidationFailed(f"{field}: {value!r} is not a valid id", field=field) from None


def parse_optional_id(value: Any, field: str) -> UUID | None:
    return None if value in (None, "") else parse_id(value, field)
