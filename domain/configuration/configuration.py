"""`TenantConfiguration` — how one office practises: time limits and names, unit classes,
checklists (1+X), committee terms. Every change is an event with the date it takes effect, so
the rules in force on any date are answerable and past records keep the rules of their time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID, uuid5

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.configuration.timeline import Version, in_force
from domain.configuration.values import Aspect, Practice, Term, UnitClass, WarningChannel
from domain.errors import RuleViolation, ValidationFailed
from domain.text import required_text

COMMON_CHECKLIST = ""  # the class key of the common checklist (the "1" of 1+X)


def configuration_id_for(tenant_id: UUID) -> UUID:
    return uuid5(tenant_id, "configuration")


class TenantConfiguration(AuditedAggregate):
    @staticmethod
    def create_id(tenant_id: UUID) -> UUID:
        return configuration_id_for(tenant_id)

    @classmethod
    def open(cls, tenant_id: UUID) -> TenantConfiguration:
        return cls(tenant_id=tenant_id)

    class Opened(AuditedAggregate.Created):
        class_version = 1

    @event(Opened)
    def __init__(self, tenant_id: UUID) -> None:
        self.tenant_id = tenant_id
        self.practice: list[Version[Practice]] = []
        self.unit_classes: list[Version[tuple[UnitClass, ...]]] = []
        self.checklists: dict[str, list[Version[tuple[Aspect, ...]]]] = {}
        self.terms: list[Term] = []
        self.warning_channel: WarningChannel | None = None

    @staticmethod
    def _not_retroactive(effective_from: date, today: date, what: str) -> None:
        if effective_from < today:
            raise RuleViolation(
                "CONFIGURATION_NOT_RETROACTIVE",
                f"{what} cannot take effect on {effective_from}, before today ({today}): "
                "records made under the earlier rules keep them",
            )

    # -- time limits and names --------------------------------------------------------------

    def amend_practice(self, practice: Practice, *, effective_from: date, today: date) -> None:
        self._not_retroactive(effective_from, today, "A change of time limits and names")
        self._practice_amended(practice=practice.as_record(), effective_from=effective_from)

    class PracticeAmended(AuditedAggregate.Event):
        class_version = 1
        practice: dict[str, Any]
        effective_from: date

    @event(PracticeAmended)
    def _practice_amended(self, practice: dict[str, Any], effective_from: date) -> None:
        self.practice.append(Version(effective_from, Practice.of(practice)))

    def practice_on(self, on: date) -> Practice:
        """The time limits and names in force on `on` (national defaults before any change)."""
        return in_force(self.practice, on) or Practice()

    # -- unit classes -----------------------------------------------------------------------

    def define_unit_classes(
        self, classes: Sequence[UnitClass], *, effective_from: date, today: date
    ) -> None:
        """From `effective_from` on, the office classifies units by exactly `classes`."""
        self._not_retroactive(effective_from, today, "A change of unit classes")
        codes = [c.code for c in classes]
        if len(set(codes)) != len(codes):
            raise ValidationFailed("Each unit class code appears once", field="unitClasses")
        self._unit_classes_defined(
            classes=[c.as_record() for c in classes], effective_from=effective_from
        )

    class UnitClassesDefined(AuditedAggregate.Event):
        class_version = 1
        classes: list[dict[str, str]]
        effective_from: date

    @event(UnitClassesDefined)
    def _unit_classes_defined(self, classes: list[dict[str, str]], effective_from: date) -> None:
        self.unit_classes.append(Version(effective_from, tuple(UnitClass(**c) for c in classes)))

    def unit_classes_on(self, on: date) -> tuple[UnitClass, ...]:
        return in_force(self.unit_classes, on) or ()

    # -- checklists (1+X) -------------------------------------------------------------------

    def adopt_checklist(
        self,
        aspects: Sequence[Aspect],
        *,
        class_code: str | None,
        effective_from: date,
        today: date,
    ) -> None:
        """Adopt the common checklist (`class_code` None) or the one for a unit class."""
        self._not_retroactive(effective_from, today, "A checklist")
        key = COMMON_CHECKLIST
        if class_code is not None:
            key = required_text(class_code, "classCode", max_length=64)
            if key not in {c.code for c in self.unit_classes_on(effective_from)}:
                raise RuleViolation(
                    "CHECKLIST_CLASS_UNDEFINED",
                    f"Unit class {key} is not defined on {effective_from}",
                )
        names = [a.name for a in aspects]
        if not names:
            raise ValidationFailed("A checklist has at least one aspect", field="aspects")
        if len(set(names)) != len(names):
            raise ValidationFailed("Each aspect appears once in a checklist", field="aspects")
        self._checklist_adopted(
            class_code=key, aspects=[a.as_record() for a in aspects], effective_from=effective_from
        )

    class ChecklistAdopted(AuditedAggregate.Event):
        class_version = 1
        class_code: str  # "" for the common checklist
        aspects: list[dict[str, Any]]
        effective_from: date

    @event(ChecklistAdopted)
    def _checklist_adopted(
        self, class_code: str, aspects: list[dict[str, Any]], effective_from: date
    ) -> None:
        version = Version(effective_from, tuple(Aspect.of(a) for a in aspects))
        self.checklists.setdefault(class_code, []).append(version)

    def checklist_on(self, class_code: str | None, on: date) -> tuple[Aspect, ...]:
        return in_force(self.checklists.get(class_code or COMMON_CHECKLIST, []), on) or ()

    def categories_on(self, unit_classes: Sequence[str], on: date) -> list[str]:
        """Clue categories for a unit of `unit_classes` on `on`: the aspects of the common
        checklist, then those of each class's checklist, each once."""
        categories: list[str] = []
        for key in [COMMON_CHECKLIST, *unit_classes]:
            for aspect in self.checklist_on(key, on):
                if aspect.name not in categories:
                    categories.append(aspect.name)
        return categories

    # -- committee terms (届) ---------------------------------------------------------------

    def declare_term(self, term: Term) -> None:
        for other in self.terms:
            if other.overlaps(term):
                raise RuleViolation("TERM_OVERLAP", f"Term {term.name} overlaps term {other.name}")
        self._term_declared(name=term.name, starts_on=term.starts_on, ends_on=term.ends_on)

    class TermDeclared(AuditedAggregate.Event):
        class_version = 1
        name: str
        starts_on: date
        ends_on: date

    @event(TermDeclared)
    def _term_declared(self, name: str, starts_on: date, ends_on: date) -> None:
        self.terms.append(Term(name, starts_on, ends_on))
        self.terms.sort(key=lambda t: t.starts_on)

    def term_on(self, on: date) -> Term | None:
        return next((t for t in self.terms if t.covers(on)), None)

    # -- where deadline warnings go (超期预警) -------------------------------------------------

    def set_warning_channel(self, channel: WarningChannel) -> None:
        """From now on the office's deadline warnings go to `channel` (replacing any before)."""
        self._warning_channel_set(channel=channel.as_record())

    class WarningChannelSet(AuditedAggregate.Event):
        class_version = 1
        channel: dict[str, str]

    @event(WarningChannelSet)
    def _warning_channel_set(self, channel: dict[str, str]) -> None:
        self.warning_channel = WarningChannel.of(channel)
