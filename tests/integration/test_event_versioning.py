"""Ten years of history: an event stored in an older shape still loads, and its stream's
hash chain stays unbroken when new events are appended after it."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from domain.audit.hashing import GENESIS_HASH, canonical_record, hash_record
from domain.tenants.unit import Unit, UnitType, unit_id_for
from services.audit import AuditTrail
from services.authorization import CONSOLE
from services.runtime import Runtime
from tests.support.unit_files import onboard_county

V1_TOPIC = "domain.tenants.unit:Unit.Registered"


def store_v1_registration(runtime: Runtime, county: UUID) -> tuple[UUID, dict[str, object]]:
    """A `Unit.Registered` exactly as version 1 stored it: no class tags, no class_version."""
    unit_id = unit_id_for(county, "OLD-V1")
    state: dict[str, object] = {
        "timestamp": datetime(2017, 3, 1, 8, 30, tzinfo=UTC),
        "originator_topic": "domain.tenants.unit:Unit",
        "tenant_id": county,
        "actor": "migration-2017",
        "prev_hash": GENESIS_HASH,
        "code": "OLD-V1",
        "name": "老村",
        "unit_type": "VILLAGE",
        "parent_id": None,
    }
    encoded = runtime.store.mapper.transcoder.encode(state)
    runtime.store.recorder.insert_events(
        [StoredEvent(originator_id=unit_id, originator_version=1, topic=V1_TOPIC, state=encoded)]
    )
    return unit_id, state


def test_a_unit_registered_in_the_version_1_shape_loads_with_no_classes(runtime: Runtime) -> None:
    _, county = onboard_county(runtime)
    unit_id, _ = store_v1_registration(runtime, UUID(county))

    unit = runtime.store.load(Unit, unit_id, what="unit")

    assert (unit.code, unit.name, unit.latest_classes) == ("OLD-V1", "老村", [])
    assert unit.tenant_id == UUID(county)


def test_an_event_appended_after_an_upcast_one_links_to_its_stored_hash(runtime: Runtime) -> None:
    _, county = onboard_county(runtime)
    unit_id, state = store_v1_registration(runtime, UUID(county))
    stored_hash = hash_record(canonical_record(V1_TOPIC, unit_id, 1, state))

    unit = runtime.store.load(Unit, unit_id, what="unit")
    unit.rename("新村", reason="村名更改")
    runtime.store.record(unit)

    renamed = runtime.store.load(Unit, unit_id, what="unit")
    assert renamed.name == "新村"
    second = runtime.store.recorder.select_events(unit_id)[1]
    decoded = runtime.store.mapper.transcoder.decode(second.state)
    assert decoded["prev_hash"] == stored_hash
    audit = AuditTrail(runtime.store, runtime.reads, runtime.settings).verify()
    assert audit.findings == []


def test_new_registrations_are_stored_as_version_2_with_their_classes(runtime: Runtime) -> None:
    _, county = onboard_county(runtime)
    written = runtime.tenants.register_unit(
        tenant_id=UUID(county),
        code="NEW-V2",
        name="新村",
        unit_type=UnitType.VILLAGE,
        parent_id=None,
        class_tags=["WEAK"],
        acting=CONSOLE,
    )
    stored = runtime.store.recorder.select_events(written.id)[0]
    decoded = runtime.store.mapper.transcoder.decode(stored.state)
    assert (decoded["class_version"], decoded["class_tags"]) == (2, ["WEAK"])
