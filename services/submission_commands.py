"""The commands a batch submission may hold: one pydantic model per GraphQL mutation, with
the same (camelCase) field names as its GraphQL input, and how each is carried out through the
services, as the acting principal. A clue command may name its clue by `clueRef`, the
`clientId` of an earlier item of the same batch that registered it, instead of `clueId`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic
from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

from domain.clues.clue import Clue
from domain.clues.values import (
    ClueSource,
    CorrectableField,
    Disposition,
    HandlingBody,
    InformantIdentity,
    PersonConcerned,
    PriorityClass,
    SupervisionStep,
)
from domain.errors import NotFound
from domain.rectification.task import Task
from domain.rounds.round import Round
from domain.rounds.values import PetitionChannel, Phase
from services.authorization import Acting
from services.results import Written
from services.runtime import Runtime

EXPECTED_VERSION = "Refused with CONFLICT unless the clue is at this version."


class CommandInput(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=False, extra="forbid", frozen=True
    )

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, given: Any) -> Any:
        """PostgreSQL text cannot hold NUL: refuse it here rather than in a read model."""
        if isinstance(given, dict):
            for key, value in given.items():
                if isinstance(value, str) and "\x00" in value:
                    raise ValueError(f"{key} must not contain a NUL character")
        return given


class ClueCommandInput(CommandInput):
    clue_id: UUID | None = Field(None, description="The clue; or give clueRef.")
    clue_ref: str | None = Field(
        None,
        description="The clientId of an earlier item (of this or an earlier batch of the same "
        "office) that registered the clue.",
        max_length=100,
    )
    expected_version: int | None = Field(None, description=EXPECTED_VERSION)

    @model_validator(mode="after")
    def _one_clue(self) -> ClueCommandInput:
        if (self.clue_id is None) == (self.clue_ref is None):
            raise ValueError("give exactly one of clueId and clueRef")
        return self


class PersonConcernedInput(CommandInput):
    role: str
    name: str


class InformantInput(CommandInput):
    name: str
    contact: str | None = None


class RegisterClueInput(CommandInput):
    tenant_id: UUID | None = Field(None, description="The registering office; default: the path's.")
    unit_id: UUID
    round_id: UUID | None = None
    source: ClueSource
    category: str
    summary: str
    persons_concerned: list[PersonConcernedInput] = Field(default_factory=list, max_length=100)
    amount_involved: Decimal | None = None
    informant: InformantInput | None = None


class TriageClueInput(ClueCommandInput):
    priority: PriorityClass
    proposed_route: str


class TransferClueInput(ClueCommandInput):
    handling_body: HandlingBody
    receiving_tenant_id: UUID
    due_date: date | None = None
    working_days: int | None = Field(None, ge=0, le=3650)


class AcceptClueInput(ClueCommandInput):
    pass


class ReportClueProgressInput(ClueCommandInput):
    progress: str


class ConcludeClueInput(ClueCommandInput):
    disposition: Disposition
    persons_disciplined: int = Field(0, ge=0, le=1_000_000)
    funds_recovered: Decimal = Decimal(0)
    closed_in_ledger: bool = True


class SuperviseClueInput(ClueCommandInput):
    step: SupervisionStep
    final_date: date | None = None
    note: str | None = None


class CorrectClueInput(ClueCommandInput):
    field: CorrectableField
    new_value: str
    reason: str


class OpenPetitionChannelInput(CommandInput):
    round_id: UUID
    channel: PetitionChannel
    address: str
    opened_on: date
    closes_on: date | None = None


class ClosePetitionChannelInput(CommandInput):
    round_id: UUID
    channel: PetitionChannel
    closed_on: date


class AdvanceRoundPhaseInput(CommandInput):
    round_id: UUID
    phase: Phase
    on: date


class ReportTaskDoneInput(CommandInput):
    task_id: UUID
    evidence: str
    done_on: date | None = None
    expected_version: int | None = None


Refs = Mapping[str, UUID]  # clientId -> the clue an earlier item of the batch registered


@dataclass(frozen=True)
class Command:
    """One kind of command: its input model, the event it records on its aggregate (what
    recovery looks for in the log), and how it runs."""

    input: type[CommandInput]
    event: type[Any]
    run: Callable[[Runtime, Acting, Any, UUID], Written]  # (runtime, acting, input, target)

    @property
    def topic(self) -> str:
        return get_topic(self.event)


def target_of(command: str, given: CommandInput, tenant_id: UUID, refs: Refs) -> UUID:
    """The aggregate an item acts on (for registerClue: its registering office)."""
    if isinstance(given, RegisterClueInput):
        return given.tenant_id or tenant_id
    if isinstance(given, ClueCommandInput):
        if given.clue_id is not None:
            return given.clue_id
        ref = given.clue_ref or ""
        if ref not in refs:
            raise NotFound(
                f"clueRef {ref!r} names no item of this batch that registered a clue",
                field="clueRef",
            )
        return refs[ref]
    for name in ("round_id", "task_id"):
        if hasattr(given, name):
            found: UUID = getattr(given, name)
            return found
    raise AssertionError(f"no target for {command}")


def _register(rt: Runtime, acting: Acting, i: RegisterClueInput, tenant_id: UUID) -> Written:
    informant = (
        InformantIdentity(name=i.informant.name, contact=i.informant.contact)
        if i.informant
        else None
    )
    return rt.clues.register_clue(
        acting=acting,
        tenant_id=tenant_id,
        unit_id=i.unit_id,
        round_id=i.round_id,
        source=i.source,
        category=i.category,
        summary=i.summary,
        persons_concerned=[PersonConcerned(role=p.role, name=p.name) for p in i.persons_concerned],
        amount_involved=i.amount_involved,
        informant=informant,
    )


COMMANDS: dict[str, Command] = {
    "registerClue": Command(RegisterClueInput, Clue.Registered, _register),
    "triageClue": Command(
        TriageClueInput,
        Clue.Triaged,
        lambda rt, a, i, t: rt.clues.triage_clue(
            t,
            acting=a,
            priority=i.priority,
            proposed_route=i.proposed_route,
            expected_version=i.expected_version,
        ),
    ),
    "transferClue": Command(
        TransferClueInput,
        Clue.Transferred,
        lambda rt, a, i, t: rt.clues.transfer_clue(
            t,
            acting=a,
            body=i.handling_body,
            receiving_tenant_id=i.receiving_tenant_id,
            due_date=i.due_date,
            working_days=i.working_days,
            expected_version=i.expected_version,
        ),
    ),
    "acceptClue": Command(
        AcceptClueInput,
        Clue.Accepted,
        lambda rt, a, i, t: rt.clues.accept_clue(t, acting=a, expected_version=i.expected_version),
    ),
    "reportClueProgress": Command(
        ReportClueProgressInput,
        Clue.ProgressReported,
        lambda rt, a, i, t: rt.clues.report_clue_progress(
            t,
            acting=a,
            progress=i.progress,
            expected_version=i.expected_version,
        ),
    ),
    "concludeClue": Command(
        ConcludeClueInput,
        Clue.Concluded,
        lambda rt, a, i, t: rt.clues.conclude_clue(
            t,
            acting=a,
            disposition=i.disposition,
            persons_disciplined=i.persons_disciplined,
            funds_recovered=i.funds_recovered,
            closed_in_ledger=i.closed_in_ledger,
            expected_version=i.expected_version,
        ),
    ),
    "superviseClue": Command(
        SuperviseClueInput,
        Clue.Supervised,
        lambda rt, a, i, t: rt.clues.supervise_clue(
            t,
            acting=a,
            step=i.step,
            final_date=i.final_date,
            note=i.note,
            expected_version=i.expected_version,
        ),
    ),
    "correctClue": Command(
        CorrectClueInput,
        Clue.Corrected,
        lambda rt, a, i, t: rt.clues.correct_clue(
            t,
            acting=a,
            field=i.field,
            new_value=i.new_value,
            reason=i.reason,
            expected_version=i.expected_version,
        ),
    ),
    "openPetitionChannel": Command(
        OpenPetitionChannelInput,
        Round.PetitionChannelOpened,
        lambda rt, a, i, t: rt.rounds.open_petition_channel(
            acting=a,
            round_id=t,
            channel=i.channel,
            on=i.opened_on,
            address=i.address,
            closes_on=i.closes_on,
        ),
    ),
    "closePetitionChannel": Command(
        ClosePetitionChannelInput,
        Round.PetitionChannelClosed,
        lambda rt, a, i, t: rt.rounds.close_petition_channel(
            acting=a, round_id=t, channel=i.channel, on=i.closed_on
        ),
    ),
    "advanceRoundPhase": Command(
        AdvanceRoundPhaseInput,
        Round.PhaseAdvanced,
        lambda rt, a, i, t: rt.rounds.advance_round_phase(
            acting=a, round_id=t, phase=i.phase, on=i.on
        ),
    ),
    "reportTaskDone": Command(
        ReportTaskDoneInput,
        Task.ReportedDone,
        lambda rt, a, i, t: rt.rectification.report_task_done(
            acting=a,
            task_id=t,
            evidence=i.evidence,
            done_on=i.done_on,
            expected_version=i.expected_version,
        ),
    ),
}
