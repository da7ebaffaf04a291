"""Comparison models (比对模型): declarative, versioned. A model names the dataset kinds it
joins and a SQL query over them (each kind read as a table of its name, e.g.
`public_payroll`) that yields one row per hit: `unit_code` (the unit it concerns, may be
NULL), `match_key` (what makes two hits the same across runs) and evidence columns, which the
reason template (Chinese, `{column}` placeholders) turns into a sentence.

The library's models (domain/comparison/library.py) ship with XunCha; an office may define
its own (`ComparisonModel`), each revision a new version."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.comparison.values import DatasetKind
from domain.errors import RuleViolation, ValidationFailed
from domain.text import required_text

REQUIRED_COLUMNS = ("unit_code", "match_key")
CODE_MAX_LENGTH = 40
SQL_MAX_LENGTH = 20_000


@dataclass(frozen=True)
class ModelDefinition:
    """One version of a comparison model, as a run uses it."""

    code: str
    title: str
    kinds: tuple[DatasetKind, ...]
    sql: str
    reason_template: str
    version: int
    library: bool = False

    def reason(self, hit: Mapping[str, Any]) -> str:
        """The hit's reason: the template with the hit's columns (a NULL as empty text)."""
        values = {k: "" if v is None else str(v) for k, v in hit.items()}
        return self.reason_template.format_map(values)


def template_fields(template: str) -> set[str]:
    """The columns a reason template names; VALIDATION_FAILED for a malformed template or
    one that indexes or formats its fields (only plain `{column}` is allowed)."""
    try:
        parts = list(string.Formatter().parse(template))
    except ValueError as error:
        raise ValidationFailed(
            f"reasonTemplate is malformed: {error}", field="reasonTemplate"
        ) from None
    names = {name for _, name, spec, conv in parts if name is not None}
    plain = all(not spec and not conv for _, name, spec, conv in parts if name is not None)
    if not plain or not all(name.isidentifier() for name in names):
        raise ValidationFailed(
            "reasonTemplate may only name columns as {column}", field="reasonTemplate"
        )
    return names


def check_output(columns: Sequence[str], template: str) -> None:
    """The query yields the required columns and every column the template names."""
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise RuleViolation(
            "MODEL_OUTPUT_COLUMNS",
            f"A model's query must yield the columns {', '.join(missing)}",
            missing=", ".join(missing),
        )
    unknown = sorted(template_fields(template) - set(columns))
    if unknown:
        raise RuleViolation(
            "MODEL_TEMPLATE_COLUMNS",
            f"The reason template names columns the query does not yield: {', '.join(unknown)}",
            columns=", ".join(unknown),
        )


def model_id_for(tenant_id: UUID, code: str) -> UUID:
    return uuid5(tenant_id, f"comparison-model:{code}")


class ComparisonModel(AuditedAggregate):
    """An office's own model. Each definition is a version: 1 when defined, +1 per revision;
    runs name the version they used."""

    @classmethod
    def define(
        cls,
        *,
        tenant_id: UUID,
        code: str,
        title: str,
        kinds: Sequence[DatasetKind],
        sql: str,
        reason_template: str,
    ) -> ComparisonModel:
        code = required_text(code, "code", max_length=CODE_MAX_LENGTH)
        return cls(
            id=model_id_for(tenant_id, code),
            tenant_id=tenant_id,
            code=code,
            **_definition(title, kinds, sql, reason_template),
        )

    class Defined(AuditedAggregate.Created):
        """v1: `code` (unique in the office), `title`, `kinds` (the dataset kinds joined),
        `sql` (one read-only SELECT over them), `reason_template`."""

        class_version = 1
        code: str
        title: str
        kinds: list[str]
        sql: str
        reason_template: str

    @event(Defined)
    def __init__(
        self,
        tenant_id: UUID,
        code: str,
        title: str,
        kinds: list[str],
        sql: str,
        reason_template: str,
        id: UUID | None = None,  # eventsourcing takes a given aggregate id by this name
    ) -> None:
        self.tenant_id = tenant_id
        self.code = code
        self._apply(title, kinds, sql, reason_template)

    def revise(
        self, *, title: str, kinds: Sequence[DatasetKind], sql: str, reason_template: str
    ) -> None:
        self._revised(**_definition(title, kinds, sql, reason_template))

    class Revised(AuditedAggregate.Event):
        """v1: a new version of the model: its title, kinds, query and template anew."""

        class_version = 1
        title: str
        kinds: list[str]
        sql: str
        reason_template: str

    @event(Revised)
    def _revised(self, title: str, kinds: list[str], sql: str, reason_template: str) -> None:
        self._apply(title, kinds, sql, reason_template)

    def _apply(self, title: str, kinds: list[str], sql: str, reason_template: str) -> None:
        self.title = title
        self.kinds = tuple(DatasetKind(k) for k in kinds)
        self.sql = sql
        self.reason_template = reason_template

    @property
    def definition(self) -> ModelDefinition:
        return ModelDefinition(
            self.code, self.title, self.kinds, self.sql, self.reason_template, self.version
        )


def _definition(
    title: str, kinds: Sequence[DatasetKind], sql: str, reason_template: str
) -> dict[str, Any]:
    if not kinds:
        raise ValidationFailed("A model joins at least one dataset kind", field="kinds")
    template_fields(reason_template)
    return {
        "title": required_text(title, "title", max_length=100),
        "kinds": sorted({DatasetKind(k).value for k in kinds}),
        "sql": required_text(sql, "sql", max_length=SQL_MAX_LENGTH),
        "reason_template": required_text(reason_template, "reasonTemplate", max_length=500),
    }
