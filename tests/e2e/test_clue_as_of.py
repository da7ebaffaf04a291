"""`clue(id, asOf)` over HTTP: the clue as it stood at any moment, rebuilt from its events,
with its history as audit entries."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from domain.clues.values import CorrectableField, PriorityClass
from domain.context import acting_as
from services.audit import AuditTrail
from services.authorization import CONSOLE
from services.clock import today_in_china
from services.runtime import Runtime
from tests.support.graphql import REGISTER_CLUE, GraphQL, register_city_with_village

CLUE_AS_OF = """
query($id: ID!, $asOf: DateTime) {
  clue(id: $id, asOf: $asOf) {
    id version tenantId unitId roundId source category summary status priority
    proposedRoute amountInvolved personsConcerned { role name } headHash
    history {
      version type occurredAt occurredOn recordedAt actor tenant reason changes hash prevHash
    }
  }
}
"""


def registered_clue(gql: GraphQL) -> tuple[dict[str, str], str]:
    ids = register_city_with_village(gql)
    clue = {
        "tenantId": ids["county"],
        "unitId": ids["village"],
        "source": "PETITION",
        "category": "三资管理",
        "summary": "村集体土地流转收入未入账",
        "personsConcerned": [{"role": "村党支部书记", "name": "张某"}],
        "amountInvolved": "120000",
    }
    return ids, gql.data(REGISTER_CLUE, {"input": clue})["registerClue"]["id"]


def clue_as_of(gql: GraphQL, clue_id: str, as_of: str | None = None) -> dict[str, Any]:
    data: dict[str, Any] = gql.data(CLUE_AS_OF, {"id": clue_id, "asOf": as_of})["clue"]
    return data


def test_a_clue_as_of_each_recorded_moment_shows_what_it_was_then(
    gql: GraphQL, runtime: Runtime
) -> None:
    ids, clue_id = registered_clue(gql)
    with acting_as("li"):
        runtime.clues.triage_clue(
            UUID(clue_id), priority=PriorityClass.KEY, proposed_route="移交纪委监委", acting=CONSOLE
        )
        runtime.clues.correct_clue(
            UUID(clue_id),
            field=CorrectableField.SUMMARY,
            new_value="村集体土地流转收入12万元未入账",
            reason="核实金额",
            acting=CONSOLE,
        )

    now = clue_as_of(gql, clue_id)
    history = now["history"]
    assert [(e["version"], e["type"], e["actor"]) for e in history] == [
        (1, "Clue.Registered", "anonymous"),
        (2, "Clue.Triaged", "li"),
        (3, "Clue.Corrected", "li"),
    ]
    assert history[0]["prevHash"] == "0" * 64
    assert [e["prevHash"] for e in history[1:]] == [e["hash"] for e in history[:-1]]
    assert now["headHash"] == history[-1]["hash"]
    assert {e["tenant"] for e in history} == {ids["county"]}
    assert history[2]["reason"] == "核实金额"
    assert json.loads(history[1]["changes"]) == {
        "priority": "KEY",
        "proposed_route": "移交纪委监委",
        "occurred_on": today_in_china().isoformat(),
    }
    moment = datetime.fromisoformat
    assert all(moment(e["recordedAt"]) >= moment(e["occurredAt"]) for e in history)  # DB's
    assert {e["occurredOn"] for e in history} == {today_in_china().isoformat()}

    expected = [
        ("REGISTERED", None, "村集体土地流转收入未入账"),
        ("TRIAGED", "KEY", "村集体土地流转收入未入账"),
        ("TRIAGED", "KEY", "村集体土地流转收入12万元未入账"),
    ]
    for entry, (status, priority, summary) in zip(history, expected, strict=True):
        then = clue_as_of(gql, clue_id, entry["occurredAt"])
        assert (then["version"], then["status"], then["priority"], then["summary"]) == (
            entry["version"],
            status,
            priority,
            summary,
        )
        assert then["history"] == history[: entry["version"]]
        assert then["headHash"] == entry["hash"]
    assert AuditTrail(runtime.store, runtime.reads, runtime.settings).verify().ok
    assert now["personsConcerned"] == [{"role": "村党支部书记", "name": "张某"}]
    assert (now["unitId"], now["source"], now["amountInvolved"]) == (
        ids["village"],
        "PETITION",
        "120000",
    )


def test_a_clue_before_it_was_registered_is_not_found(gql: GraphQL) -> None:
    _, clue_id = registered_clue(gql)
    registered = datetime.fromisoformat(clue_as_of(gql, clue_id)["history"][0]["occurredAt"])

    error = gql.error(
        CLUE_AS_OF, {"id": clue_id, "asOf": (registered - timedelta(seconds=1)).isoformat()}
    )

    assert error["extensions"]["code"] == "NOT_FOUND"
    assert "did not exist yet" in error["message"]


def test_an_id_that_names_no_clue_is_not_found(gql: GraphQL) -> None:
    ids, _ = registered_clue(gql)
    for not_a_clue in (ids["county"], "00000000-0000-4000-8000-000000000000"):
        error = gql.error(CLUE_AS_OF, {"id": not_a_clue})
        assert error["extensions"]["code"] == "NOT_FOUND"
