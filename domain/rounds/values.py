"""Value types of the round context, named as in DOMAIN.md."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.errors import ValidationFailed


class RoundKind(StrEnum):
    REGULAR = "REGULAR"  # 常规巡察
    THEMATIC = "THEMATIC"  # 专项巡察
    MOBILE = "MOBILE"  # 机动巡察
    REVISIT = "REVISIT"  # 巡察"回头看"


class Linkage(StrEnum):
    STANDALONE = "STANDALONE"
    ESCALATED = "ESCALATED"  # 提级巡察
    LINKED = "LINKED"  # 联动巡察
    JOINT = "JOINT"  # 联合巡察
    CROSS = "CROSS"  # 交叉巡察


class Phase(StrEnum):
    PLANNED = "PLANNED"
    PREPARING = "PREPARING"  # 进驻前准备
    STATIONED = "STATIONED"  # 进驻
    REPORTED = "REPORTED"  # 巡察报告
    FEEDBACK_GIVEN = "FEEDBACK_GIVEN"  # 反馈
    RECTIFYING = "RECTIFYING"  # 整改
    CLOSED = "CLOSED"


PHASE_ORDER: tuple[Phase, ...] = tuple(Phase)


class PetitionChannel(StrEnum):
    HOTLINE = "HOTLINE"  # 举报电话
    MAILBOX = "MAILBOX"  # 举报信箱
    EMAIL = "EMAIL"
    QR_CODE = "QR_CODE"  # 扫码 / 码上巡察


class TeamRole(StrEnum):
    LEADER = "LEADER"  # 组长
    DEPUTY_LEADER = "DEPUTY_LEADER"  # 副组长
    MEMBER = "MEMBER"  # 成员
    LIAISON = "LIAISON"  # 联络员


class CrossMode(StrEnum):
    ROTATION = "ROTATION"  # 推磨式 / 成建制
    EXCHANGE = "EXCHANGE"  # 互派式 / 半建制


class SelectionReason(StrEnum):
    """Why a village was chosen as a target (Hanjiang's selection of 48 villages)."""

    WEAK_AND_LAX = "WEAK_AND_LAX"  # 软弱涣散
    HARD_ELECTION = "HARD_ELECTION"  # 换届难点
    ECONOMICALLY_WEAK = "ECONOMICALLY_WEAK"  # 经济薄弱
    CONFLICT_RIDDEN = "CONFLICT_RIDDEN"  # 矛盾突出
    HARD_TO_MANAGE = "HARD_TO_MANAGE"  # 管理难点


@dataclass(frozen=True)
class Period:
    """A planned period, both days included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValidationFailed(
                f"The period ends on {self.end}, before it starts on {self.start}", field="period"
            )

    def overlaps(self, other: Period) -> bool:
        return self.start <= other.end and other.start <= self.end

    def contains(self, other: Period) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class Target:
    """A unit a round inspects, with the office that owns it (recorded so that views and
    linkage rules need not look the owner up again), and why it was chosen, if recorded."""

    unit_id: UUID
    owner_id: UUID
    reasons: tuple[SelectionReason, ...] = ()

    def __post_init__(self) -> None:
        reasons = tuple(SelectionReason(r) for r in self.reasons)
        if len(set(reasons)) != len(reasons):
            raise ValidationFailed("A selection reason is named twice", field="reasons")
        object.__setattr__(self, "reasons", reasons)

    def as_record(self) -> dict[str, Any]:
        # Reasons only when given: a target without them is recorded as before they existed.
        record: dict[str, Any] = {"unit_id": self.unit_id, "owner_id": self.owner_id}
        if self.reasons:
            record["reasons"] = [r.value for r in self.reasons]
        return record

    @staticmethod
    def of(record: dict[str, Any]) -> Target:
        return Target(
            unit_id=UUID(str(record["unit_id"])),
            owner_id=UUID(str(record["owner_id"])),
            reasons=tuple(record.get("reasons", ())),
        )
