"""The inputs of the field commands: one pydantic model per command, the one declaration of its
(camelCase) fields, their types, required-ness and descriptions. The batch endpoint validates an
item's input with it, and the command's GraphQL input type is made from it
(graphql_schema/commands.py), so both surfaces validate alike. Each model knows the aggregate its
command acts on (`target`) and the service arguments it makes (`arguments`: its fields, with
nested parts turned into domain values). A model's docstring describes its GraphQL mutation."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
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
from domain.errors import Forbidden, NotFound, ValidationFailed
from domain.inspectors.inspector import Kinship, Posting, Relation
from domain.rectification.feedback import feedback_id_for
from domain.rectification.values import BallotChannel, ItemDraft, ItemKind
from domain.rounds.values import PetitionChannel, Phase, TeamRole

Refs = Mapping[str, UUID]  # clientId -> the clue an earlier item of the batch registered
EXPECTED_VERSION = (
    "The clue's version the command was prepared against; refused with CONFLICT (and nothing "
    "written) when the clue has moved on."
)
TASK_VERSION = "Refused with CONFLICT if the task moved on."
OCCURRED_ON = (
    "The date written on the document (e.g. the transfer letter's), which due dates count "
    "from; default: today in China. Refused in the future, before what it acts on began, or "
    "before the previous step of the same clue, task or round."
)


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
    """Fields the batch resolves itself, not passed to the service: batch only, not in GraphQL."""
    derives: ClassVar[str | None] = None
    """The service keyword taking the id of the aggregate the command creates, when a batch
    derives that id from (office, clientId)."""
    required_in_graphql: ClassVar[frozenset[str]] = frozenset()
    """Fields a batch item may leave out because the batch has them otherwise (a `clueRef`, the
    path's office), which GraphQL, having neither, requires."""
    dated_by: ClassVar[str | None] = None
    """A command that named its document's date before `occurredOn` existed (e.g. `givenOn`):
    that field, which takes `occurredOn` as its other name (see `Dated`)."""

    def target(self, tenant_id: UUID, refs: Refs) -> UUID:
        """The aggregate the command acts on (for a registration: the registering office)."""
        if self.aims_at is None:
            raise NotImplementedError(type(self).__name__)
        found: UUID = getattr(self, self.aims_at)
        return found

    def arguments(self, target: UUID | None = None) -> dict[str, Any]:
        """The service's keyword arguments (before renaming), all but `acting`; `target`, when
        the batch resolved it, in the field the command aims at."""
        given = {
            name: domain_value(getattr(self, name))
            for name in type(self).model_fields
            if name not in self.references
        }
        if self.dated_by is not None:
            given[self.dated_by] = self._one_date(given.pop("occurred_on"), given[self.dated_by])
        return given | ({self.aims_at: target} if self.aims_at and target else {})

    def _one_date(self, occurred_on: date | None, own: date | None) -> date | None:
        if occurred_on is not None and own is not None and occurred_on != own:
            alias = type(self).model_fields[self.dated_by or ""].alias
            raise ValidationFailed(
                f"occurredOn {occurred_on.isoformat()} and {alias} {own.isoformat()} name the "
                "same date; give one of them",
                field="occurredOn",
            )
        return own if own is not None else occurred_on


class Dated(Input):
    """A field command: it carries the date written on its document."""

    occurred_on: date | None = Field(None, description=OCCURRED_ON)


class ClueCommandInput(CommandInput):
    aims_at = "clue_id"
    references = frozenset({"clue_ref"})
    required_in_graphql = frozenset({"clue_id"})

    clue_id: UUID | None = None
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
    role: str = Field(description="E.g. 村党支部书记.")
    name: str

    def to_domain(self) -> PersonConcerned:
        return PersonConcerned(role=self.role, name=self.name)


class InformantInput(Part):
    name: str
    contact: str | None = Field(None, description="Phone, address or e-mail.")

    def to_domain(self) -> InformantIdentity:
        return InformantIdentity(name=self.name, contact=self.contact)


class RegisterClueInput(OfficeRegistrationInput, Dated):
    aims_at = "tenant_id"
    registers = "clues"
    derives = "clue_id"
    required_in_graphql = frozenset({"tenant_id"})

    tenant_id: UUID | None = Field(
        None, description="The office registering the clue; in a batch, default: the path's."
    )
    unit_id: UUID = Field(description="The inspected unit the clue concerns.")
    round_id: UUID | None = None
    source: ClueSource
    category: str = Field(description="Checklist aspect, e.g. 三资管理.")
    summary: str
    persons_concerned: list[PersonConcernedInput] = Field(default_factory=list, max_length=100)
    amount_involved: Decimal | None = Field(None, description="Amount involved, CNY.")
    informant: InformantInput | None = Field(
        None,
        description="The informant's identity (举报人): stored only encrypted with a key of its "
        "own, shown only to callers with informant clearance, erasable.",
    )


class TriageClueInput(ClueCommandInput, Dated):
    """Classify a clue (ClueTriaged): priority class and proposed route."""

    priority: PriorityClass
    proposed_route: str = Field(description="E.g. 移交纪委监委.")


class TransferClueInput(ClueCommandInput, Dated):
    """Hand a clue over to a handling body (移交, ClueTransferred) with a due date (限期办结)."""

    handling_body: HandlingBody
    receiving_tenant_id: UUID = Field(
        description="The office whose body handles it; may be another county."
    )
    due_date: date | None = Field(None, description="Due by this date; or give workingDays.")
    working_days: int | None = Field(
        None,
        ge=0,
        le=3650,
        description="Due this many working days after occurredOn, on the official calendar.",
    )


class AcceptClueInput(ClueCommandInput, Dated):
    """The handling body accepts a transferred clue (受理, ClueAccepted)."""


class ReportClueProgressInput(ClueCommandInput, Dated):
    """The handler reports how an accepted clue is going (ClueProgressReported)."""

    progress: str


class ConcludeClueInput(ClueCommandInput, Dated):
    """The handler concludes a clue (办结, ClueConcluded)."""

    disposition: Disposition
    persons_disciplined: int = Field(0, ge=0, le=1_000_000, description="Default 0.")
    funds_recovered: Decimal = Field(Decimal(0), description="挽回经济损失, CNY; default 0.")
    closed_in_ledger: bool = Field(True, description="销号: closed in the ledger (default true).")


class SuperviseClueInput(ClueCommandInput, Dated):
    """Take a slipping clue one step up the supervision ladder (五书制)."""

    step: SupervisionStep
    final_date: date | None = Field(
        None, description="A warning's final date (告诫: required for it)."
    )
    note: str | None = None


class CorrectClueInput(ClueCommandInput):
    """Correct a recorded fact (ClueCorrected): a new event with its reason, never an edit."""

    field: CorrectableField
    new_value: str = Field(description="Text, an amount, a count or a date (YYYY-MM-DD).")
    reason: str


# -- rounds ---------------------------------------------------------------------------------


class OpenPetitionChannelInput(RoundCommandInput):
    channel: PetitionChannel
    address: str = Field(description="Number, box location, address, URL.")
    opened_on: date
    closes_on: date | None = Field(None, description="The published closing date.")


class ClosePetitionChannelInput(RoundCommandInput):
    channel: PetitionChannel
    closed_on: date


class AdvanceRoundPhaseInput(RoundCommandInput, Dated):
    """Move a round to its next phase; never back, dates never backwards."""

    dated_by = "on"

    phase: Phase = Field(description="The next phase.")
    on: date | None = Field(
        None, description="The day it happened (occurredOn by its earlier name; default today)."
    )


class AssignInspectorInput(RoundCommandInput, Dated):
    """Put an inspector on a round's team; refused when a recusal (回避) rule applies."""

    inspector_id: UUID
    role: TeamRole


class DeclareRecusalInput(RoundCommandInput, Dated):
    """Record a declared recusal (公务回避): the inspector leaves or stays off the team."""

    dated_by = "declared_on"

    inspector_id: UUID
    unit_id: UUID = Field(description="The target unit the conflict concerns.")
    reason: str
    declared_on: date | None = Field(
        None, description="occurredOn by its earlier name (default today)."
    )


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
    """Register a cadre who can serve on inspection teams (巡察干部)."""

    aims_at = "home_tenant_id"
    registers = "inspectors"
    required_in_graphql = frozenset({"home_tenant_id"})

    home_tenant_id: UUID | None = Field(
        None, description="The cadre's office; in a batch, default: the path's."
    )
    name: str
    staff_number: str | None = Field(
        None,
        description="工号: with it the cadre's id follows from office and number (imports use it).",
    )
    postings: list[PostingInput] = Field(default_factory=list, max_length=100)
    relations: list[RelationInput] = Field(default_factory=list, max_length=100)

    @field_validator("staff_number")
    @classmethod
    def _blank_is_none(cls, number: str | None) -> str | None:
        return number or None  # as in GraphQL: an empty staff number is none


# -- rectification --------------------------------------------------------------------------


class FeedbackItemInput(Part):
    kind: ItemKind
    key: str = Field(description="The office's own reference, unique in the feedback (P1).")
    text: str = Field(description="The problem, the measure, or the responsibility.")
    category: str | None = Field(
        None, description="A problem's checklist aspect (e.g. 三资管理); its lines inherit it."
    )
    refers_to: str | None = Field(
        None, description="The key of a task's problem, or of a responsibility's task."
    )
    immediate: bool = Field(
        False, description="立行立改: fixed during stationing; such a task starts as done."
    )
    disclosure: list[DisclosureExemption] | None = Field(
        None,
        max_length=10,
        description="Why the line may not be disclosed; passes on to the lines below it.",
    )
    responsible_leader: str | None = Field(None, description="A responsibility's leader.")
    responsible_department: str | None = Field(None, description="A responsibility's department.")
    deadline: date | None = Field(
        None, description="A responsibility's deadline; its task is due then."
    )
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


class RecordFeedbackInput(CommandInput, Dated):
    """Record a round's feedback to one unit: the report and its problem, task and
    responsibility lists. Each task gets its own id (see `rectification`)."""

    dated_by = "given_on"

    round_id: UUID
    unit_id: UUID = Field(description="A target unit of the round.")
    given_on: date | None = Field(None, description="The day of the feedback (default: today).")
    report: str = Field(description="The feedback report (反馈意见).")
    items: list[FeedbackItemInput] = Field(max_length=1000)

    def target(self, tenant_id: UUID, refs: Refs) -> UUID:
        """The feedback itself: one per round and unit, its id follows from both."""
        return feedback_id_for(self.round_id, self.unit_id)


class ReportTaskDoneInput(TaskCommandInput, Dated):
    """The unit reports a rectification task done, with evidence."""

    dated_by = "done_on"

    evidence: str = Field(description="整改佐证材料: what shows it done.")
    done_on: date | None = Field(None, description="The day it was done (default: today).")
    expected_version: int | None = Field(None, description=TASK_VERSION)


class VerifyTaskInput(TaskCommandInput, Dated):
    """The inspection office verifies a task reported done and closes it (对账销号)."""

    dated_by = "verified_on"

    verified_on: date | None = Field(None, description="The day it was verified (default: today).")
    expected_version: int | None = Field(None, description=TASK_VERSION)


class RecordSatisfactionBallotsInput(TaskCommandInput, Dated):
    """A revisit (回访) of a verified task: the masses' satisfaction ballots."""

    dated_by = "held_on"

    satisfied: int = Field(ge=-(2**31), le=1_000_000, description="满意")
    basically_satisfied: int = Field(ge=-(2**31), le=1_000_000, description="基本满意")
    dissatisfied: int = Field(ge=-(2**31), le=1_000_000, description="不满意")
    channel: BallotChannel = Field(description="Paper or anonymous online.")
    held_on: date | None = Field(None, description="The day of the revisit (default: today).")
    expected_version: int | None = Field(None, description=TASK_VERSION)


def invalid(error: ValidationError) -> ValidationFailed:
    """A refused input as the services' VALIDATION_FAILED, naming the (first) offending field."""
    problems = error.errors()
    first = problems[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    message = "; ".join(
        f"{'.'.join(str(p) for p in e.get('loc', ())) or 'input'}: {e.get('msg')}"
        for e in problems[:5]
    )
    return ValidationFailed(message, field=where or None)
