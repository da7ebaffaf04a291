"""`xuncha migrate`: set up or upgrade every table XunCha keeps, idempotently, in one step that
the deployment's migration job and `xuncha serve` (at start) both run.

- the event store (eventsourcing's tables): created by opening the store, which also adds the
  database-filled `recorded_at` column to the event table (`infrastructure/recorded_at.py`);
- the informant key vault, the issued documents' bytes, the relay's position tables, the
  batch submissions' ledger, projection tracking and parked events;
- each projection's read-model tables with their row-level security. A projection whose live
  tables were made from other DDL or row rules than the code's (the digest kept in
  `projection_schema` differs, or none was kept) is rebuilt from the event store without
  downtime (`infrastructure/feeds/rebuild.py`), which records the new digest at the switch.

Concurrent runs (several API replicas starting, a job beside them) take turns on an advisory
lock; the second finds the digests current and does nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import psycopg

from infrastructure import document_files
from infrastructure.feeds import relay
from infrastructure.feeds.plant import Plant
from infrastructure.feeds.rebuild import Progress, Rebuilt, rebuild_all
from infrastructure.informants import InformantVault
from projections import tracking
from services.submissions import ledger

log = logging.getLogger(__name__)

LOCK = "xuncha.migrate"


@dataclass(frozen=True)
class Migrated:
    """What a migration did: the projections rebuilt because their schema changed."""

    rebuilt: list[Rebuilt] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.rebuilt)


def migrate(plant: Plant, *, progress: Progress | None = None) -> Migrated:
    """Create what is missing and rebuild every projection whose schema changed."""
    with psycopg.connect(plant.database.url, autocommit=True) as conn:
        conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (LOCK,))
        try:
            relay.install(conn)
            InformantVault(plant.reads).install()
            document_files.install(plant.reads)
            ledger.install(conn)
            outdated = tracking.install(conn, plant.projections)
            for projection in outdated:
                log.info("the schema of projection %s changed: rebuilding it", projection.name)
            rebuilt = rebuild_all(plant, outdated, progress=progress) if outdated else []
        finally:
            conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (LOCK,))
    return Migrated(rebuilt=rebuilt)
