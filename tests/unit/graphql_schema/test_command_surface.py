"""GraphQL and the batch endpoint take the same commands with the same fields: for every
command, the GraphQL input type (as the served schema has it) and the batch item's input (as
its JSON schema describes it to clients) agree on field names, required-ness, types and
descriptions, nested parts included. The only differences allowed are the ones a command
declares: batch-only references (`clueRef`), and fields a batch may leave out because it has
them otherwise (the clue by `clueRef`, the path's office) but GraphQL requires."""

from __future__ import annotations

from typing import Any

import graphene
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)
from pydantic import BaseModel, Field

from entrypoints.http.submission_openapi import DESCRIPTION
from graphql_schema.api import schema
from services.submissions.commands import BATCH_COMMANDS, COMMANDS
from services.submissions.inputs import AcceptClueInput, CommandInput

Shape = Any  # a type as both sides can state it: "ID", ("enum", values), ("list", …), {…}

JSON_SCALARS = {
    ("string", "uuid"): "ID",
    ("string", "date"): "Date",
    ("string", "date-time"): "DateTime",
    ("string", None): "String",
    ("integer", None): "Int",
    ("boolean", None): "Boolean",
}


def batch_fields(model: type[BaseModel]) -> dict[str, Any]:
    """`model`'s fields as its JSON schema states them: name -> (required, type, description)."""
    document = model.model_json_schema(by_alias=True)
    return _json_object(document, document.get("$defs", {}))


def _json_object(document: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    required = set(document.get("required", ()))
    return {
        name: (name in required, _json_type(prop, defs), prop.get("description"))
        for name, prop in document["properties"].items()
    }


def _json_type(prop: dict[str, Any], defs: dict[str, Any]) -> Shape:
    kinds = [p for p in prop.get("anyOf", [prop]) if p.get("type") != "null"]
    if {k.get("type") for k in kinds} == {"number", "string"}:
        return "Decimal"
    (kind,) = kinds
    if "$ref" in kind:
        found = defs[kind["$ref"].rsplit("/", 1)[1]]
        if "enum" in found:
            return ("enum", frozenset(found["enum"]))
        return _json_object(found, defs)
    if kind["type"] == "array":
        return ("list", _json_type(kind["items"], defs))
    return JSON_SCALARS[kind["type"], kind.get("format")]


def graphql_fields(input_type: GraphQLInputObjectType) -> dict[str, Any]:
    """`input_type`'s fields as GraphQL serves them: name -> (required, type, description)."""
    return {
        name: (
            isinstance(field.type, GraphQLNonNull),
            _graphql_type(field.type),
            field.description,
        )
        for name, field in input_type.fields.items()
    }


def _graphql_type(of: Any) -> Shape:
    if isinstance(of, GraphQLNonNull):
        return _graphql_type(of.of_type)
    if isinstance(of, GraphQLList):
        assert isinstance(of.of_type, GraphQLNonNull), "list items are never null"
        return ("list", _graphql_type(of.of_type))
    if isinstance(of, GraphQLEnumType):
        return ("enum", frozenset(v.value.value for v in of.values.values()))
    if isinstance(of, GraphQLInputObjectType):
        return graphql_fields(of)
    assert isinstance(of, GraphQLScalarType)
    return of.name


def as_graphql_takes(model: type[CommandInput]) -> dict[str, Any]:
    """What GraphQL must show of `model`: its fields less the batch-only references, and the
    fields GraphQL has no other source for required."""
    return {
        name: (required or name in _aliases(model, model.required_in_graphql), kind, about)
        for name, (required, kind, about) in batch_fields(model).items()
        if name not in _aliases(model, model.references)
    }


def _aliases(model: type[BaseModel], names: frozenset[str]) -> set[str]:
    return {model.model_fields[name].alias or name for name in names}


def mutation_input(name: str) -> GraphQLInputObjectType:
    mutation_type = schema.graphql_schema.mutation_type
    assert mutation_type is not None
    argument = mutation_type.fields[name].args["input"].type
    assert isinstance(argument, GraphQLNonNull)
    assert isinstance(argument.of_type, GraphQLInputObjectType)
    return argument.of_type


@pytest.mark.parametrize("name", list(COMMANDS))
def test_graphql_takes_each_command_with_the_fields_of_its_declaration(name: str) -> None:
    model = COMMANDS[name].input
    assert graphql_fields(mutation_input(name)) == as_graphql_takes(model)


@pytest.mark.parametrize("name", list(COMMANDS))
def test_graphql_names_each_input_type_after_its_declaration(name: str) -> None:
    assert mutation_input(name).name == COMMANDS[name].input.__name__


def test_the_batch_takes_the_field_commands_and_graphql_all_commands() -> None:
    mutation_type = schema.graphql_schema.mutation_type
    assert mutation_type is not None
    assert set(COMMANDS) <= set(mutation_type.fields)
    assert sorted(BATCH_COMMANDS) == sorted(
        n for n, c in COMMANDS.items() if c.batch and c.event is not None
    )
    assert len(BATCH_COMMANDS) == 18


@pytest.mark.parametrize("name", list(BATCH_COMMANDS))
def test_the_batch_endpoints_openapi_lists_the_same_fields(name: str) -> None:
    """The endpoint's description lists each command's input fields, required ones in bold."""
    line = next(x for x in DESCRIPTION.splitlines() if x.startswith(f"- `{name}`: "))
    listed = line.split(": ", 1)[1]
    for field, (required, _, _) in batch_fields(BATCH_COMMANDS[name].input).items():
        assert (f"**{field}**" if required else field) in listed


def test_only_references_are_batch_only_and_only_substitutes_graphql_required() -> None:
    for command in COMMANDS.values():
        model = command.input
        assert _aliases(model, model.references) <= {"clueRef"}
        assert _aliases(model, model.required_in_graphql) <= {"clueId", "tenantId", "homeTenantId"}
        for name in model.required_in_graphql:
            assert not model.model_fields[name].is_required()


# -- the comparison catches a field added to one side only ---------------------------------


class AcceptClueWithANote(AcceptClueInput):
    note: str | None = None


def test_a_field_only_in_the_batch_declaration_is_caught() -> None:
    assert graphql_fields(mutation_input("acceptClue")) != as_graphql_takes(AcceptClueWithANote)


class HandWrittenAcceptClueInput(graphene.InputObjectType):
    """The kind of hand-written input this replaced, drifting: one field more."""

    clue_id = graphene.ID(required=True)
    expected_version = graphene.Int(
        description=AcceptClueInput.model_fields["expected_version"].description
    )
    occurred_on = graphene.Date(description=AcceptClueInput.model_fields["occurred_on"].description)
    note = graphene.String()


class _Query(graphene.ObjectType):
    accept = graphene.Boolean(given=graphene.Argument(HandWrittenAcceptClueInput))


def test_a_field_only_in_graphql_is_caught() -> None:
    drifted = graphene.Schema(query=_Query).graphql_schema.get_type("HandWrittenAcceptClueInput")
    assert isinstance(drifted, GraphQLInputObjectType)
    fields = graphql_fields(drifted)
    assert fields != as_graphql_takes(AcceptClueInput)
    del fields["note"]
    assert fields == as_graphql_takes(AcceptClueInput)  # the same input but for that field


def test_a_field_optional_on_one_side_only_is_caught() -> None:
    class AcceptClueNeedingAVersion(AcceptClueInput):
        expected_version: int = Field(
            description=AcceptClueInput.model_fields["expected_version"].description
        )

    taken = graphql_fields(mutation_input("acceptClue"))
    assert taken != as_graphql_takes(AcceptClueNeedingAVersion)
