"""A round as it stood at a moment (`round(id, asOf)`): its own events and those of its clues
up to that moment, replayed through the rounds projection, so the view — phase, team,
recusals, progress — is exactly what it showed then."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg_pool import ConnectionPool

from domain.errors import LimitExceeded, NotFound
from domain.rounds.round import Round
from infrastructure.store import EventStore
from projections import replay, rounds_read
from projections.rounds import RoundsView
from services.history import check_version

# A round with its clues is hundreds of events; this bounds what one request may replay.
MAX_REPLAYED_EVENTS = 100_000


class RoundReplay:
    def __init__(self, store: EventStore, reads: ConnectionPool, statement_timeout_ms: int) -> None:
        self.store = store
        self.reads = reads
        self.statement_timeout_ms = statement_timeout_ms
        self.projection = RoundsView()

    def view_as_of(self, round_id: UUID, moment: datetime, today: date) -> rounds_read.RoundView:
        moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        round_events = self._events_until(round_id, moment)
        if not round_events or not isinstance(round_events[0], Round.Planned):
            raise NotFound(f"No round with id {round_id} at {moment.isoformat()}", id=str(round_id))
        return self._view(round_id, round_events, moment, today)

    def view_at_version(self, round_id: UUID, version: int, today: date) -> rounds_read.RoundView:
        """The round after its own event `version`, its clues as they stood at that moment."""
        round_events: list[Any] = list(self.store.events.get(round_id))
        if not round_events or not isinstance(round_events[0], Round.Planned):
            raise NotFound.no("round", round_id)
        check_version(round_id, version, len(round_events), "round")
        kept = round_events[:version]
        return self._view(round_id, kept, kept[-1].timestamp, today)

    def _view(
        self, round_id: UUID, round_events: list[Any], moment: datetime, today: date
    ) -> rounds_read.RoundView:
        # As the owner, not a ReadSession: the caller was found to read the round before
        # (RoundService.readable_by), and the replay writes temporary tables, which a
        # read-only transaction may not. It reads only the round's clue ids and its own copies.
        with self.reads.connection() as conn, conn.transaction():
            conn.execute(
                sql.SQL("SET LOCAL statement_timeout = {}").format(
                    sql.Literal(self.statement_timeout_ms)
                )
            )
            clue_ids = rounds_read.clue_ids_of(conn, round_id)
            events = round_events + [
                e for clue_id in clue_ids for e in self._events_until(clue_id, moment)
            ]
            if len(events) > MAX_REPLAYED_EVENTS:
                raise LimitExceeded(
                    f"The round had {len(events)} events by then; a replay takes at most "
                    f"{MAX_REPLAYED_EVENTS}",
                    limit="max_replayed_events",
                )
            events.sort(key=lambda e: e.timestamp)
            view = replay.view_as_of(
                conn,
                self.projection,
                list(enumerate(events, start=1)),
                lambda c: rounds_read.round_view(c, round_id, today),
            )
        if view is None:  # pragma: no cover - the round's own events were replayed
            raise NotFound(f"No round with id {round_id}", id=str(round_id))
        return view

    def _events_until(self, aggregate_id: UUID, moment: datetime) -> list[Any]:
        events: list[Any] = []
        event: Any
        for event in self.store.events.get(aggregate_id):
            if event.timestamp > moment:
                break
            events.append(event)
        return events
