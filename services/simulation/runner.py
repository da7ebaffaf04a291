"""Runs a simulation: the plan's chunks in order, each through the services, saved in groups
of whole chunks. A chunk whose witness is already in the store was recorded by an earlier
run and is skipped, so a run that was interrupted continues where its last save ended and
ends with the same streams as an uninterrupted one.

What is deterministic: the same profile, seed and years give the same aggregates (ids from
uuid5 of the city code and names), versions and event payloads. What is not: each event's
timestamp and the database's recording time are the run's own, and with them the hash chain
(`prev_hash` covers the whole predecessor, timestamp included)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from services.runtime import Runtime
from services.simulation.plan import Chunk
from services.simulation.profiles import LAST_YEAR, Profile
from services.simulation.round_chunks import year_chunks
from services.simulation.rounds import plan_year
from services.simulation.simulated import Simulated
from services.simulation.store import MAX_EVENTS_PER_SAVE
from services.simulation.world import build_world, world_chunks


class PlanMismatch(RuntimeError):
    """A chunk did not end where the plan said: the plan and the domain disagree."""


@dataclass(frozen=True)
class Outcome:
    chunks: int
    ran: int
    skipped: int
    events: int
    seconds: float
    interrupted: bool


def years_of(profile: Profile, years: int | None) -> range:
    count = years or profile.years
    return range(LAST_YEAR - count + 1, LAST_YEAR + 1)


def plan_chunks(profile: Profile, seed: int, years: int | None = None) -> Iterator[Chunk]:
    """Every chunk of the simulation, in the order they run; built one year at a time."""
    world = build_world(profile, seed)
    yield from world_chunks(world)
    span = years_of(profile, years)
    for year in span:
        yield from year_chunks(plan_year(world, profile, seed, year, span.start), profile, seed)


def count_chunks(profile: Profile, seed: int, years: int | None = None) -> int:
    return sum(1 for _ in plan_chunks(profile, seed, years))


def simulate(
    runtime: Runtime,
    profile: Profile,
    seed: int,
    years: int | None = None,
    *,
    stop_after: int | None = None,
    on_chunk: Callable[[Chunk, int], None] = lambda chunk, events: None,
) -> Outcome:
    """Build the profile's city in `runtime`'s store. `stop_after` stops, as an interruption
    would, once that many chunks ran: what was not saved yet is lost. `on_chunk` hears of
    each chunk, run or skipped, with the events saved so far."""
    began = time.monotonic()
    sim = Simulated.over(runtime)
    store = sim.store
    total = ran = skipped = 0
    interrupted = False
    try:
        for chunk in plan_chunks(profile, seed, years):
            total += 1
            if _recorded(sim, chunk):
                skipped += 1
            elif stop_after is not None and ran >= stop_after:
                store.discard()
                interrupted = True
                break
            else:
                if store.pending_events + chunk.max_events > MAX_EVENTS_PER_SAVE:
                    store.flush()
                _run(sim, chunk)
                ran += 1
            on_chunk(chunk, store.saved_events)
        if not interrupted:
            store.flush()
    finally:
        store.close()
    return Outcome(total, ran, skipped, store.saved_events, time.monotonic() - began, interrupted)


def _recorded(sim: Simulated, chunk: Chunk) -> bool:
    witness = chunk.witness
    return witness is None or sim.store.stored_version(witness.aggregate_id) >= witness.version


def _run(sim: Simulated, chunk: Chunk) -> None:
    if chunk.max_events > MAX_EVENTS_PER_SAVE:  # it could not be saved whole
        raise PlanMismatch(f"Chunk {chunk.key} may write {chunk.max_events} events")
    chunk.run(sim)
    witness = chunk.witness
    if witness is None:
        return
    version = sim.store.version(witness.aggregate_id)
    if version < witness.version or (witness.exact and version != witness.version):
        raise PlanMismatch(
            f"Chunk {chunk.key} left {witness.aggregate_id} at version "
            f"{sim.store.version(witness.aggregate_id)}, not {witness.version}"
        )
