"""Document dates through the services against the real store: a transfer letter of 28
December 2026 entered in January 2027 is due on 11 January, provisionally while 2027's
schedule is not loaded; a registration stored before events kept their document's date
occurred on the (China) day it was recorded, and later steps are dated from it; the stored
form still verifies."""

from __future__ import annotations

from datetime import UTC, date, datetime
from uuid import UUID

import pytest
from eventsourcing.persistence import StoredEvent

from domain.audit.hashing import GENESIS_HASH
from domain.clues.clue import Clue
from domain.clues.values import ClueSource, HandlingBody, PriorityClass
from domain.errors import RuleViolation
from domain.tenants.unit import UnitType
from services.audit import AuditTrail
from services.authorization import CONSOLE
from services.runtime import Runtime
from tests.support.unit_files import onboard_county

V2_TOPIC = "domain.clues.clue:Clue.Registered"


def village(runtime: Runtime, county: UUID) -> UUID:
    return runtime.tenants.register_unit(
        tenant_id=county,
        code="V-OLD",
        name="老村",
        unit_type=UnitType.VILLAGE,
        parent_id=None,
        class_tags=[],
        acting=CONSOLE,
    ).id


def registered_today(runtime: Runtime, county: UUID, on: date) -> UUID:
    return runtime.clues.register_clue(
        tenant_id=county,
        unit_id=village(runtime, county),
        round_id=None,
        source=ClueSource.PETITION,
        category="三资管理",
        summary="村集体收入未入账",
        persons_concerned=[],
        amount_involved=None,
        occurred_on=on,
        acting=CONSOLE,
    ).id


def transfer_by_letter(runtime: Runtime, clue_id: UUID, county: str) -> None:
    """Transferred by a letter of 28 December, due in 10 working days."""
    runtime.clues.transfer_clue(
        clue_id,
        body=HandlingBody.DISCIPLINE_COMMISSION,
        receiving_tenant_id=UUID(county),
        working_days=10,
        occurred_on=date(2026, 12, 28),
        acting=CONSOLE,
    )


def test_an_undated_step_takes_the_day_entered_and_bounds_later_letters(runtime: Runtime) -> None:
    _, county = onboard_county(runtime)
    runtime.clues.today = lambda: date(2027, 1, 5)  # entered in the new year
    clue_id = registered_today(runtime, UUID(county), date(2026, 12, 20))
    runtime.clues.triage_clue(
        clue_id, priority=PriorityClass.KEY, proposed_route="移交", acting=CONSOLE
    )
    with pytest.raises(RuleViolation) as refused:  # the undated triage took the day entered
        transfer_by_letter(runtime, clue_id, county)
    assert refused.value.rule == "OCCURRED_ON_BEFORE_PREVIOUS_STEP"
    assert runtime.clues.clue(clue_id).version == 2


def test_the_transfer_counts_from_its_letter_not_from_the_day_entered(runtime: Runtime) -> None:
    _, county = onboard_county(runtime)
    runtime.clues.today = lambda: date(2027, 1, 5)
    clue_id = registered_today(runtime, UUID(county), date(2026, 12, 20))
    runtime.clues.triage_clue(
        clue_id,
        priority=PriorityClass.KEY,
        proposed_route="移交",
        occurred_on=date(2026, 12, 21),
        acting=CONSOLE,
    )
    transfer_by_letter(runtime, clue_id, county)

    clue = runtime.clues.clue(clue_id)
    assert clue.transferred_on == date(2026, 12, 28)
    assert clue.deadline is not None
    assert (clue.deadline.due_date, clue.deadline.provisional) == (date(2027, 1, 11), True)


def store_v2_registration(runtime: Runtime, county: UUID) -> UUID:
    """A `Clue.Registered` exactly as version 2 stored it: no `occurred_on`."""
    clue_id = UUID(int=2017)
    state: dict[str, object] = {
        "timestamp": datetime(2017, 3, 1, 20, 30, tzinfo=UTC),  # 2 March in China
        "originator_topic": "domain.clues.clue:Clue",
        "tenant_id": county,
        "actor": "migration-2017",
        "prev_hash": GENESIS_HASH,
        "round_id": None,
        "unit_id": village(runtime, county),
        "source": "PETITION",
        "category": "三资管理",
        "summary": "村集体收入未入账",
        "persons_concerned": [],
        "amount_involved": None,
        "informant_sealed": None,
        "class_version": 2,
    }
    encoded = runtime.store.mapper.transcoder.encode(state)
    runtime.store.recorder.insert_events(
        [StoredEvent(originator_id=clue_id, originator_version=1, topic=V2_TOPIC, state=encoded)]
    )
    return clue_id


def test_a_registration_stored_without_its_date_occurred_on_its_recorded_day(
    runtime: Runtime,
) -> None:
    _, county = onboard_county(runtime)
    clue_id = store_v2_registration(runtime, UUID(county))

    with pytest.raises(RuleViolation) as refused:
        runtime.clues.triage_clue(
            clue_id,
            priority=PriorityClass.KEY,
            proposed_route="移交",
            occurred_on=date(2017, 3, 1),
            acting=CONSOLE,
        )
    assert refused.value.rule == "OCCURRED_ON_BEFORE_START"
    runtime.clues.triage_clue(
        clue_id,
        priority=PriorityClass.KEY,
        proposed_route="移交",
        occurred_on=date(2017, 3, 2),
        acting=CONSOLE,
    )

    history = runtime.history.history(clue_id, what="clue")
    assert [(e.type, e.occurred_on) for e in history] == [
        ("Clue.Registered", date(2017, 3, 2)),
        ("Clue.Triaged", date(2017, 3, 2)),
    ]
    assert isinstance(runtime.store.load(Clue, clue_id, what="clue"), Clue)
    assert AuditTrail(runtime.store, runtime.reads, runtime.settings).verify().findings == []
