"""A rebuild collects garbage less often while it runs, and leaves the process's collector as
it found it (a rebuild may run inside the API process, under `xuncha migrate`)."""

from __future__ import annotations

import gc

from infrastructure.feeds.rebuild import REBUILD_GC_THRESHOLD, _fewer_collections


def test_the_collector_is_restored_after_a_rebuild_even_one_that_failed() -> None:
    before = gc.get_threshold()
    try:
        with _fewer_collections():
            assert gc.get_threshold()[0] == REBUILD_GC_THRESHOLD
            assert gc.get_freeze_count() > 0
            raise RuntimeError("the rebuild failed")
    except RuntimeError:
        pass
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
