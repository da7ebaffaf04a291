"""`Clue` — a problem clue (问题线索) found in an inspection, with its whole life as events.

Every event class states its `class_version`. Events are forever: a change of shape bumps the
version and comes with an upcaster; stored events are never rewritten."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.domain import event

from domain.audited import AuditedAggregate
from domain.calendar.work_calendar import Deadline, WorkCalendar
from domain.clues import corrections, rules, supervision
from domain.clues.values import (
    ClueSource,
    ClueStatus,
    CorrectableField,
    Disposition,
    HandlingBody,
    PersonConcerned,
    PriorityClass,
    SupervisionStep,
)
from domain.counts import MAX_PERSONS, count_within
from domain.dates import not_before_previous, not_before_start
from domain.errors import Conflict, RuleViolation
from domain.rounds.round import Round
from domain.tenants.tenant import Tenant
from domain.tenants.unit import Unit
from domain.text import required_text

SUMMARY_MAX_LENGTH = corrections.SUMMARY_MAX_LENGTH
REASON_MAX_LENGTH = 500
PROGRESS_MAX_LENGTH = 2000


class Clue(AuditedAggregate):
    @staticmethod
    def create_id() -> UUID:
        return uuid4()

    @classmethod
    def register(
        cls,
        *,
        registrar: Tenant,
        unit: Unit,
        unit_owner: Tenant,
        round_: Round | None,
        source: ClueSource,
        category: str,
        summary: str,
        persons_concerned: list[PersonConcerned],
        amount_involved: Decimal | None,
        informant_sealed: str | None = None,
        on: date | None = None,
        clue_id: UUID | None = None,
        categories_in_force: Sequence[str] = (),
    ) -> Clue:
        """Register a clue about `unit` found by `registrar`'s inspection on `on` (the date of
        its document; in a round, not before the round's planned start; None: undated, it
        occurred on the day recorded). The informant's identity arrives already encrypted
        (`informant_sealed`): the domain never sees it."""
        rules.check_registration(
            registrar, unit, unit_owner, round_, persons_concerned, amount_involved
        )
        if round_ is not None and on is not None:
            not_before_start(on, round_.period.start, f"round {round_.id}")
        rules.check_category(category, categories_in_force)
        return cls(
            id=clue_id or cls.create_id(),
            tenant_id=registrar.id,
            round_id=round_.id if round_ is not None else None,
            unit_id=unit.id,
            source=ClueSource(source).value,
            category=required_text(category, "category", max_length=100),
            summary=required_text(summary, "summary", max_length=SUMMARY_MAX_LENGTH),
            persons_concerned=[p.as_record() for p in persons_concerned],
            amount_involved=amount_involved,
            informant_sealed=informant_sealed,
            occurred_on=on,
        )

    class Registered(AuditedAggregate.Created):
        """v2 added `informant_sealed` (the encrypted informant identity). A v1 event has no
        such key; the class default (None) reads it as "no informant", so the stored form and
        its hash stay exactly as recorded. v3 added `occurred_on`, the date on the document;
        an earlier event has none and occurred on the day it was recorded."""

        class_version = 3
        document_date = "occurred_on"
        round_id: UUID | None
        unit_id: UUID
        source: str
        category: str
        summary: str
        persons_concerned: list[dict[str, str]]
        amount_involved: Decimal | None
        informant_sealed: str | None = None
        occurred_on: date | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Nothing to add: the missing key falls back to the class default."""

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            """Nothing to add: without `occurred_on` the event's own day is its document's."""

    @event(Registered)
    def __init__(
        self,
        tenant_id: UUID,
        round_id: UUID | None,
        unit_id: UUID,
        source: str,
        category: str,
        summary: str,
        persons_concerned: list[dict[str, str]],
        amount_involved: Decimal | None,
        informant_sealed: str | None = None,
        occurred_on: date | None = None,
        id: UUID | None = None,  # eventsourcing takes a given aggregate id by this name
    ) -> None:
        self.tenant_id = tenant_id
        self.round_id = round_id
        self.unit_id = unit_id
        self.source = ClueSource(source)
        self.category = category
        self.summary = summary
        self.persons_concerned = [PersonConcerned(**p) for p in persons_concerned]
        self.amount_involved = amount_involved
        self.informant_sealed = informant_sealed
        self.informant_erased = False
        self.status = ClueStatus.REGISTERED
        self.priority: PriorityClass | None = None
        self.proposed_route: str | None = None
        self.transfers: list[tuple[HandlingBody, UUID]] = []
        self.transferred_on: date | None = None
        self.deadline: Deadline | None = None
        self.supervision_step: SupervisionStep | None = None
        self.ladder: dict[SupervisionStep, date] = {}  # each step reached, on its day
        self.warning_final_date: date | None = None
        self.disposition: Disposition | None = None
        self.persons_disciplined: int | None = None
        self.funds_recovered: Decimal | None = None

    # --- rules shared by the verbs -------------------------------------------------------

    def expect_version(self, expected: int | None) -> None:
        """Refuse a command issued against another version of this clue than the current one."""
        if expected is not None and expected != self.version:
            raise Conflict(
                f"Clue {self.id} is at version {self.version}, not {expected}; "
                "reload it and try again",
                expected_version=expected,
                version=self.version,
            )

    def check_dated(self, on: date | None) -> None:
        """Refuse a step dated before the clue's registration or its previous step."""
        if on is None:
            return
        not_before_start(on, self.began_on, f"clue {self.id}")
        not_before_previous(on, self.last_occurred_on, f"clue {self.id}")

    # --- triage ------------------------------------------------------------------------

    def triage(
        self, *, priority: PriorityClass, proposed_route: str, on: date | None = None
    ) -> None:
        rules.check_triage(self.id, self.status)
        self.check_dated(on)
        self._triage(
            priority=PriorityClass(priority).value,
            proposed_route=required_text(proposed_route, "proposedRoute", max_length=500),
            occurred_on=on,
        )

    class Triaged(AuditedAggregate.Event):
        """v1: priority class and proposed route (ClueTriaged). v2 added `occurred_on`, the
        date on the document; an earlier event has none and occurred on the day recorded."""

        class_version = 2
        document_date = "occurred_on"
        priority: str
        proposed_route: str
        occurred_on: date | None = None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            """Nothing to add: without `occurred_on` the event's own day is its document's."""

    @event(Triaged)
    def _triage(self, priority: str, proposed_route: str, occurred_on: date | None = None) -> None:
        self.priority = PriorityClass(priority)
        self.proposed_route = proposed_route
        self.status = ClueStatus.TRIAGED

    # --- transfer (移交) ----------------------------------------------------------------

    def transfer(
        self,
        *,
        body: HandlingBody,
        registrar: Tenant,
        receiver: Tenant,
        deadline: Deadline,
        on: date,
    ) -> None:
        """Hand the clue to `body` of `receiver` (possibly another county), due by `deadline`."""
        body = HandlingBody(body)
        rules.check_transfer(
            self.id,
            status=self.status,
            earlier=[previous for previous, _ in self.transfers],
            body=body,
            registrar=registrar,
            receiver=receiver,
            deadline=deadline,
            on=on,
        )
        self.check_dated(on)
        self._transfer(
            handling_body=body.value,
            receiving_tenant_id=receiver.id,
            transferred_on=on,
            due_date=deadline.due_date,
            working_days=deadline.working_days,
            due_provisional=deadline.provisional,
            provisional_from=deadline.provisional_from,
            provisional_remaining=deadline.provisional_remaining,
        )

    class Transferred(AuditedAggregate.Event):
        """v1: handling body, receiving tenant, transfer day and due date; when counted in
        working days through an unloaded year, the provisional anchor and remainder."""

        class_version = 1
        document_date = "transferred_on"
        handling_body: str
        receiving_tenant_id: UUID
        transferred_on: date
        due_date: date
        working_days: int | None
        due_provisional: bool
        provisional_from: date | None
        provisional_remaining: int

    @event(Transferred)
    def _transfer(
        self,
        handling_body: str,
        receiving_tenant_id: UUID,
        transferred_on: date,
        due_date: date,
        working_days: int | None,
        due_provisional: bool,
        provisional_from: date | None,
        provisional_remaining: int,
    ) -> None:
        self.transfers.append((HandlingBody(handling_body), receiving_tenant_id))
        self.transferred_on = transferred_on
        self.deadline = Deadline(
            due_date=due_date,
            provisional=due_provisional,
            working_days=working_days,
            provisional_from=provisional_from,
            provisional_remaining=provisional_remaining,
        )
        self.status = ClueStatus.TRANSFERRED
        self.supervision_step = None  # a new handling body starts the ladder afresh
        self.ladder = {}
        self.warning_final_date = None

    @property
    def handling_body(self) -> HandlingBody | None:
        return self.transfers[-1][0] if self.transfers else None

    @property
    def receiving_tenant_id(self) -> UUID | None:
        return self.transfers[-1][1] if self.transfers else None

    def due_date(self, calendar: WorkCalendar) -> date | None:
        """The due date as `calendar` counts it now (a provisional one may have moved)."""
        return self.deadline.settled(calendar).due_date if self.deadline else None

    def is_overdue(self, today: date, calendar: WorkCalendar) -> bool:
        due = self.due_date(calendar)
        return due is not None and self.status is not ClueStatus.CONCLUDED and today > due

    # --- accept, progress, conclude -----------------------------------------------------

    def accept(self, *, on: date) -> None:
        rules.check_handling(self.id, self.status, "accepted", "CLUE_ACCEPT_BEFORE_TRANSFER")
        self.check_dated(on)
        self._accept(accepted_on=on)

    class Accepted(AuditedAggregate.Event):
        """v1: the day the handling body accepted the clue (受理)."""

        class_version = 1
        document_date = "accepted_on"
        accepted_on: date

    @event(Accepted)
    def _accept(self, accepted_on: date) -> None:
        self.status = ClueStatus.ACCEPTED

    def report_progress(self, *, progress: str, on: date) -> None:
        rules.check_handling(self.id, self.status, "reported on", "CLUE_PROGRESS_BEFORE_TRANSFER")
        self.check_dated(on)
        self._report_progress(
            progress=required_text(progress, "progress", max_length=PROGRESS_MAX_LENGTH),
            reported_on=on,
        )

    class ProgressReported(AuditedAggregate.Event):
        """v1: what the handler reports and on which day."""

        class_version = 1
        document_date = "reported_on"
        progress: str
        reported_on: date

    @event(ProgressReported)
    def _report_progress(self, progress: str, reported_on: date) -> None:
        self.last_progress = progress

    def conclude(
        self,
        *,
        disposition: Disposition,
        persons_disciplined: int,
        funds_recovered: Decimal,
        closed_in_ledger: bool,
        on: date,
    ) -> None:
        rules.check_handling(self.id, self.status, "concluded", "CLUE_CONCLUDE_BEFORE_TRANSFER")
        self.check_dated(on)
        count_within(persons_disciplined, "personsDisciplined", MAX_PERSONS)
        rules.non_negative(funds_recovered, "fundsRecovered")
        self._conclude(
            disposition=Disposition(disposition).value,
            persons_disciplined=persons_disciplined,
            funds_recovered=funds_recovered,
            closed_in_ledger=closed_in_ledger,
            concluded_on=on,
        )

    class Concluded(AuditedAggregate.Event):
        """v1: disposition, persons disciplined, funds recovered, closed in the ledger (销号)."""

        class_version = 1
        document_date = "concluded_on"
        disposition: str
        persons_disciplined: int
        funds_recovered: Decimal
        closed_in_ledger: bool
        concluded_on: date

    @event(Concluded)
    def _conclude(
        self,
        disposition: str,
        persons_disciplined: int,
        funds_recovered: Decimal,
        closed_in_ledger: bool,
        concluded_on: date,
    ) -> None:
        self.disposition = Disposition(disposition)
        self.persons_disciplined = persons_disciplined
        self.funds_recovered = funds_recovered
        self.status = ClueStatus.CONCLUDED

    # --- supervision ladder (五书制) ------------------------------------------------------

    def supervise(
        self,
        *,
        step: SupervisionStep,
        on: date,
        calendar: WorkCalendar,
        final_date: date | None = None,
        note: str | None = None,
    ) -> None:
        step = SupervisionStep(step)
        rules.refuse_if_concluded(self.id, self.status, "supervised")
        rules.refuse_unless_transferred(
            self.id, self.status, "CLUE_SUPERVISION_BEFORE_TRANSFER", "supervision"
        )
        self.check_dated(on)
        due = self.due_date(calendar) or on
        supervision.check_step(
            self.id,
            current=self.supervision_step,
            warning_final_date=self.warning_final_date,
            step=step,
            on=on,
            due=due,
            final_date=final_date,
        )
        self._supervise(
            step=step.value,
            supervised_on=on,
            final_date=final_date,
            note=required_text(note, "note", max_length=REASON_MAX_LENGTH) if note else None,
        )

    class Supervised(AuditedAggregate.Event):
        """v1: the ladder step reached, its day, a warning's final date, an optional note."""

        class_version = 1
        document_date = "supervised_on"
        step: str
        supervised_on: date
        final_date: date | None
        note: str | None

    @event(Supervised)
    def _supervise(
        self, step: str, supervised_on: date, final_date: date | None, note: str | None
    ) -> None:
        self.supervision_step = SupervisionStep(step)
        self.ladder[self.supervision_step] = supervised_on
        if final_date is not None:
            self.warning_final_date = final_date

    # --- corrections: new events, never edits -------------------------------------------

    def _current(self, field: CorrectableField) -> Any:
        if field is CorrectableField.DUE_DATE:
            return self.deadline.due_date if self.deadline else None
        return getattr(self, corrections.ATTRIBUTE[field])

    def correct(self, *, field: CorrectableField, new_value: str, reason: str) -> None:
        field = CorrectableField(field)
        reason = required_text(reason, "reason", max_length=REASON_MAX_LENGTH)
        value = corrections.parse(field, new_value)
        old = self._current(field)
        rules.check_correction(
            self.id,
            status=self.status,
            transferred_on=self.transferred_on,
            field=field,
            old=old,
            new=value,
        )
        self._correct(
            field=field.value,
            old_value=corrections.canonical(old),
            new_value=str(corrections.canonical(value)),
            reason=reason,
        )

    class Corrected(AuditedAggregate.Event):
        """v1: the field, its value before and after (canonical text), and why (ClueCorrected)."""

        class_version = 1
        field: str
        old_value: str | None
        new_value: str
        reason: str

    @event(Corrected)
    def _correct(self, field: str, old_value: str | None, new_value: str, reason: str) -> None:
        which = CorrectableField(field)
        value = corrections.parse(which, new_value)
        if which is CorrectableField.DUE_DATE:
            self.deadline = Deadline(due_date=value)  # a date set by hand is never provisional
        else:
            setattr(self, corrections.ATTRIBUTE[which], value)

    # --- informant erasure (crypto-shredding) --------------------------------------------

    @property
    def has_informant(self) -> bool:
        return self.informant_sealed is not None and not self.informant_erased

    def erase_informant(self, *, reason: str) -> None:
        reason = required_text(reason, "reason", max_length=REASON_MAX_LENGTH)
        if self.informant_sealed is None:
            raise RuleViolation(
                "CLUE_HAS_NO_INFORMANT", f"Clue {self.id} records no informant identity"
            )
        if self.informant_erased:
            raise RuleViolation(
                "CLUE_INFORMANT_ALREADY_ERASED",
                f"The informant identity of clue {self.id} is already erased",
            )
        self._erase_informant(reason=reason)

    class InformantErased(AuditedAggregate.Event):
        """v1: the informant's key was destroyed, and why; the ciphertext stays, unreadable."""

        class_version = 1
        reason: str

    @event(InformantErased)
    def _erase_informant(self, reason: str) -> None:
        self.informant_erased = True
