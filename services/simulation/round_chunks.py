"""The chunks that run a planned round through the services: its planning (or its cross
batch's), stationing with team and petition channels, the clues found in each unit, the
report and feedback phases, each unit's feedback and tasks, and its close. Each chunk's
witness is the round's version after it (counted here), or the clue or feedback it creates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from domain.context import acting_as
from domain.rounds.values import Phase, RoundKind
from services.rounds import CrossTargets
from services.simulation import fieldwork
from services.simulation.plan import Chunk, UnitSpec, Witness, rng_for
from services.simulation.profiles import HORIZON, Profile
from services.simulation.rounds import CrossBatchSpec, RoundSpec, Year
from services.simulation.simulated import Simulated

Runner = Callable[[Simulated], None]


def batch_chunk(batch: CrossBatchSpec) -> Chunk:
    def run(sim: Simulated) -> None:
        city = batch.city
        with acting_as(city.actor):
            sim.rounds.plan_cross_batch(
                city_id=city.id,
                mode=batch.mode,
                kind=RoundKind.REGULAR,
                title=batch.title,
                period=batch.rounds[0].period,
                targets=[CrossTargets(c, [u.id for u in us]) for c, us in batch.targets.items()],
                acting=city.acting,
                batch_id=batch.id,
            )

    events = sum(1 + 2 * len(units) for units in batch.targets.values())
    on = batch.start - timedelta(days=14)
    return Chunk(f"{batch.start.year}/{batch.key}", on, events, Witness(batch.rounds[0].id, 1), run)


@dataclass
class RoundChunks:
    """Builds a round's chunks, counting the round's version to name each one's witness."""

    spec: RoundSpec
    profile: Profile
    seed: int
    version: int = 0
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"{self.spec.start.year}/{self.spec.key}"

    def add(self, name: str, on: date, round_events: int, other_events: int, run: Runner) -> None:
        self.version += round_events
        witness = Witness(self.spec.id, self.version)
        self.chunks.append(
            Chunk(f"{self.key}/{name}", on, round_events + other_events, witness, run)
        )

    def build(self) -> list[Chunk]:
        spec = self.spec
        if not spec.planned_by_batch:
            self.add("plan", spec.start - timedelta(days=14), 1, 2 * len(spec.targets), self._plan)
        else:
            self.version = 1
        if spec.stationed_on > HORIZON:
            return self.chunks
        self.add("station", spec.start, len(spec.team) + 2 + len(spec.channels), 0, self._station)
        if spec.channels_close_on > HORIZON:
            return self.chunks
        for unit in spec.targets:
            self._clue_chunk(unit)
        phases = [p for p, d in self._report_phases() if d <= HORIZON]
        if len(phases) < 2:
            return self.chunks
        self.add("report", spec.channels_close_on, len(spec.channels) + 2, 0, self._report)
        for unit in spec.targets:
            self._feedback_chunk(unit)
        closing = [(p, d) for p, d in self._closing_phases() if d <= HORIZON]
        if closing:
            released = len(spec.targets) if len(closing) == 2 else 0
            self.add("close", spec.feedback_on, len(closing), released, self._close(closing))
        return self.chunks

    def _report_phases(self) -> list[tuple[Phase, date]]:
        return [
            (Phase.REPORTED, self.spec.reported_on),
            (Phase.FEEDBACK_GIVEN, self.spec.feedback_on),
        ]

    def _closing_phases(self) -> list[tuple[Phase, date]]:
        spec = self.spec
        return [
            (Phase.RECTIFYING, spec.feedback_on + timedelta(days=1)),
            (Phase.CLOSED, spec.closed_on),
        ]

    def _plan(self, sim: Simulated) -> None:
        spec = self.spec
        with acting_as(spec.organiser.actor):
            sim.rounds.plan_round(
                tenant_id=spec.organiser.id,
                kind=spec.kind,
                linkage=spec.linkage,
                title=spec.title,
                period=spec.period,
                target_unit_ids=[u.id for u in spec.targets],
                theme=spec.theme,
                revisit_of=spec.revisit_of,
                co_organiser_ids=[c.id for c in spec.co_organisers],
                parent_round_id=spec.parent_id,
                acting=spec.organiser.acting,
                round_id=spec.id,
            )

    def _station(self, sim: Simulated) -> None:
        spec, office = self.spec, self.spec.field_office
        with acting_as(office.actor):
            for cadre, role in spec.team:
                sim.rounds.assign_inspector(
                    round_id=spec.id,
                    inspector_id=cadre.id,
                    role=role,
                    occurred_on=spec.start,
                    acting=office.acting,
                )
            for phase, on in ((Phase.PREPARING, spec.start), (Phase.STATIONED, spec.stationed_on)):
                sim.rounds.advance_round_phase(
                    round_id=spec.id, phase=phase, on=on, acting=office.acting
                )
            for n, channel in enumerate(spec.channels):
                sim.rounds.open_petition_channel(
                    round_id=spec.id,
                    channel=channel,
                    on=spec.stationed_on,
                    address=f"{office.name}巡察组{channel.value.lower()}-{n + 1}",
                    closes_on=spec.channels_close_on,
                    acting=office.acting,
                )

    def _report(self, sim: Simulated) -> None:
        spec, office = self.spec, self.spec.field_office
        with acting_as(office.actor):
            for channel in spec.channels:
                sim.rounds.close_petition_channel(
                    round_id=spec.id,
                    channel=channel,
                    on=spec.channels_close_on,
                    acting=office.acting,
                )
            for phase, on in self._report_phases():
                sim.rounds.advance_round_phase(
                    round_id=spec.id, phase=phase, on=on, acting=office.acting
                )

    def _close(self, phases: list[tuple[Phase, date]]) -> Runner:
        def run(sim: Simulated) -> None:
            office = self.spec.field_office
            with acting_as(office.actor):
                for phase, on in phases:
                    sim.rounds.advance_round_phase(
                        round_id=self.spec.id, phase=phase, on=on, acting=office.acting
                    )

        return run

    def _clue_chunk(self, unit: UnitSpec) -> None:
        visit, key = self.spec.visit(unit), f"{self.key}/clues/{unit.code}"
        profile, seed = self.profile, self.seed
        count = fieldwork.clue_count(rng_for(seed, key), profile.mean_clues, profile.max_clues)

        def run(sim: Simulated) -> None:
            rng = rng_for(seed, key)
            fieldwork.find_clues(
                sim, visit, rng, fieldwork.clue_count(rng, profile.mean_clues, profile.max_clues)
            )

        witness = Witness(fieldwork.clue_id_for(visit, 0), 1, exact=False)
        events = count * fieldwork.MAX_CLUE_EVENTS
        self.chunks.append(Chunk(key, visit.stationed_on, events, witness, run))

    def _feedback_chunk(self, unit: UnitSpec) -> None:
        visit, key = self.spec.visit(unit), f"{self.key}/feedback/{unit.code}"
        profile, seed = self.profile, self.seed
        problems = fieldwork.problem_count(rng_for(seed, key), profile)

        def run(sim: Simulated) -> None:
            rng = rng_for(seed, key)
            fieldwork.give_feedback(sim, visit, rng, fieldwork.problem_count(rng, profile))

        events = 1 + problems * fieldwork.MAX_TASK_EVENTS
        witness = Witness(fieldwork.feedback_id(visit), 1, exact=False)
        self.chunks.append(Chunk(key, visit.feedback_on, events, witness, run))


def year_chunks(year: Year, profile: Profile, seed: int) -> list[Chunk]:
    """The year's chunks, in the order their days come (a round's own in its order)."""
    chunks = [batch_chunk(year.batch)] if year.batch else []
    for spec in year.rounds:
        chunks += RoundChunks(spec, profile, seed).build()
    order = {id(c): n for n, c in enumerate(chunks)}
    return sorted(chunks, key=lambda c: (c.on, order[id(c)]))
