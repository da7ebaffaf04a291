"""The cross-batch generator: rotation and exchange, deterministic, explained when impossible."""

from __future__ import annotations

from uuid import NAMESPACE_DNS, uuid5

import pytest

from domain.errors import RuleViolation
from domain.rounds.cross_batch import County, generate
from domain.rounds.values import CrossMode, TeamRole


def counties(n: int) -> list[County]:
    return [County(uuid5(NAMESPACE_DNS, f"c{i}"), f"6302{i:02d}") for i in range(n)]


VALID = [(n, s) for n in range(3, 16) for s in (1, 2, 3) if s % n and (2 * s) % n]


@pytest.mark.parametrize(("n", "shift"), VALID)
def test_a_rotation_ring_never_inspects_itself_nor_a_pair_each_other(n: int, shift: int) -> None:
    batch = generate(counties(n), CrossMode.ROTATION, shift)
    pairs = {(a.inspecting.id, a.owning.id) for a in batch}
    assert len(batch) == n
    assert all(i != o for i, o in pairs)
    assert not any((o, i) in pairs for i, o in pairs)
    assert (
        {a.inspecting.id for a in batch}
        == {a.owning.id for a in batch}
        == {c.id for c in counties(n)}
    )
    assert all(set(a.staffing.values()) == {a.inspecting.id} for a in batch)


def test_haidongs_six_counties_rotate_in_code_order_whatever_the_input_order() -> None:
    six = counties(6)
    shuffled = [six[i] for i in (3, 0, 5, 1, 4, 2)]
    batch = generate(shuffled, CrossMode.ROTATION)
    assert [(a.inspecting.code, a.owning.code) for a in batch] == [
        ("630200", "630201"),
        ("630201", "630202"),
        ("630202", "630203"),
        ("630203", "630204"),
        ("630204", "630205"),
        ("630205", "630200"),
    ]
    assert generate(six, CrossMode.ROTATION) == batch


@pytest.mark.parametrize("n", [0, 1, 2])
def test_rotation_with_fewer_than_three_counties_is_refused_with_the_reason(n: int) -> None:
    with pytest.raises(RuleViolation) as refused:
        generate(counties(n), CrossMode.ROTATION)
    assert refused.value.rule == "CROSS_BATCH_TOO_FEW_COUNTIES"
    assert "at least 3" in refused.value.message


def test_a_shift_that_pairs_counties_is_refused() -> None:
    with pytest.raises(RuleViolation) as refused:
        generate(counties(4), CrossMode.ROTATION, shift=2)
    assert refused.value.rule == "CROSS_BATCH_MUTUAL_INSPECTION"


def test_exchange_hosts_provide_leader_and_liaison_and_senders_the_rest() -> None:
    three = counties(3)
    batch = generate(three, CrossMode.EXCHANGE)
    first = batch[0]
    assert first.owning == three[0]
    assert first.inspecting == three[1]
    assert first.staffing == {
        TeamRole.LEADER: three[0].id,
        TeamRole.LIAISON: three[0].id,
        TeamRole.DEPUTY_LEADER: three[1].id,
        TeamRole.MEMBER: three[1].id,
    }


def test_exchange_needs_two_counties() -> None:
    with pytest.raises(RuleViolation) as refused:
        generate(counties(1), CrossMode.EXCHANGE)
    assert refused.value.rule == "CROSS_BATCH_TOO_FEW_COUNTIES"
