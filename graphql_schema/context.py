"""What every resolver gets: the runtime, who is asking, and how fresh reads must be."""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar
from uuid import UUID

from graphql import GraphQLResolveInfo
from psycopg import Connection

from domain.errors import ValidationFailed
from graphql_schema.loader import Batch, Loader
from infrastructure.auth import Principal
from projections.directory import Directory
from services.authorization import Acting
from services.reads import ReadSession
from services.runtime import Runtime

MIN_POSITION_HEADER = "X-XunCha-Min-Position"

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


@dataclass
class RequestContext:
    runtime: Runtime
    principal: Principal  # the authenticated caller; authorization decides on it
    min_position: int | None = None
    loaders: dict[str, Loader[Any, Any]] = field(default_factory=dict)  # by kind
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

    def loader(self, kind: str, batch: Batch[K, V]) -> Loader[K, V]:
        """This request's loader of `kind`, made with `batch` on first use."""
        if kind not in self.loaders:
            self.loaders[kind] = Loader(batch)
        return self.loaders[kind]

    def caught_up(self, min_position: int | None = None, *, views: Sequence[str]) -> None:
        """Wait until the projections named in `views` reached the position the client asks
        for (argument or header), so a client reads its own writes; the others may lag or be
        stopped. A caller whose read scope comes from the directory waits for it too."""
        wanted = max(p for p in (min_position, self.min_position, 0) if p is not None)
        if wanted:
            scoped = not Acting.of(self.principal).deployment_wide
            names = {*views, Directory.name} if scoped else set(views)
            caller = f"{self.principal.tenant_id}:{self.principal.subject}"
            self.runtime.wait_for_projections(wanted, sorted(names), caller=caller)

    @contextmanager
    def reading(
        self, min_position: int | None = None, *, views: Sequence[str]
    ) -> Iterator[Connection[Any]]:
        """A read-model connection that reads as the caller (services/reads.py), after the
        projections named in `views` caught up."""
        self.caught_up(min_position, views=views)
        with self.read_session.reading() as conn:
            yield conn

    @property
    def actor(self) -> str:
        """Who events written in this request name as their cause."""
        return self.principal.subject

    @property
    def informant_clearance(self) -> bool:
        return self.principal.informant_clearance

    @property
    def data_clearance(self) -> bool:
        return self.principal.data_clearance


def context_of(info: GraphQLResolveInfo) -> RequestContext:
    context = info.context
    return context["xuncha"] if isinstance(context, dict) else context


def runtime_of(info: GraphQLResolveInfo) -> Runtime:
    return context_of(info).runtime


def caught_up(
    info: GraphQLResolveInfo, min_position: int | None = None, *, views: Sequence[str]
) -> None:
    context_of(info).caught_up(min_position, views=views)


@contextmanager
def reading(
    info: GraphQLResolveInfo, min_position: int | None = None, *, views: Sequence[str]
) -> Iterator[Connection[Any]]:
    """A read-model connection that reads as the caller (services/reads.py), after the
    projections named in `views` reached the position the client asks for."""
    with context_of(info).reading(min_position, views=views) as conn:
        yield conn


def parse_id(value: Any, field: str) -> UUID:
    try:
        return UUID(str(value))
    except ValueError:
        raise ValidationFailed(f"{field}: {value!r} is not a valid id", field=field) from None


def parse_optional_id(value: Any, field: str) -> UUID | None:
    return None if value in (None, "") else parse_id(value, field)
