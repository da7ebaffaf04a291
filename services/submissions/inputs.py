"""The inputs of batch-submitted commands: one pydantic model per GraphQL mutation, with the
same (camelCase) field names as its GraphQL input. Each model knows the aggregate its command
acts on (`target`), the service arguments it makes (`arguments`: its fields, with nested parts
turned into domain values), and which logged event an earlier attempt of it recorded
(`recorded`, for recovery; see entrypoints/http/submissions.py)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic.alias_generators import to_camel

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
from domain.configuration.values import DisclosureExemption
from domain.errors import Forbidden, NotFound
from domain.inspectors.inspector import Kinship, Posting, Relation
from domain.rectification.feedback import feedback_id_for
from domain.rectification.values import BallotChannel, ItemDraft, ItemKind
from domain.rounds.values import PetitionChannel, Phase, TeamRole

Refs = Mapping[str, UUID]  # clientId -> the clue an earlier item of the batch registered
EXPECTED_VERSION = "Refused with CONFLICT unless the clue is at this version."
TASK_VERSION = "Refused with CONFLICT if the task moved on."


class Input(BaseModel):
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


class Part(Input):
    """A nested part of an input, handed to the service as a domain value."""

    def to_domain(self) -> Any:
        raise NotImplementedError


def domain_value(value: Any) -> Any:
    """`value` as the service takes it: parts as domain values, lists of them as lists."""
    if isinstance(value, Part):
        return value.to_domain()
    if isinstance(value, list):
        return [domain_value(v) for v in value]
    return value


class CommandInput(Input):
    aims_at: ClassVar[str | None] = None
    """The field naming the aggregate the command acts on; the service gets the target there."""
    references: ClassVar[frozenset[str]] = frozenset()
    """Fields the batch resolves itself, not passed to the service."""

    def target(self, tenant_id: UUID, refs: Refs) -> UUID:
        """The aggregate the command acts on (for a registration: the registering office)."""
        if self.aims_at is None:
            raise NotImplementedError(type(self).__name__)
        found: UUID = getattr(self, self.aims_at)
        return found

    def arguments(self, target: UUID) -> dict[str, Any]:
        """The service's keyword arguments (before renaming), all but `acting`."""
        given = {
            name: domain_value(getattr(self, name))
            for name in type(self).model_fields
            if name not in self.references
        }
        return given | ({self.aims_at: target} if self.aims_at else {})

    def recorded(self, event: Any, target: UUID | None) -> bool:
        """Whether `event`, of this command's type and by the same actor, is the one an
        earlier attempt of this command recorded, acting on `target`."""
        return bool(event.originator_id == target)


class ClueCommandInput(CommandInput):
    aims_at = "clue_id"
    references = frozenset({"clue_ref"})

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

    def target(self, tenant_id: UUID, refs: Refs) -> UUID:
        if self.clue_id is not None:
            return self.clue_id
        ref = self.clue_ref or ""
        if ref not in refs:
            raise NotFound(
                f"clueRef {ref!r} names no item of this batch that registered a clue",
                field="clueRef",
            )
        return refs[ref]


class OfficeRegistrationInput(CommandInput):
    """A registration for an office: by default, and at most, the submitting office."""

    registers: ClassVar[str]

    def target(self, tenant_id: UUID, refs: Refs) -> UUID:
        named = self.aims_at or ""
        office: UUID | None = getattr(self, named)
        if office is not None and office != tenant_id:
            raise Forbidden(
                f"A submission registers {self.registers} only for its own office",
                field=type(self).model_fields[named].alias,
            )
        return tenant_id


class RoundCommandInput(CommandInput):
    aims_at = "round_id"

    round_id: UUID


class TaskCommandInput(CommandInput):
    aims_at = "task_id"

    task_id: UUID


# -- clues ----------------------------------------------------------------------------------


class PersonConcernedInput(Part):
    role: str
    name: str

    def to_domain(self) -> PersonConcerned:
        return PersonConcerned(role=self.role, name=self.name)


class InformantInput(Part):
    name: str
    contact: str | None = None

    def to_domain(self) -> InformantIdentity:
        return InformantIdentity(name=self.name, contact=self.contact)


class RegisterClueInput(OfficeRegistrationInput):
    aims_at = "tenant_id"
    registers = "clues"

    tenant_id: UUID | None = Field(None, description="The registering office; default: the path's.")
    unit_id: UUID
    round_id: UUID | None = None
    source: ClueSource
    category: str
    summary: str
    persons_concerned: list[PersonConcernedInput] = Field(default_factory=list, max_length=100)
    amount_involved: Decimal | None = None
    informant: InformantInput | None = None

    def recorded(self, event: Any, target: UUID | None) -> bool:
        return bool(
            event.tenant_id == target
            and event.unit_id == self.unit_id
            and event.round_id == self.round_id
            and event.category == self.category.strip()
            and event.summary == self.summary.strip()
        )


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


# -- rounds ---------------------------------------------------------------------------------


class OpenPetitionChannelInput(RoundCommandInput):
    channel: PetitionChannel
    address: str
    opened_on: date
    closes_on: date | None = None


class ClosePetitionChannelInput(RoundCommandInput):
    channel: PetitionChannel
    closed_on: date


class AdvanceRoundPhaseInput(RoundCommandInput):
    phase: Phase
    on: date


class AssignInspectorInput(RoundCommandInput):
    inspector_id: UUID
    role: TeamRole


class DeclareRecusalInput(RoundCommandInput):
    inspector_id: UUID
    unit_id: UUID = Field(description="The target unit the conflict concerns.")
    reason: str
    declared_on: date


# -- inspectors -----------------------------------------------------------------------------


class PostingInput(Part):
    unit_id: UUID
    start: date
    end: date | None = Field(None, description="Empty while the post is still held.")

    def to_domain(self) -> Posting:
        return Posting(self.unit_id, self.start, self.end)


class RelationInput(Part):
    kinship: Kinship
    person: str = Field(description="The relative's name.")
    position: str = Field(description="Their post, e.g. 村党支部书记.")
    unit_id: UUID = Field(description="The unit whose leadership they are in.")

    def to_domain(self) -> Relation:
        return Relation(self.kinship, self.person, self.position, self.unit_id)


class RegisterInspectorInput(OfficeRegistrationInput):
    aims_at = "home_tenant_id"
    registers = "inspectors"

    home_tenant_id: UUID | None = Field(
        None, description="The cadre's office; default: the path's."
    )
    name: str
    staff_number: str | None = Field(
        None, description="工号: with it the cadre's id follows from office and number."
    )
    postings: list[PostingInput] = Field(default_factory=list, max_length=100)
    relations: list[RelationInput] = Field(default_factory=list, max_length=100)

    @field_validator("staff_number")
    @classmethod
    def _blank_is_none(cls, number: str | None) -> str | None:
        return number or None  # as in GraphQL: an empty staff number is none

    def recorded(self, event: Any, target: UUID | None) -> bool:
        number = self.staff_number.strip() if self.staff_number else None
        return bool(
            event.tenant_id == target
            and event.name == self.name.strip()
            and event.staff_number == number
            and len(event.postings) == len(self.postings)
            and len(event.relations) == len(self.relations)
        )


# -- rectification --------------------------------------------------------------------------


class FeedbackItemInput(Part):
    kind: ItemKind
    key: str = Field(description="The office's own reference, unique in the feedback (P1).")
    text: str = Field(description="The problem, the measure, or the responsibility.")
    category: str | None = Field(None, description="A problem's checklist aspect (三资管理).")
    refers_to: str | None = Field(
        None, description="The key of a task's problem, or of a responsibility's task."
    )
    immediate: bool = Field(False, description="立行立改: such a task starts as done.")
    disclosure: list[DisclosureExemption] | None = Field(None, max_length=10)
    responsible_leader: str | None = None
    responsible_department: str | None = None
    deadline: date | None = Field(None, description="A responsibility's deadline.")
    evidence: str | None = Field(None, description="An immediate task's evidence.")

    def to_domain(self) -> ItemDraft:
        return ItemDraft(
            kind=self.kind,
            key=self.key,
            text=self.text,
            category=self.category,
            refers_to=self.refers_to,
            immediate=self.immediate,
            disclosure=tuple(self.disclosure or ()),
            responsible_leader=self.responsible_leader,
            responsible_department=self.responsible_department,
            deadline=self.deadline,
            evidence=self.evidence,
        )


class RecordFeedbackInput(CommandInput):
    round_id: UUID
    unit_id: UUID = Field(description="A target unit of the round.")
    given_on: date | None = Field(None, description="The day of the feedback (default: today).")
    report: str = Field(description="The feedback report (反馈意见).")
    items: list[FeedbackItemInput] = Field(max_length=1000)

    def target(self, tenant_id: UUID, refs: Refs) -> UUID:
        """The feedback itself: one per round and unit, its id follows from both."""
        return feedback_id_for(self.round_id, self.unit_id)


class ReportTaskDoneInput(TaskCommandInput):
    evidence: str
    done_on: date | None = None
    expected_version: int | None = None


class VerifyTaskInput(TaskCommandInput):
    verified_on: date | None = Field(None, description="The day it was verified (default: today).")
    expected_version: int | None = Field(None, description=TASK_VERSION)


class RecordSatisfactionBallotsInput(TaskCommandInput):
    satisfied: int = Field(ge=-(2**31), le=1_000_000, description="满意")
    basically_satisfied: int = Field(ge=-(2**31), le=1_000_000, description="基本满意")
    dissatisfied: int = Field(ge=-(2**31), le=1_000_000, description="不满意")
    channel: BallotChannel
    held_on: date | None = Field(None, description="The day of the revisit (default: today).")
    expected_version: int | None = Field(None, description=TASK_VERSION)
