"""Every command's GraphQL mutation, made from its one declaration in
services/submissions/commands.py: the input type from the command's pydantic model (its
fields, types, required-ness, descriptions and defaults; batch-only references left out), and
one `mutate` for all of them, which validates the arguments through that same model (so a bad
input is refused as in a batch, VALIDATION_FAILED naming the field), runs the command as the
caller through the same `Command.run` the batch endpoint uses, and returns the WriteResult
(planCrossBatch: the rounds it planned)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from enum import Enum
from types import NoneType, UnionType
from typing import Any, Union, get_args, get_origin
from uuid import UUID

import graphene
from graphql import GraphQLResolveInfo
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from graphql_schema.clues import types as clues
from graphql_schema.comparison import types as comparison
from graphql_schema.context import runtime_of
from graphql_schema.deadlines import types as deadlines
from graphql_schema.documents import types as documents
from graphql_schema.groups import crossing
from graphql_schema.groups import types as groups
from graphql_schema.inspectors import types as inspectors
from graphql_schema.rectification import types as rectification
from graphql_schema.rounds import types as rounds
from graphql_schema.rounds.types import PlanCrossBatchPayload
from graphql_schema.tenants import types as tenants
from graphql_schema.tenants.acting import acting_of
from graphql_schema.written import WriteResult
from services.submissions.commands import COMMANDS, Command
from services.submissions.inputs import CommandInput, invalid

SCALARS: dict[type, type[graphene.Scalar]] = {
    UUID: graphene.ID,
    str: graphene.String,
    int: graphene.Int,
    bool: graphene.Boolean,
    Decimal: graphene.Decimal,
    date: graphene.Date,
}

ENUMS: dict[type[Enum], Any] = {
    graphql_enum._meta.enum: graphql_enum
    for graphql_enum in (
        clues.ClueSource,
        clues.PriorityClass,
        clues.HandlingBody,
        clues.Disposition,
        clues.SupervisionStep,
        clues.CorrectableField,
        inspectors.Kinship,
        rectification.RectificationItemKind,
        rectification.BallotChannel,
        rectification.FeedbackLevel,
        rounds.RoundKind,
        rounds.Linkage,
        rounds.RoundPhase,
        rounds.PetitionChannel,
        rounds.TeamRole,
        crossing.CrossMode,
        rounds.SelectionReason,
        groups.GroupKind,
        tenants.TenantLevel,
        tenants.UnitType,
        tenants.DisclosureExemption,
        tenants.LadderStepName,
        tenants.LadderTrigger,
        deadlines.ChannelKind,
        documents.DocumentKind,
        comparison.DatasetKind,
    )
}
"""Each domain enum an input names, as the schema's existing enum type of it."""

PAYLOADS: dict[str, tuple[type[graphene.ObjectType], Callable[[Any], Any]]] = {
    "planCrossBatch": (PlanCrossBatchPayload, PlanCrossBatchPayload.of),
    "planTownshipCrossBatch": (PlanCrossBatchPayload, PlanCrossBatchPayload.of),
    "issueDocument": (documents.IssueDocumentPayload, documents.IssueDocumentPayload.of),
    "runComparison": (comparison.RunComparisonPayload, comparison.RunComparisonPayload.of),
    "startComparison": (comparison.StartComparisonPayload, comparison.StartComparisonPayload.of),
    "viewCandidateEvidence": (
        comparison.CandidateEvidencePayload,
        comparison.CandidateEvidencePayload.of,
    ),
}
"""The commands that answer with more than the aggregate written: payload type and shaping."""

_input_types: dict[type[BaseModel], type[graphene.InputObjectType]] = {}


def graphql_type(annotation: Any) -> Any:
    """The GraphQL type of a pydantic field's annotation (optional: nullable)."""
    origin = get_origin(annotation)
    if origin in (Union, UnionType):
        (inner,) = [arg for arg in get_args(annotation) if arg is not NoneType]
        return graphql_type(inner)
    if origin is list:
        (item,) = get_args(annotation)
        return graphene.List(graphene.NonNull(graphql_type(item)))
    if annotation in SCALARS:
        return SCALARS[annotation]
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return ENUMS[annotation]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return input_type(annotation)
    raise TypeError(f"no GraphQL type for {annotation!r}")


def input_field(info: FieldInfo, required: bool) -> graphene.InputField:
    default = info.default
    plain = default is not PydanticUndefined and default is not None
    return graphene.InputField(
        graphql_type(info.annotation),
        name=info.alias,
        required=required,
        description=info.description,
        **({"default_value": default} if plain and not required else {}),
    )


def input_type(model: type[BaseModel]) -> type[graphene.InputObjectType]:
    """The GraphQL input type of `model`, of the same name; made once."""
    if model not in _input_types:
        omitted: frozenset[str] = getattr(model, "references", frozenset())
        required: frozenset[str] = getattr(model, "required_in_graphql", frozenset())
        fields = {
            name: input_field(info, info.is_required() or name in required)
            for name, info in model.model_fields.items()
            if name not in omitted
        }
        _input_types[model] = type(model.__name__, (graphene.InputObjectType,), fields)
    return _input_types[model]


def validated(model: type[CommandInput], given: dict[str, Any]) -> CommandInput:
    """GraphQL's arguments as `model`, validated as a batch item's input is."""
    try:
        return model.model_validate(by_alias(model, given))
    except ValidationError as error:
        raise invalid(error) from None


def by_alias(model: type[BaseModel], given: dict[str, Any]) -> dict[str, Any]:
    """GraphQL's parsed input (by field name) as the model's camelCase input. A null is left
    out: the field takes its default, as when it is not given."""
    fields = model.model_fields
    return {
        fields[name].alias or name: _plain(value)
        # dict's own items(): graphene's input objects are dicts whose field attributes may
        # shadow dict methods (recordFeedback's `items`)
        for name, value in dict.items(given)
        if value is not None
    }


def _plain(value: Any) -> Any:
    if isinstance(value, graphene.InputObjectType):
        model = next(m for m, t in _input_types.items() if isinstance(value, t))
        return by_alias(model, value)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def mutation(name: str, command: Command) -> graphene.Field:
    """The mutation field of command `name`: its input, and the one way every command runs."""

    payload, shaped = PAYLOADS.get(name, (WriteResult, WriteResult.of))

    def mutate(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> Any:
        given = validated(command.input, input)
        return shaped(command.run(runtime_of(info), acting_of(info), given))

    argument = graphene.Argument(input_type(command.input), required=True)
    arguments = type("Arguments", (), {"input": argument})
    made: type[graphene.Mutation] = type(
        name[0].upper() + name[1:],
        (graphene.Mutation,),
        {
            "__doc__": command.input.__doc__,
            "Arguments": arguments,
            "Output": payload,
            "mutate": staticmethod(mutate),
        },
    )
    return made.Field()


def command_mutations() -> dict[str, graphene.Field]:
    """The mutation fields of all commands, by their snake_case attribute names."""
    return {_snake(name): mutation(name, command) for name, command in COMMANDS.items()}


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name)
