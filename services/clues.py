"""Use cases of the clue context: the clue lifecycle from registration to conclusion, its
supervision and corrections, and the protection of its informant."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from uuid import UUID

from domain.calendar.work_calendar import Deadline
from domain.clues.clue import Clue
from domain.clues.values import (
    ClueSource,
    CorrectableField,
    Disposition,
    HandlingBody,
    InformantIdentity,
    PersonConcerned,
    PriorityClass,
    SupervisionStep,
)
from domain.dates import occurred_on as document_date
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.rounds.round import Round
from infrastructure.informants import InformantVault
from infrastructure.store import EventStore
from services.authorization import (
    Acting,
    Scope,
    require_clearance,
    require_office,
)
from services.calendar import CalendarService
from services.clock import today_in_china
from services.configuration import ConfigurationService
from services.results import Written
from services.tenants import TenantService, known_office
from services.visibility import known_round, known_unit, seen


class ClueService:
    def __init__(
        self,
        store: EventStore,
        tenants: TenantService,
        calendar: CalendarService,
        informants: InformantVault,
        configuration: ConfigurationService,
        today: Callable[[], date] = today_in_china,
    ) -> None:
        self.store = store
        self.tenants = tenants
        self.configuration = configuration
        self.calendar = calendar
        self.informants = informants
        self.today = today

    def clue(self, clue_id: UUID, expected_version: int | None = None) -> Clue:
        clue = self.store.load(Clue, clue_id, what="clue")
        clue.expect_version(expected_version)
        return clue

    def require_readable(self, scope: Scope, clue_id: UUID) -> None:
        """NOT_FOUND unless `scope` reads the clue: its registering or receiving office, or
        the office owning the unit it is about (the owning county of a cross round)."""
        if scope.tenants is None:
            return
        if not scope.reads_any(self._readers(self.clue(clue_id))):
            raise NotFound.no("clue", clue_id)

    def _readers(self, clue: Clue) -> list[UUID | None]:
        owner = self.tenants.unit(clue.unit_id).tenant_id
        return [clue.tenant_id, clue.receiving_tenant_id, owner]

    def _for(self, acting: Acting, clue_id: UUID, expected_version: int | None, what: str) -> Clue:
        """The clue, once `acting` may write to it: its registering office, the office it was
        transferred to, or the registering office's city (which supervises every clue). A clue
        `acting` may not read is answered as one that does not exist."""
        clue = self.clue(clue_id)
        seen(self.tenants, acting, self._readers(clue), "clue", clue_id)
        clue.expect_version(expected_version)
        registrar = self.tenants.tenant(clue.tenant_id)
        require_office(
            acting, {clue.tenant_id, clue.receiving_tenant_id, registrar.parent_id}, what
        )
        return clue

    def _dated(self, occurred_on: date | None) -> date:
        """The date on the command's document: today in China unless given, never later."""
        return document_date(occurred_on, self.today())

    def _record(self, clue: Clue) -> Written:
        return Written(clue.id, self.store.record(clue))

    def register_clue(
        self,
        *,
        tenant_id: UUID,
        unit_id: UUID,
        round_id: UUID | None,
        source: ClueSource,
        category: str,
        summary: str,
        persons_concerned: list[PersonConcerned],
        amount_involved: Decimal | None,
        informant: InformantIdentity | None = None,
        acting: Acting,
        occurred_on: date | None = None,
        clue_id: UUID | None = None,
    ) -> Written:
        """Register a clue found on `occurred_on` (default today); `clue_id` lets a
        replayable load (the simulation) derive its ids. The checklist is the one in force on
        that day."""
        registrar = known_office(self.tenants, acting, tenant_id)
        require_office(acting, {registrar.id, registrar.parent_id}, "register its clues")
        on = self._dated(occurred_on)
        round_ = (
            known_round(self.tenants, acting, self.store.load(Round, round_id, what="round"))
            if round_id
            else None
        )
        unit = known_unit(self.tenants, acting, unit_id, target_of=round_)
        categories = self.configuration.categories_in_force(tenant_id, unit_id, on)
        if clue_id is None:
            clue_id = Clue.create_id()
        elif self.store.exists(clue_id):  # before an informant key could replace its key
            raise Conflict(f"A clue with id {clue_id} is already registered", id=str(clue_id))

        def register(sealed: str | None) -> Clue:
            return Clue.register(
                registrar=registrar,
                unit=unit,
                unit_owner=self.tenants.tenant(unit.tenant_id),
                round_=round_,
                source=source,
                category=category,
                categories_in_force=categories,
                summary=summary,
                persons_concerned=persons_concerned,
                amount_involved=amount_involved,
                informant_sealed=sealed,
                on=on,
                clue_id=clue_id,
            )

        if informant is None:
            return self._record(register(None))
        register("")  # every rule checked before a key is made
        sealed = self.informants.seal(clue_id, informant)
        try:
            return self._record(register(sealed))
        except BaseException:
            self.informants.discard(clue_id)
            raise

    def triage_clue(
        self,
        clue_id: UUID,
        *,
        priority: PriorityClass,
        proposed_route: str,
        expected_version: int | None = None,
        occurred_on: date | None = None,
        acting: Acting,
    ) -> Written:
        clue = self._for(acting, clue_id, expected_version, "triage the clue")
        on = self._dated(occurred_on)
        clue.triage(priority=priority, proposed_route=proposed_route, on=on)
        return self._record(clue)

    def transfer_clue(
        self,
        clue_id: UUID,
        *,
        body: HandlingBody,
        receiving_tenant_id: UUID,
        due_date: date | None = None,
        working_days: int | None = None,
        expected_version: int | None = None,
        occurred_on: date | None = None,
        acting: Acting,
    ) -> Written:
        """Transfer (移交) on `occurred_on` (the letter's date, default today), due by a date
        or by N working days after the letter; with neither, by the registering office's
        default working days in force on the letter's date."""
        if due_date is not None and working_days is not None:
            raise ValidationFailed("Give either dueDate or workingDays, not both", field="dueDate")
        clue = self._for(acting, clue_id, expected_version, "transfer the clue")
        on = self._dated(occurred_on)
        if due_date is None and working_days is None:
            working_days = self.configuration.transfer_due_working_days(clue.tenant_id, on)
        deadline = (
            Deadline(due_date=due_date)
            if due_date is not None
            else self.calendar.working_days_after(on, working_days or 0)
        )
        clue.transfer(
            body=body,
            registrar=self.tenants.tenant(clue.tenant_id),
            receiver=known_office(self.tenants, acting, receiving_tenant_id),
            deadline=deadline,
            on=on,
        )
        return self._record(clue)

    def accept_clue(
        self,
        clue_id: UUID,
        *,
        expected_version: int | None = None,
        occurred_on: date | None = None,
        acting: Acting,
    ) -> Written:
        clue = self._for(acting, clue_id, expected_version, "accept the clue")
        on = self._dated(occurred_on)
        clue.accept(on=on)
        return self._record(clue)

    def report_clue_progress(
        self,
        clue_id: UUID,
        *,
        progress: str,
        expected_version: int | None = None,
        occurred_on: date | None = None,
        acting: Acting,
    ) -> Written:
        clue = self._for(acting, clue_id, expected_version, "report the clue's progress")
        on = self._dated(occurred_on)
        clue.report_progress(progress=progress, on=on)
        return self._record(clue)

    def conclude_clue(
        self,
        clue_id: UUID,
        *,
        disposition: Disposition,
        persons_disciplined: int,
        funds_recovered: Decimal,
        closed_in_ledger: bool,
        expected_version: int | None = None,
        occurred_on: date | None = None,
        acting: Acting,
    ) -> Written:
        clue = self._for(acting, clue_id, expected_version, "conclude the clue")
        on = self._dated(occurred_on)
        clue.conclude(
            disposition=disposition,
            persons_disciplined=persons_disciplined,
            funds_recovered=funds_recovered,
            closed_in_ledger=closed_in_ledger,
            on=on,
        )
        return self._record(clue)

    def supervise_clue(
        self,
        clue_id: UUID,
        *,
        step: SupervisionStep,
        final_date: date | None = None,
        note: str | None = None,
        expected_version: int | None = None,
        occurred_on: date | None = None,
        acting: Acting,
    ) -> Written:
        clue = self._for(acting, clue_id, expected_version, "supervise the clue")
        on = self._dated(occurred_on)
        start = clue.transferred_on or on
        clue.supervise(
            step=step,
            on=on,
            calendar=self.calendar.calendar_for(start),
            final_date=final_date,
            note=note,
        )
        return self._record(clue)

    def correct_clue(
        self,
        clue_id: UUID,
        *,
        field: CorrectableField,
        new_value: str,
        reason: str,
        expected_version: int | None = None,
        acting: Acting,
    ) -> Written:
        clue = self._for(acting, clue_id, expected_version, "correct the clue")
        clue.correct(field=field, new_value=new_value, reason=reason)
        return self._record(clue)

    def erase_informant(
        self,
        clue_id: UUID,
        *,
        reason: str,
        expected_version: int | None = None,
        acting: Acting,
    ) -> Written:
        """Destroy the clue's informant key and record `InformantErased`: both or neither."""
        require_clearance(acting, "Erasing an informant's identity")
        clue = self._for(acting, clue_id, expected_version, "erase the clue's informant")
        clue.erase_informant(reason=reason)
        with self.informants.shredding(clue_id):
            written = self._record(clue)
        return written

    def reveal_informant(self, clue_id: UUID, sealed: str) -> InformantIdentity | None:
        """For callers with informant clearance only (checked at the edge)."""
        return self.informants.reveal(clue_id, sealed)

    def reveal_informants(self, sealed: Mapping[UUID, str]) -> dict[UUID, InformantIdentity]:
        """Many clues' informants at once (a ledger page); clearance is checked at the edge.
        A clue whose key is gone is left out."""
        return self.informants.reveal_many(sealed)
