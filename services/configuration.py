"""Use cases of tenant configuration: time limits and names, unit classes, checklists (1+X)
and committee terms, each answerable as of a date. Changes take effect on a date not before
today, so records made under earlier rules keep them."""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

from domain.configuration.configuration import (
    COMMON_CHECKLIST,
    TenantConfiguration,
    configuration_id_for,
)
from domain.configuration.values import Aspect, Practice, Term, UnitClass, WarningChannel
from infrastructure.store import EventStore
from services.clock import today_in_china
from services.results import Written
from services.tenants import Acting, TenantService, known_office, require_admin_over


@dataclass(frozen=True)
class ChecklistView:
    class_code: str | None  # None: the common checklist
    aspects: tuple[Aspect, ...]


@dataclass(frozen=True)
class TenantOnDate:
    """An office and its configuration as in force on `as_of` (plain values for the edges)."""

    id: UUID
    code: str
    name: str
    level: str
    parent_id: UUID | None
    merged_into: UUID | None
    as_of: date
    practice: Practice
    unit_classes: tuple[UnitClass, ...]
    checklists: list[ChecklistView]
    term: Term | None
    terms: list[Term]


@lru_cache(maxsize=1024)
def _national_defaults(tenant_id: UUID) -> TenantConfiguration:
    return TenantConfiguration.open(tenant_id)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class ConfigurationService:
    def __init__(self, store: EventStore, tenants: TenantService) -> None:
        self.store = store
        self.tenants = tenants

    def configuration(self, tenant_id: UUID) -> TenantConfiguration:
        """The office's configuration; an unsaved empty one (national defaults) if none yet."""
        stored = self._stored(tenant_id)
        return stored if stored is not None else TenantConfiguration.open(tenant_id)

    def _in_force(self, tenant_id: UUID) -> TenantConfiguration:
        """The configuration to answer from, never to change: the national defaults of an
        office that has none are made once, not per question."""
        stored = self._stored(tenant_id)
        return stored if stored is not None else _national_defaults(tenant_id)

    def _stored(self, tenant_id: UUID) -> TenantConfiguration | None:
        """The office's recorded configuration, None if it has none; NOT_FOUND for an office
        that does not exist."""
        config_id = configuration_id_for(tenant_id)
        if self.store.exists(config_id):
            return self.store.load(TenantConfiguration, config_id, what="configuration")
        self.tenants.tenant(tenant_id)
        return None

    def _for_change(self, acting: Acting, tenant_id: UUID, what: str) -> TenantConfiguration:
        require_admin_over(acting, known_office(self.tenants, acting, tenant_id), what)
        return self.configuration(tenant_id)

    # -- commands ---------------------------------------------------------------------------

    def amend_practice(
        self, *, acting: Acting, tenant_id: UUID, practice: Practice, effective_from: date
    ) -> Written:
        config = self._for_change(acting, tenant_id, "change its time limits and names")
        config.amend_practice(practice, effective_from=effective_from, today=today_in_china())
        return Written(config.id, self.store.record(config))

    def revise_practice(
        self,
        *,
        acting: Acting,
        tenant_id: UUID,
        effective_from: date,
        changes: Mapping[str, Any],
    ) -> Written:
        """Amend the practice in force on `effective_from` by `changes` (Practice's fields);
        what they leave out stays as it is."""
        practice = replace(self.practice_on(tenant_id, effective_from), **changes)
        return self.amend_practice(
            acting=acting, tenant_id=tenant_id, practice=practice, effective_from=effective_from
        )

    def define_unit_classes(
        self,
        *,
        acting: Acting,
        tenant_id: UUID,
        classes: Sequence[UnitClass],
        effective_from: date,
    ) -> Written:
        config = self._for_change(acting, tenant_id, "define its unit classes")
        config.define_unit_classes(classes, effective_from=effective_from, today=today_in_china())
        return Written(config.id, self.store.record(config))

    def adopt_checklist(
        self,
        *,
        acting: Acting,
        tenant_id: UUID,
        class_code: str | None,
        aspects: Sequence[Aspect],
        effective_from: date,
    ) -> Written:
        config = self._for_change(acting, tenant_id, "adopt checklists")
        config.adopt_checklist(
            aspects, class_code=class_code, effective_from=effective_from, today=today_in_china()
        )
        return Written(config.id, self.store.record(config))

    def declare_term(self, *, acting: Acting, tenant_id: UUID, term: Term) -> Written:
        config = self._for_change(acting, tenant_id, "declare committee terms")
        config.declare_term(term)
        return Written(config.id, self.store.record(config))

    def set_warning_channel(
        self, *, acting: Acting, tenant_id: UUID, channel: WarningChannel
    ) -> Written:
        config = self._for_change(acting, tenant_id, "set where its deadline warnings go")
        config.set_warning_channel(channel)
        return Written(config.id, self.store.record(config))

    def warning_channel(self, tenant_id: UUID) -> WarningChannel | None:
        """Where the office's deadline warnings go now (None: nowhere configured yet)."""
        config_id = configuration_id_for(tenant_id)
        if not self.store.exists(config_id):
            return None
        config = self.store.load(TenantConfiguration, config_id, what="configuration")
        return config.warning_channel

    # -- answers as of a date ---------------------------------------------------------------

    def practice_on(self, tenant_id: UUID, on: date) -> Practice:
        return self._in_force(tenant_id).practice_on(on)

    def categories_in_force(self, tenant_id: UUID, unit_id: UUID, on_date: date) -> list[str]:
        """Clue categories office `tenant_id` works with for `unit_id` on `on_date`: the
        aspects of its common checklist and of the checklists of the unit's classes then.
        Empty when the office has adopted no checklist (categories are then free text)."""
        unit = self.tenants.unit(unit_id)
        return self._in_force(tenant_id).categories_on(unit.classes_on(on_date), on_date)

    def transfer_due_working_days(self, tenant_id: UUID, transferred_on: date) -> int:
        """Working days a handling body has for a clue transferred on `transferred_on`."""
        return self.practice_on(tenant_id, transferred_on).transfer_due_working_days

    def rectification_report_due(self, tenant_id: UUID, feedback_on: date) -> date:
        """When the rectification report is due for feedback given on `feedback_on`, under
        the rule in force that day (national default: two months)."""
        months = self.practice_on(tenant_id, feedback_on).rectification_report_due_months
        return add_months(feedback_on, months)

    def term_on(self, tenant_id: UUID, on: date) -> Term | None:
        return self._in_force(tenant_id).term_on(on)

    def terms(self, tenant_id: UUID) -> list[Term]:
        return list(self._in_force(tenant_id).terms)

    def tenant_on(self, tenant_id: UUID, on: date) -> TenantOnDate:
        """The office with its name and configuration in force on `on`."""
        tenant = self.tenants.tenant(tenant_id)
        config = self._in_force(tenant_id)
        checklists = [
            ChecklistView(None if key == COMMON_CHECKLIST else key, config.checklist_on(key, on))
            for key in sorted(config.checklists)
        ]
        return TenantOnDate(
            id=tenant.id,
            code=tenant.code,
            name=tenant.name_on(on),
            level=tenant.level.value,
            parent_id=tenant.parent_id,
            merged_into=tenant.merged_into,
            as_of=on,
            practice=config.practice_on(on),
            unit_classes=config.unit_classes_on(on),
            checklists=[c for c in checklists if c.aspects],
            term=config.term_on(on),
            terms=list(config.terms),
        )
