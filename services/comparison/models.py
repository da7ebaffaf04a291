"""Comparison models: the library's and the office's own, validated before they are recorded
(one read-only SELECT over the office's datasets, yielding what the template names)."""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from domain.comparison.library import LIBRARY
from domain.comparison.model import ComparisonModel, ModelDefinition, check_output, model_id_for
from domain.comparison.values import DatasetKind
from domain.errors import Conflict, NotFound
from infrastructure.comparison.sql import checked_columns
from infrastructure.store import EventStore
from services.authorization import Acting
from services.comparison.datasets import cleared_for, require_comparer
from services.results import Written
from services.tenants import TenantService, known_office


def check_definition(kinds: Sequence[DatasetKind], sql: str, reason_template: str) -> None:
    columns = checked_columns(sql, {DatasetKind(k).table for k in kinds})
    check_output(columns, reason_template)


class ModelService:
    def __init__(self, store: EventStore, tenants: TenantService) -> None:
        self.store = store
        self.tenants = tenants

    def model(self, tenant_id: UUID, code: str) -> ModelDefinition:
        """The library's model of that code, or the office's own (its latest version)."""
        if code in LIBRARY:
            return LIBRARY[code]
        model_id = model_id_for(tenant_id, code)
        if not self.store.exists(model_id):
            raise NotFound(f"No comparison model {code}", code=code)
        return self.store.load(ComparisonModel, model_id, what="comparison model").definition

    def define_model(
        self,
        *,
        tenant_id: UUID,
        code: str,
        title: str,
        kinds: Sequence[DatasetKind],
        sql: str,
        reason_template: str,
        acting: Acting,
    ) -> Written:
        """Define the office's model `code`, or revise it (a new version) when it exists."""
        cleared_for(acting, "define comparison models")
        office = known_office(self.tenants, acting, tenant_id)
        require_comparer(acting, office.id, "define comparison models")
        if code.strip() in LIBRARY:
            raise Conflict(f"{code} is a library model; choose another code", code=code)
        check_definition(kinds, sql, reason_template)
        model_id = model_id_for(office.id, code.strip())
        if self.store.exists(model_id):
            model = self.store.load(ComparisonModel, model_id, what="comparison model")
            model.revise(title=title, kinds=kinds, sql=sql, reason_template=reason_template)
        else:
            model = ComparisonModel.define(
                tenant_id=office.id,
                code=code,
                title=title,
                kinds=kinds,
                sql=sql,
                reason_template=reason_template,
            )
        return Written(model.id, self.store.record(model))
