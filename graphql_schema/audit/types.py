"""The audit view of an aggregate: its state rebuilt from events as of a moment, and every
event as an audit entry. Values come from `services.history` (plain snapshots)."""

from __future__ import annotations

from enum import Enum
from typing import Any
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo

from graphql_schema.clues.types import ClueSource, ClueStatus
from graphql_schema.dataloaders import load_history
from services.backdating import BackdatedEvent
from services.history import AggregateState, AuditEntry
from services.submissions.commands import command_of


class AuditEntryType(graphene.ObjectType):
    """One recorded event, as an auditor reads it."""

    class Meta:
        name = "AuditEntry"

    version = graphene.Int(required=True)
    type = graphene.String(required=True, description="The event, e.g. Clue.Transferred.")
    occurred_at = graphene.DateTime(
        required=True, description="The event's timestamp, from the application's clock."
    )
    occurred_on = graphene.Date(
        required=True,
        description="The date written on its document (e.g. the transfer letter's); for an "
        "event without one, the day (China) it was recorded.",
    )
    recorded_at = graphene.DateTime(
        required=True,
        description="When the database recorded it: filled by the PostgreSQL server at the "
        "insert, never by a writer (docs/AUDIT.md).",
    )
    actor = graphene.String(required=True)
    tenant = graphene.ID(required=True, description="The tenant the event was recorded under.")
    reason = graphene.String(description="The reason given with the event, where one was.")
    changes = graphene.JSONString(
        required=True, description="The event's payload, in the canonical form its hash covers."
    )
    hash = graphene.String(required=True, description="SHA-256 of the canonical record.")
    prev_hash = graphene.String(required=True, description="The hash of the event before it.")

    @staticmethod
    def resolve_tenant(entry: AuditEntry, _info: GraphQLResolveInfo) -> str:
        return entry.tenant_id


class BackdatedEventType(graphene.ObjectType):
    """An event recorded well after the date on its document."""

    class Meta:
        name = "BackdatedEvent"

    stream_id = graphene.ID(required=True, description="The clue, round, feedback or task.")
    aggregate = graphene.String(required=True, description="Clue, Round, Feedback or Task.")
    version = graphene.Int(required=True)
    event = graphene.String(required=True, description="E.g. Clue.Transferred.")
    command = graphene.String(description="The command that records it, e.g. transferClue.")
    occurred_on = graphene.Date(required=True)
    recorded_at = graphene.DateTime(required=True)
    working_days_late = graphene.Int(
        required=True, description="Working days after occurredOn up to the day recorded."
    )
    actor = graphene.String(required=True)
    tenant = graphene.ID(required=True)

    @staticmethod
    def resolve_tenant(entry: BackdatedEvent, _info: GraphQLResolveInfo) -> UUID:
        return entry.tenant_id

    @staticmethod
    def resolve_command(entry: BackdatedEvent, _info: GraphQLResolveInfo) -> str | None:
        return command_of(entry.topic)


def _value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _attr(name: str) -> Any:
    def resolve(state: AggregateState, _info: GraphQLResolveInfo) -> Any:
        return _value(state.attributes.get(name))

    return resolve


def _last_transfer(state: AggregateState) -> tuple[Any, Any] | None:
    transfers = state.attributes.get("transfers") or []
    return (transfers[-1][0], transfers[-1][1]) if transfers else None


class PersonConcernedAsOf(graphene.ObjectType):
    role = graphene.String(required=True)
    name = graphene.String(required=True)


class ClueAsOf(graphene.ObjectType):
    """A problem clue as it stood at a moment, rebuilt from its events. Enumerated values
    added by the lifecycle (priority, handling body, …) are given as their names."""

    id = graphene.ID(required=True)
    version = graphene.Int(required=True, description="The version the clue had then.")
    created_at = graphene.DateTime(required=True)
    modified_at = graphene.DateTime(required=True, description="Its last change by then.")
    tenant_id = graphene.ID(required=True)
    unit_id = graphene.ID(required=True)
    round_id = graphene.ID()
    source = graphene.Field(ClueSource, required=True)
    category = graphene.String(required=True)
    summary = graphene.String(required=True)
    persons_concerned = graphene.List(graphene.NonNull(PersonConcernedAsOf), required=True)
    amount_involved = graphene.Decimal()
    status = graphene.Field(ClueStatus, required=True)
    priority = graphene.String()
    proposed_route = graphene.String()
    handling_body = graphene.String()
    receiving_tenant_id = graphene.ID()
    transferred_on = graphene.Date()
    due_date = graphene.Date(description="The due date as recorded at transfer.")
    due_provisional = graphene.Boolean()
    supervision_step = graphene.String()
    warning_final_date = graphene.Date()
    disposition = graphene.String()
    persons_disciplined = graphene.Int()
    funds_recovered = graphene.Decimal()
    informant_erased = graphene.Boolean()
    head_hash = graphene.String(required=True, description="The hash of its latest event then.")
    history = graphene.List(
        graphene.NonNull(AuditEntryType),
        required=True,
        description="Every event of the clue up to this version, oldest first.",
    )

    resolve_tenant_id = _attr("tenant_id")
    resolve_unit_id = _attr("unit_id")
    resolve_round_id = _attr("round_id")
    resolve_source = _attr("source")
    resolve_category = _attr("category")
    resolve_summary = _attr("summary")
    resolve_amount_involved = _attr("amount_involved")
    resolve_status = _attr("status")
    resolve_priority = _attr("priority")
    resolve_proposed_route = _attr("proposed_route")
    resolve_transferred_on = _attr("transferred_on")
    resolve_supervision_step = _attr("supervision_step")
    resolve_warning_final_date = _attr("warning_final_date")
    resolve_disposition = _attr("disposition")
    resolve_persons_disciplined = _attr("persons_disciplined")
    resolve_funds_recovered = _attr("funds_recovered")
    resolve_informant_erased = _attr("informant_erased")
    resolve_head_hash = _attr("head_hash")

    @staticmethod
    def resolve_created_at(state: AggregateState, _info: GraphQLResolveInfo) -> Any:
        return state.created_on

    @staticmethod
    def resolve_modified_at(state: AggregateState, _info: GraphQLResolveInfo) -> Any:
        return state.modified_on

    @staticmethod
    def resolve_persons_concerned(state: AggregateState, _info: GraphQLResolveInfo) -> Any:
        return list(state.attributes.get("persons_concerned") or [])

    @staticmethod
    def resolve_handling_body(state: AggregateState, _info: GraphQLResolveInfo) -> Any:
        last = _last_transfer(state)
        return None if last is None else _value(last[0])

    @staticmethod
    def resolve_receiving_tenant_id(state: AggregateState, _info: GraphQLResolveInfo) -> Any:
        last = _last_transfer(state)
        return None if last is None else last[1]

    @staticmethod
    def resolve_due_date(state: AggregateState, _info: GraphQLResolveInfo) -> Any:
        deadline = state.attributes.get("deadline")
        return getattr(deadline, "due_date", None)

    @staticmethod
    def resolve_due_provisional(state: AggregateState, _info: GraphQLResolveInfo) -> Any:
        deadline = state.attributes.get("deadline")
        return getattr(deadline, "provisional", None)

    @staticmethod
    def resolve_history(state: AggregateState, info: GraphQLResolveInfo) -> list[AuditEntry]:
        return load_history(info, state.id, state.version, what="clue")


class ChainProblemType(graphene.ObjectType):
    class Meta:
        name = "ChainProblem"

    stream_id = graphene.ID(required=True, description="The clue, round, unit … whose chain.")
    version = graphene.Int(required=True)
    problem = graphene.String(required=True)


class OfficeChainsType(graphene.ObjectType):
    """One office's recorded history checked link by link (services/office_chains.py)."""

    class Meta:
        name = "OfficeChains"

    tenant_id = graphene.ID(required=True)
    events = graphene.Int(required=True)
    streams = graphene.Int(required=True)
    intact = graphene.Boolean(required=True)
    problems = graphene.List(graphene.NonNull(ChainProblemType), required=True)
