"""A Kafka partition can deliver an event ahead of its predecessor (after a failed delivery the
relay repeats, or from a recreated topic): the tracking applies nothing past the gap."""

from __future__ import annotations

from projections import tracking
from projections.clue_ledger import ClueLedger
from services.runtime import Runtime


class Recording(ClueLedger):
    name = "recording"

    def __init__(self) -> None:
        self.applied: list[int] = []

    def apply(self, event: object, cur: object, position: int) -> None:
        self.applied.append(position)


def test_an_event_whose_predecessor_is_missing_is_not_applied(runtime: Runtime) -> None:
    view, feed = Recording(), "kafka:test:0"
    batch = [(3, object()), (7, object()), (12, object())]
    with runtime.reads.connection() as conn:
        # 7 was published after 5, whose delivery failed: 3 is applied, 7 and 12 wait.
        gaps: list[int] = []
        applied = tracking.apply_batch(
            conn, view, batch, feed=feed, offsets=[0, 1, 2], previous=[0, 5, 7], gaps=gaps
        )
        assert applied == 1
        assert gaps == [7, 12]
        assert view.applied == [3]
        assert tracking.positions(conn, feed) == {"recording": 3}

        # The relay republishes from before 5: 3 again (already applied), then 5, 7, 12.
        again = [(3, object()), (5, object()), (7, object()), (12, object())]
        applied = tracking.apply_batch(
            conn, view, again, feed=feed, offsets=[3, 4, 5, 6], previous=[0, 3, 5, 7]
        )
        assert tracking.positions(conn, feed) == {"recording": 12}
    assert applied == 3
    assert view.applied == [3, 5, 7, 12]
