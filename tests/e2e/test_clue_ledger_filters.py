"""`clueLedger` filters (tenant, round, unit, status, priority, category, overdue, supervision
step, due before) and sorts; overdue is judged at query time on the date asked about."""

from datetime import date

import pytest

from services.runtime import Runtime
from tests.e2e.clue_support import LEDGER, act, ledger, register
from tests.support.graphql import REGISTER_UNIT, GraphQL, register_city_with_village


@pytest.fixture
def clues(gql: GraphQL, runtime: Runtime) -> dict[str, str]:
    """Three clues of one county: A transferred due 2026-12-10 (KEY), B transferred due
    2027-01-20 and concluded (ATTENTION), C only registered (REFERENCE), about another unit."""
    runtime.clues.today = lambda: date(2026, 11, 23)
    ids = register_city_with_village(gql)
    other = gql.data(
        REGISTER_UNIT,
        {
            "input": {
                "tenantId": ids["county"],
                "code": "V002",
                "name": "乙村",
                "unitType": "VILLAGE",
            }
        },
    )["registerUnit"]["id"]
    a = register(gql, ids, summary="A", category="三资管理", amountInvolved="5000")["id"]
    b = register(gql, ids, summary="B", category="工程项目", amountInvolved="90000")["id"]
    c = register(gql, ids, summary="C", category="作风问题", unitId=other, amountInvolved=None)[
        "id"
    ]
    for clue, priority, due in ((a, "KEY", "2026-12-10"), (b, "ATTENTION", "2027-01-20")):
        act(gql, "triageClue", clueId=clue, priority=priority, proposedRoute="移交")
        act(
            gql,
            "transferClue",
            clueId=clue,
            handlingBody="DISCIPLINE_COMMISSION",
            receivingTenantId=ids["county"],
            dueDate=due,
        )
    act(gql, "triageClue", clueId=c, priority="REFERENCE", proposedRoute="参考")
    act(gql, "superviseClue", clueId=a, step="SUPERVISION_NOTICE")
    act(gql, "acceptClue", clueId=b)
    act(gql, "concludeClue", clueId=b, disposition="INQUIRY", fundsRecovered="1000")
    runtime.wait_for_projections(runtime.store.max_position())
    return {"a": a, "b": b, "c": c, "other_unit": other, **ids}


def summaries(gql: GraphQL, **variables: object) -> list[str]:
    return [e["node"]["summary"] for e in ledger(gql, **variables)["edges"]]


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, ["A", "B", "C"]),
        ({"status": "CONCLUDED"}, ["B"]),
        ({"priority": "KEY"}, ["A"]),
        ({"category": "作风问题"}, ["C"]),
        ({"supervisionStep": "SUPERVISION_NOTICE"}, ["A"]),
        ({"dueBefore": "2027-01-01"}, ["A"]),
        ({"overdue": True, "today": "2026-12-11"}, ["A"]),
        ({"overdue": True, "today": "2027-02-01"}, ["A"]),  # B is concluded: never overdue
        ({"overdue": True, "today": "2026-12-10"}, []),  # due today is not yet overdue
        ({"overdue": False, "today": "2026-12-11"}, ["B", "C"]),
        ({"priority": "KEY", "overdue": True, "today": "2026-12-11"}, ["A"]),
    ],
)
def test_the_ledger_filters(
    gql: GraphQL, clues: dict[str, str], variables: dict[str, object], expected: list[str]
) -> None:
    assert summaries(gql, **variables) == expected


def test_the_ledger_filters_by_tenant_receiver_and_unit(
    gql: GraphQL, clues: dict[str, str]
) -> None:
    assert summaries(gql, tenantId=clues["county"]) == ["A", "B", "C"]
    assert summaries(gql, tenantId=clues["city"]) == []
    assert summaries(gql, receivingTenantId=clues["county"]) == ["A", "B"]
    assert summaries(gql, unitId=clues["other_unit"]) == ["C"]
    assert summaries(gql, roundId="00000000-0000-4000-8000-000000000001") == []


def test_the_ledger_sorts_and_pages_in_that_order(gql: GraphQL, clues: dict[str, str]) -> None:
    assert summaries(gql, sort="DUE_DATE") == ["A", "B", "C"]  # no due date last
    assert summaries(gql, sort="DUE_DATE", descending=True) == ["B", "A", "C"]
    assert summaries(gql, sort="AMOUNT_INVOLVED", descending=True) == ["B", "A", "C"]
    first = ledger(gql, sort="AMOUNT_INVOLVED", descending=True, first=2)
    assert first["pageInfo"]["hasNextPage"] is True
    rest = ledger(
        gql, sort="AMOUNT_INVOLVED", descending=True, first=2, after=first["pageInfo"]["endCursor"]
    )
    assert [e["node"]["summary"] for e in rest["edges"]] == ["C"]
    assert rest["pageInfo"]["hasNextPage"] is False


def walk(gql: GraphQL, **variables: object) -> list[str]:
    """Every clue's summary in the order asked for, one clue a page."""
    found: list[str] = []
    after = None
    while True:
        page = ledger(gql, first=1, after=after, **variables)
        found += [e["node"]["summary"] for e in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return found
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize(
    ("sort", "descending", "expected"),
    [
        ("REGISTERED", False, ["A", "B", "C"]),
        ("REGISTERED", True, ["C", "B", "A"]),
        ("DUE_DATE", False, ["A", "B", "C"]),
        ("DUE_DATE", True, ["B", "A", "C"]),  # no due date last either way
        ("AMOUNT_INVOLVED", False, ["A", "B", "C"]),
        ("FUNDS_RECOVERED", False, ["B", "A", "C"]),  # ties (no funds) in registration order
        ("FUNDS_RECOVERED", True, ["B", "C", "A"]),  # … reversed
        ("CATEGORY", False, None),  # as the database collates the three categories
        ("STATUS", False, ["B", "A", "C"]),  # CONCLUDED < TRANSFERRED < TRIAGED
    ],
)
def test_every_order_pages_one_by_one_as_it_lists(
    gql: GraphQL, clues: dict[str, str], sort: str, descending: bool, expected: list[str] | None
) -> None:
    listed = summaries(gql, sort=sort, descending=descending)
    assert listed == expected if expected else sorted(listed) == ["A", "B", "C"]
    assert walk(gql, sort=sort, descending=descending) == listed


def test_a_cursor_is_good_for_its_own_order_only(gql: GraphQL, clues: dict[str, str]) -> None:
    cursor = ledger(gql, sort="DUE_DATE", first=1)["pageInfo"]["endCursor"]
    for variables in ({"sort": "AMOUNT_INVOLVED"}, {"sort": "DUE_DATE", "descending": True}):
        error = gql.error(LEDGER, {**variables, "after": cursor})
        assert error["extensions"]["code"] == "VALIDATION_FAILED"
    # a cursor of the earlier format (registration order by position) is refused, not misread
    error = gql.error(LEDGER, {"after": "cDox"})
    assert error["extensions"]["code"] == "VALIDATION_FAILED"
    assert "first page" in error["message"]


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({}, 3),
        ({"status": "TRANSFERRED"}, 1),
        ({"category": "作风问题", "status": "TRIAGED"}, 1),
        ({"overdue": True, "today": "2026-12-11"}, 1),
        ({"unitId": None}, 3),
    ],
)
def test_the_total_counts_what_the_filter_selects(
    gql: GraphQL, clues: dict[str, str], variables: dict[str, object], expected: int
) -> None:
    assert ledger(gql, first=1, **variables)["totalCount"] == expected


def test_a_filter_value_is_data_not_sql(gql: GraphQL, clues: dict[str, str]) -> None:
    assert summaries(gql, category="' OR '1'='1") == []
    assert summaries(gql) == ["A", "B", "C"]
