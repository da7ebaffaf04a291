"""GraphQL documents of the authorization matrix, generated from the schema: every field with
every scalar of its type selected (to depth 3), and, for queries, arguments filled from the
target county's seeded objects (tests/support/matrix_world.py)."""

from __future__ import annotations

from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLUnionType,
    get_named_type,
)

from graphql_schema.api import schema
from tests.support.matrix_world import PARENT

QUERY = schema.graphql_schema.query_type
MUTATION = schema.graphql_schema.mutation_type
assert QUERY is not None
assert MUTATION is not None
QUERIES: dict[str, GraphQLField] = dict(QUERY.fields)
MUTATIONS: dict[str, GraphQLField] = dict(MUTATION.fields)
# The single argument of a query that names its target object.
OBJECT_OF = {"tenant": "", "round": ".round", "clue": ".clue", "report": ".report"}


def id_for(arg: str, ids: dict[str, str], county: str) -> str | None:
    by_name = {
        "cityId": ids[PARENT[county]],
        "countyId": ids[county],
        "tenantId": ids[county],
        "homeTenantId": ids[county],
        "receivingTenantId": ids[county],
        "unitId": ids[f"{county}.unit"],
        "roundId": ids[f"{county}.round"],
        "clueId": ids[f"{county}.clue"],
    }
    return by_name.get(arg)


def value_for(name: str, kind: GraphQLInputType, ids: dict[str, str], county: str) -> Any:
    if isinstance(kind, GraphQLNonNull):
        return value_for(name, kind.of_type, ids, county)
    if isinstance(kind, GraphQLList):
        return [value_for(name, kind.of_type, ids, county)]
    if isinstance(kind, GraphQLEnumType):
        return next(iter(kind.values))
    if isinstance(kind, GraphQLInputObjectType):
        return {
            field: value_for(field, spec.type, ids, county)
            for field, spec in kind.fields.items()
            if isinstance(spec.type, GraphQLNonNull)
        }
    assert isinstance(kind, GraphQLScalarType)
    scalar = kind.name
    if scalar == "ID":
        return id_for(name, ids, county) or ids[county]
    return {
        "String": "x",
        "Int": 1,
        "BigInt": 1,
        "Boolean": False,
        "Date": "2026-12-31" if any(w in name for w in ("nd", "To")) else "2026-03-02",
        "Decimal": "1",
    }.get(scalar, "x")


def selection(kind: Any, depth: int = 0) -> str:
    named = get_named_type(kind)
    if isinstance(named, GraphQLUnionType) or depth > 3:
        return "{ __typename }"
    if not isinstance(named, GraphQLObjectType):
        return ""
    parts = ["__typename"]
    for name, field in named.fields.items():
        if any(isinstance(a.type, GraphQLNonNull) for a in field.args.values()):
            continue
        inner = get_named_type(field.type)
        if isinstance(inner, GraphQLScalarType | GraphQLEnumType):
            parts.append(name)
        elif depth < 3:
            parts.append(f"{name} {selection(field.type, depth + 1)}")
    return "{ " + " ".join(parts) + " }"


def query(
    field_name: str, ids: dict[str, str], county: str, as_of: str | None
) -> tuple[str, dict[str, Any]]:
    """The query `field_name` about `county`: its required arguments, every id argument it
    takes pointed at the county's objects, and `asOf` when given."""
    field = QUERIES[field_name]
    variables: dict[str, Any] = {}
    for arg, spec in field.args.items():
        if not (isinstance(spec.type, GraphQLNonNull) or id_for(arg, ids, county)):
            continue
        if field_name == "rectification" and arg == "tenantId":
            continue  # exactly one of roundId and tenantId
        if field_name == "statistics" and arg == "roundId":
            continue
        if field_name == "clueLedger" and arg in {"roundId", "receivingTenantId"}:
            continue  # the seeded clue was found outside rounds and never transferred
        variables[arg] = value_for(arg, spec.type, ids, county)
    if field_name in OBJECT_OF:
        variables["id"] = ids[county + OBJECT_OF[field_name]]
    if as_of is not None:
        variables["asOf"] = as_of
    declared = ", ".join(f"${arg}: {field.args[arg].type}" for arg in variables)
    passed = ", ".join(f"{arg}: ${arg}" for arg in variables)
    head = f"query({declared})" if declared else "query"
    args = f"({passed})" if passed else ""
    return f"{head} {{ {field_name}{args} {selection(field.type)} }}", variables


def mutation(field_name: str) -> str:
    """`mutation($input: …!) { field(input: $input) { … } }`: every mutation takes one input."""
    field = MUTATIONS[field_name]
    assert list(field.args) == ["input"], field_name
    return (
        f"mutation($input: {field.args['input'].type}) "
        f"{{ {field_name}(input: $input) {selection(field.type)} }}"
    )


def takes_as_of(field_name: str) -> str | None:
    """The type of the query's `asOf` argument (Date or DateTime), if it has one."""
    spec = QUERIES[field_name].args.get("asOf")
    return None if spec is None else get_named_type(spec.type).name
