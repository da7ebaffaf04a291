"""A batch retry after a crash finds the event its earlier attempt recorded
(`CommandInput.recorded`); an item naming its document's date matches only an event of that
date, and one naming none matches whatever day its attempt took."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.clues.clue import Clue
from services.submissions.inputs import RegisterClueInput, TriageClueInput
from tests.unit.domain.factories import triaged_clue

ON = date(2026, 9, 25)


def recorded_events() -> tuple[Clue, list[Any]]:
    clue = triaged_clue(ON, ON)
    return clue, list(clue.collect_events())


@pytest.mark.parametrize(
    ("occurred_on", "found"), [(None, True), ("2026-09-25", True), ("2026-09-26", False)]
)
def test_a_retried_item_finds_only_an_event_of_the_date_it_names(
    occurred_on: str | None, found: bool
) -> None:
    clue, (registered, triaged) = recorded_events()
    dated = {"occurredOn": occurred_on} if occurred_on else {}
    triage = TriageClueInput.model_validate(
        {"clueId": str(clue.id), "priority": "KEY", "proposedRoute": "移交纪委监委", **dated}
    )
    register = RegisterClueInput.model_validate(
        {"unitId": str(clue.unit_id), "source": "PETITION", "category": "三资管理",
         "summary": "村集体收入未入账", **dated}
    )  # fmt: skip

    assert triage.recorded(triaged, clue.id) is found
    assert register.recorded(registered, clue.tenant_id) is found
