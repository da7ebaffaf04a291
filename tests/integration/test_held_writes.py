"""The writes a batch holds (infrastructure/held_writes.py) on a real event store: what a batch
reads is read once, what it records is saved in one transaction with the rows that ride along,
and a change nobody recorded never reaches the log."""

from __future__ import annotations

from datetime import date
from threading import Thread
from typing import Any

import pytest

from domain.context import acting_as
from domain.errors import Conflict
from domain.tenants.tenant import Tenant, TenantLevel
from domain.tenants.unit import Unit, UnitType
from infrastructure import held_writes
from infrastructure.store import Alongside
from services.authorization import DEPLOYMENT_TENANT, Acting
from services.runtime import Runtime

ADMIN = Acting(role="ADMIN", tenant_id=DEPLOYMENT_TENANT)
STOP_STUCK_INSERTS = (
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE query LIKE 'INSERT INTO%xuncha_events%' AND pid <> pg_backend_pid()"
)
NOTES = "CREATE TABLE IF NOT EXISTS held_notes (note text NOT NULL CHECK (note <> 'refused'))"


def a_county(runtime: Runtime) -> Tenant:
    with acting_as("deployment-admin"):
        city = runtime.tenants.register_tenant(
            code="370100", name="济南市", level=TenantLevel.CITY, parent_id=None, acting=ADMIN
        )
        county = runtime.tenants.register_tenant(
            code="370102",
            name="历下区",
            level=TenantLevel.COUNTY,
            parent_id=city.id,
            acting=ADMIN,
        )
    return runtime.tenants.tenant(county.id)


def rename(tenant: Tenant, name: str) -> None:
    with acting_as("deployment-admin"):
        tenant.rename(name, effective_on=date(2026, 1, 1), reason="区划调整")


def notes(runtime: Runtime) -> list[str]:
    with runtime.reads.connection() as conn:
        return [row[0] for row in conn.execute("SELECT note FROM held_notes ORDER BY note")]


@pytest.fixture
def noted(runtime: Runtime) -> Runtime:
    with runtime.reads.connection() as conn:
        conn.execute(NOTES)
    return runtime


def test_a_batch_reads_an_aggregate_once_and_saves_its_changes_with_what_rides_along(
    noted: Runtime,
) -> None:
    county = a_county(noted)
    with held_writes.holding(noted.store) as held:
        loaded = noted.tenants.tenant(county.id)
        rename(loaded, "历下")
        position = noted.store.record(loaded)
        head_before_the_save = noted.store.max_position()
        positions = held.flush([Alongside("INSERT INTO held_notes VALUES (%s)", [("renamed",)])])

    assert noted.tenants.tenant(county.id) is not loaded  # outside the batch: read anew
    assert position == held_writes.UNSAVED
    assert positions == {(county.id, 2): head_before_the_save + 1}
    assert noted.tenants.tenant(county.id).name == "历下"
    assert notes(noted) == ["renamed"]


def test_what_rides_along_failing_saves_no_event(noted: Runtime) -> None:
    county = a_county(noted)
    head = noted.store.max_position()
    refused = Alongside("INSERT INTO held_notes VALUES (%s)", [("refused",)])

    with held_writes.holding(noted.store) as held:
        loaded = noted.tenants.tenant(county.id)
        rename(loaded, "历下")
        noted.store.record(loaded)
        with pytest.raises(Conflict):
            held.flush([refused])

    assert noted.store.max_position() == head
    assert noted.tenants.tenant(county.id).name == "历下区"
    assert notes(noted) == []


def test_a_change_nobody_recorded_is_forgotten_and_never_saved(noted: Runtime) -> None:
    county = a_county(noted)
    with held_writes.holding(noted.store) as held:
        recorded = noted.tenants.tenant(county.id)
        rename(recorded, "历下")
        noted.store.record(recorded)
        same = noted.tenants.tenant(county.id)
        rename(same, "泉城区")  # a command that failed after this change records nothing

        must_save_first = held.forget_unrecorded()
        held.flush()
        again: Any = noted.tenants.tenant(county.id)

    assert same is recorded
    assert must_save_first
    assert again is not same
    assert (again.version, again.name) == (2, "历下")
    assert noted.tenants.tenant(county.id).name == "历下"


def test_a_save_of_more_than_a_megabyte_of_events_completes(runtime: Runtime) -> None:
    """psycopg's pipeline mode could leave such a save waiting forever, table lock held."""
    county = a_county(runtime)
    with acting_as("deployment-admin"):
        villages = [
            Unit.register(
                owner=county,
                code=f"V{n:04d}",
                name=f"{n}村" + "村" * 190,
                unit_type=UnitType.VILLAGE,
                parent=None,
                tags=[f"TAG{t}" for t in range(20)],
            )
            for n in range(1200)
        ]
    head = runtime.store.max_position()

    saved: list[int] = []
    saving = Thread(target=lambda: saved.append(runtime.store.record(*villages)), daemon=True)
    saving.start()
    saving.join(timeout=120)
    if saving.is_alive():  # end the stuck save, so the table lock goes and the suite goes on
        with runtime.reads.connection() as conn:
            conn.execute(STOP_STUCK_INSERTS)
        pytest.fail("the save of 1,200 events did not complete within 120 s")

    assert saved == [head + 1200]
    assert sum(len(e.state) for e in runtime.store.events_of([v.id for v in villages])) > 2**20
