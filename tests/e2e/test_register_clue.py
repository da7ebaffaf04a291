"""The walking skeleton over HTTP: a clue registered through GraphQL is stored as an event,
projected, and listed by `clueLedger`; bad input is refused with a code and writes nothing."""

import time
from typing import Any

import pytest

from graphql_schema.context import MIN_POSITION_HEADER
from services.runtime import Runtime
from tests.support.graphql import (
    CLUE_LEDGER,
    REGISTER_CLUE,
    GraphQL,
    register_city_with_village,
)


def clue_input(ids: dict[str, str], **changes: Any) -> dict[str, Any]:
    fields = {
        "tenantId": ids["county"],
        "unitId": ids["village"],
        "source": "PETITION",
        "category": "三资管理",
        "summary": "村集体土地流转收入未入账",
        "personsConcerned": [{"role": "村党支部书记", "name": "张某"}],
        "amountInvolved": "120000.50",
    }
    fields.update(changes)
    return fields


def test_a_registered_clue_appears_in_the_ledger(gql: GraphQL) -> None:
    ids = register_city_with_village(gql)
    written = gql.data(REGISTER_CLUE, {"input": clue_input(ids)})["registerClue"]

    ledger = gql.data(CLUE_LEDGER, {"minPosition": written["position"]})["clueLedger"]

    assert ledger["totalCount"] == 1
    node = ledger["edges"][0]["node"]
    assert node == {
        "id": written["id"],
        "tenantId": ids["county"],
        "category": "三资管理",
        "summary": "村集体土地流转收入未入账",
        "source": "PETITION",
        "status": "REGISTERED",
        "amountInvolved": "120000.50",
        "registeredBy": "anonymous",
        "version": 1,
        "personsConcerned": [{"role": "村党支部书记", "name": "张某"}],
        "unit": {"id": ids["village"], "name": "甲村", "unitType": "VILLAGE"},
    }


def test_the_ledger_pages_with_cursors(gql: GraphQL) -> None:
    ids = register_city_with_village(gql)
    positions = [
        gql.data(REGISTER_CLUE, {"input": clue_input(ids, summary=f"线索{i}")})["registerClue"][
            "position"
        ]
        for i in range(3)
    ]
    first = gql.data(CLUE_LEDGER, {"first": 2, "minPosition": positions[-1]})["clueLedger"]
    assert [e["node"]["summary"] for e in first["edges"]] == ["线索0", "线索1"]
    assert first["pageInfo"]["hasNextPage"] is True
    assert first["totalCount"] == 3

    rest = gql.data(CLUE_LEDGER, {"first": 2, "after": first["pageInfo"]["endCursor"]})
    assert [e["node"]["summary"] for e in rest["clueLedger"]["edges"]] == ["线索2"]
    assert rest["clueLedger"]["pageInfo"]["hasNextPage"] is False


def test_the_ledger_filters_by_tenant(gql: GraphQL) -> None:
    ids = register_city_with_village(gql)
    written = gql.data(REGISTER_CLUE, {"input": clue_input(ids)})["registerClue"]
    by_city = gql.data(CLUE_LEDGER, {"tenantId": ids["city"], "minPosition": written["position"]})
    assert by_city["clueLedger"]["totalCount"] == 0


UNKNOWN = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize(
    ("changes", "code", "names"),
    [
        ({"tenantId": UNKNOWN}, "NOT_FOUND", "tenant"),
        ({"unitId": UNKNOWN}, "NOT_FOUND", "unit"),
        ({"unitId": "not-an-id"}, "VALIDATION_FAILED", "unitId"),
        ({"summary": "   "}, "VALIDATION_FAILED", "summary"),
        ({"amountInvolved": "-5"}, "VALIDATION_FAILED", "amountInvolved"),
        ({"source": "RUMOUR"}, "VALIDATION_FAILED", "RUMOUR"),
        ({"amountInvolved": "a lot"}, "VALIDATION_FAILED", "amountInvolved"),
        ({"personsConcerned": "张某"}, "VALIDATION_FAILED", "personsConcerned"),
    ],
)
def test_bad_input_is_refused_with_a_code_and_writes_nothing(
    gql: GraphQL, runtime: Runtime, changes: dict[str, Any], code: str, names: str
) -> None:
    ids = register_city_with_village(gql)
    before = runtime.store.max_position()

    error = gql.error(REGISTER_CLUE, {"input": clue_input(ids, **changes)})

    assert error["extensions"]["code"] == code
    assert names in error["message"]
    assert runtime.store.max_position() == before


def test_a_wrongly_typed_literal_is_refused_before_anything_runs(
    gql: GraphQL, runtime: Runtime
) -> None:
    before = runtime.store.max_position()
    error = gql.error('{ clueLedger(first: "ten") { totalCount } }')
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert "Int" in error["message"]
    assert runtime.store.max_position() == before


def test_a_page_too_large_is_refused_with_limit_exceeded(gql: GraphQL) -> None:
    error = gql.error("{ clueLedger(first: 100000) { totalCount } }")
    assert error["extensions"]["code"] == "LIMIT_EXCEEDED"


@pytest.mark.settings(read_wait_seconds=0.2)
def test_a_read_that_cannot_catch_up_says_stale_instead_of_answering(
    gql: GraphQL, runtime: Runtime
) -> None:
    error = gql.error(CLUE_LEDGER, {"minPosition": runtime.store.max_position() + 1000})
    assert error["extensions"]["code"] == "STALE"


def test_health_reports_the_log_head(gql: GraphQL) -> None:
    response = gql.http.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_a_position_past_the_head_of_the_log_is_stale_at_once(
    gql: GraphQL, runtime: Runtime
) -> None:
    head = runtime.store.max_position()
    started = time.monotonic()
    error = gql.error(CLUE_LEDGER, {"minPosition": head + 1000})
    header = gql.http.post(
        "/graphql",
        json={"query": "{ clueLedger { totalCount } }"},
        headers={MIN_POSITION_HEADER: str(head + 1000)},
    ).json()["errors"][0]
    assert time.monotonic() - started < runtime.settings.read_wait_seconds  # no wait
    for refused in (error, header):
        assert refused["extensions"] == {
            "code": "STALE",
            "label": "数据尚未更新",
            "messageZh": "数据尚未更新到所需位置，请稍后重试",
            "position": head + 1000,
        }
        assert f"past the head of the event log ({head})" in refused["message"]
    assert "errors" not in gql.execute(CLUE_LEDGER, {"minPosition": head})
