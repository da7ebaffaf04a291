"""The cross-batch generator (交叉巡察): which county inspects which, decided by the city.

ROTATION (推磨式, 成建制): counties sorted by code form a ring and each county's whole team
inspects the county `shift` places further on: A→B→C→A. Nobody inspects itself when
`shift` is not a multiple of n, and no two counties inspect each other when `2·shift` is not
a multiple of n; `shift = 1` satisfies both for every n ≥ 3. With two counties the only
assignment without self-inspection is A→B, B→A, a pair inspecting each other; with one there
is none at all.

EXCHANGE (互派式, 半建制): each county hosts a team whose leader and liaison it provides itself,
while the deputy leader and members are sent by the county `shift` places further on the ring.
Any n ≥ 2 works, since no county sends its cadres to itself.

The result depends only on the input set (order does not matter): the same counties and shift
always give the same batch."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from domain.errors import RuleViolation, ValidationFailed
from domain.rounds.values import CrossMode, TeamRole

HOST_ROLES = (TeamRole.LEADER, TeamRole.LIAISON)
SENDER_ROLES = (TeamRole.DEPUTY_LEADER, TeamRole.MEMBER)


@dataclass(frozen=True)
class County:
    id: UUID
    code: str


@dataclass(frozen=True)
class CrossAssignment:
    """One cross round of a batch: `inspecting` county's team in `owning` county's units,
    with the county that staffs each team role."""

    inspecting: County
    owning: County
    staffing: dict[TeamRole, UUID]


def generate(
    counties: list[County],
    mode: CrossMode,
    shift: int = 1,
    *,
    names: tuple[str, str] = ("county", "counties"),
) -> list[CrossAssignment]:
    """The batch for `counties`, or a RULE_VIOLATION explaining why none exists. The same
    ring serves the townships of one office (`names`: singular and plural, for the
    explanations)."""
    ring = sorted(set(counties), key=lambda c: (c.code, str(c.id)))
    if len(ring) != len(counties):
        raise ValidationFailed(f"A {names[0]} is named twice", field="countyIds")
    n = len(ring)
    if mode is CrossMode.ROTATION:
        _check_rotation(n, shift, names)
    else:
        _check_exchange(n, shift, names)
    batch = []
    for i, county in enumerate(ring):
        other = ring[(i + shift) % n]
        if mode is CrossMode.ROTATION:
            # `county` inspects `other` with a team of its own.
            staffing = {role: county.id for role in TeamRole}
            batch.append(CrossAssignment(inspecting=county, owning=other, staffing=staffing))
        else:
            # `county` hosts: its units are inspected; `other` sends deputy and members.
            staffing = {role: county.id for role in HOST_ROLES}
            staffing.update({role: other.id for role in SENDER_ROLES})
            batch.append(CrossAssignment(inspecting=other, owning=county, staffing=staffing))
    return batch


def _check_rotation(n: int, shift: int, names: tuple[str, str]) -> None:
    one, parties = names
    if n < 3:
        raise RuleViolation(
            "CROSS_BATCH_TOO_FEW_COUNTIES",
            f"A ROTATION batch needs at least 3 {parties}; with {n} "
            + (
                f"the only way for no {one} to inspect itself is for the two to inspect each "
                "other, which a batch does not allow"
                if n == 2
                else f"there is no other {one} to inspect"
            ),
            counties=n,
        )
    if shift % n == 0:
        raise RuleViolation(
            "CROSS_BATCH_SELF_INSPECTION",
            f"With shift {shift} and {n} {parties} every {one} would inspect itself",
        )
    if (2 * shift) % n == 0:
        raise RuleViolation(
            "CROSS_BATCH_MUTUAL_INSPECTION",
            f"With shift {shift} and {n} {parties} pairs of {parties} would inspect each other",
        )


def _check_exchange(n: int, shift: int, names: tuple[str, str]) -> None:
    one, parties = names
    if n < 2:
        raise RuleViolation(
            "CROSS_BATCH_TOO_FEW_COUNTIES",
            f"An EXCHANGE batch needs at least 2 {parties}; with {n} no {one} can send "
            "cadres to another",
            counties=n,
        )
    if shift % n == 0:
        raise RuleViolation(
            "CROSS_BATCH_SELF_INSPECTION",
            f"With shift {shift} and {n} {parties} every {one} would send cadres to itself",
        )
