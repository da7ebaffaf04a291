"""The demo city carries one stationed escalated round with its team and clues; loading the
demo again writes nothing."""

from __future__ import annotations

from datetime import date

from domain.context import acting_as
from projections import rounds_read
from services.demo import DEMO_CLUES, load_demo
from services.runtime import Runtime


def test_the_demo_has_a_stationed_round_with_a_team_and_its_clues(runtime: Runtime) -> None:
    assert load_demo(runtime) is True
    head = runtime.store.max_position()
    with acting_as("test"):
        assert load_demo(runtime) is False
    assert runtime.store.max_position() == head

    runtime.wait_for_projections(head)
    with runtime.reads.connection() as conn:
        (city_id,) = conn.execute(
            "SELECT tenant_id FROM rm_tenants WHERE code = 'DEMO-CITY'"
        ).fetchone() or (None,)
        page = rounds_read.page(
            conn,
            city_id=city_id,
            linkage="ESCALATED",
            filters=rounds_read.RoundFilter(),
            first=10,
            after=None,
            today=date(2026, 11, 22),
        )
    assert page.total_count == 1
    ((_, view),) = page.items
    assert view.row.phase == "STATIONED"
    assert [(m.name, m.role) for m in view.team] == [("陈组长", "LEADER"), ("刘组员", "MEMBER")]
    assert view.progress.targets_total == len(DEMO_CLUES)
    assert view.progress.targets_stationed == len(DEMO_CLUES)
    assert view.progress.clues_registered == len(DEMO_CLUES)
