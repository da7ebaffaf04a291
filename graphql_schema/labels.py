"""Enums with their Chinese labels: `labelled_enum` declares every GraphQL enum of a domain value
(each value described by its label from domain/labels.py), and `enumLabels` answers them all,
with the error codes, so a client fetches the labels once."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import graphene
from graphql import GraphQLResolveInfo

from domain.errors import ErrorCode, ValidationFailed
from domain.labels import english_label_of, label_of

LABELLED: dict[str, type[StrEnum]] = {"ErrorCode": ErrorCode}
"""Each labelled GraphQL enum's name and its domain enum (ErrorCode is no GraphQL enum, but
a client shows its labels too)."""


def labelled_enum(enum: type[StrEnum], name: str | None = None) -> type[graphene.Enum]:
    """The GraphQL enum of `enum`, each value described by its Chinese label."""

    def describe(value: StrEnum | None) -> str:
        return enum.__doc__ or "An enumeration." if value is None else label_of(value)

    declared = name or enum.__name__
    LABELLED[declared] = enum
    graphql_enum: type[graphene.Enum] = graphene.Enum.from_enum(
        enum, name=declared, description=describe
    )
    return graphql_enum


class EnumValueLabel(graphene.ObjectType):
    value = graphene.String(required=True)
    label = graphene.String(required=True, description="Chinese, as offices write it.")
    label_en = graphene.String(required=True)


class EnumLabels(graphene.ObjectType):
    enum = graphene.String(required=True, description="The GraphQL enum's name, or ErrorCode.")
    values = graphene.List(graphene.NonNull(EnumValueLabel), required=True)


class LabelQueries(graphene.ObjectType):
    enum_labels = graphene.List(
        graphene.NonNull(EnumLabels),
        required=True,
        enum=graphene.String(description="Only this enum (e.g. ClueSource)."),
        description="Every enum's values with their Chinese and English labels, and the "
        "error codes' (enum ErrorCode).",
    )

    @staticmethod
    def resolve_enum_labels(
        _root: Any, _info: GraphQLResolveInfo, enum: str | None = None
    ) -> list[dict[str, Any]]:
        if enum is not None and enum not in LABELLED:
            raise ValidationFailed(f"No enum is named {enum!r}", field="enum")
        names = sorted(LABELLED) if enum is None else [enum]
        return [{"enum": name, "values": _values(LABELLED[name])} for name in names]


def _values(enum: type[StrEnum]) -> list[dict[str, str]]:
    return [{"value": v.value, "label": label_of(v), "label_en": english_label_of(v)} for v in enum]
