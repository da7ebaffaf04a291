"""What a feed needs of a running XunCha: its settings, database, event store, read pool and
projections. The services' `Runtime` is one; the feeds never import it, so the arrows point down."""

from __future__ import annotations

from typing import Protocol

from psycopg_pool import ConnectionPool

from infrastructure.database import Database
from infrastructure.settings import Settings
from infrastructure.store import EventStore
from projections.base import Projection


class Plant(Protocol):
    @property
    def settings(self) -> Settings: ...

    @property
    def database(self) -> Database: ...

    @property
    def store(self) -> EventStore: ...

    @property
    def reads(self) -> ConnectionPool: ...

    @property
    def projections(self) -> list[Projection]: ...
