"""Values of a tenant's configuration, with the national defaults DOMAIN.md names."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from domain.errors import ValidationFailed
from domain.text import required_text


class SupervisionStep(StrEnum):
    """The supervision ladder (五书制)."""

    SUPERVISION_NOTICE = "SUPERVISION_NOTICE"  # 督办通知
    GUIDANCE = "GUIDANCE"  # 阶段指导
    REMINDER = "REMINDER"  # 提醒
    WARNING = "WARNING"  # 告诫
    ACCOUNTABILITY = "ACCOUNTABILITY"  # 问责


class Trigger(StrEnum):
    """When a ladder step is due, counted in calendar days from the event named."""

    AFTER_TRANSFER = "AFTER_TRANSFER"
    BEFORE_DUE = "BEFORE_DUE"
    AFTER_DUE = "AFTER_DUE"


class DisclosureExemption(StrEnum):
    STATE_SECRET = "STATE_SECRET"  # noqa: S105 (a disclosure class, not a password)
    UNDER_INVESTIGATION = "UNDER_INVESTIGATION"
    SENSITIVE = "SENSITIVE"


@dataclass(frozen=True)
class LadderStep:
    step: SupervisionStep
    trigger: Trigger
    days: int

    def __post_init__(self) -> None:
        if not 0 <= self.days <= 366:
            raise ValidationFailed("A ladder step's days must be 0–366", field="days")

    def as_record(self) -> dict[str, Any]:
        return {"step": self.step.value, "trigger": self.trigger.value, "days": self.days}

    @classmethod
    def of(cls, record: dict[str, Any]) -> LadderStep:
        return cls(SupervisionStep(record["step"]), Trigger(record["trigger"]), int(record["days"]))


DEFAULT_LADDER = (
    LadderStep(SupervisionStep.SUPERVISION_NOTICE, Trigger.AFTER_TRANSFER, 0),
    LadderStep(SupervisionStep.GUIDANCE, Trigger.AFTER_TRANSFER, 30),
    LadderStep(SupervisionStep.REMINDER, Trigger.BEFORE_DUE, 5),
    LadderStep(SupervisionStep.WARNING, Trigger.AFTER_DUE, 1),
    LadderStep(SupervisionStep.ACCOUNTABILITY, Trigger.AFTER_DUE, 30),
)
DEFAULT_PRIORITY_NAMES = {"KEY": "重点关注类", "ATTENTION": "了解关注类", "REFERENCE": "参考类"}


@dataclass(frozen=True)
class Practice:
    """Time limits and names a tenant works by (one version of them)."""

    transfer_due_working_days: int = 30
    rectification_report_due_months: int = 2
    supervision_ladder: tuple[LadderStep, ...] = DEFAULT_LADDER
    priority_class_names: dict[str, str] = field(
        default_factory=lambda: dict(DEFAULT_PRIORITY_NAMES)
    )
    disclosure_exemptions: tuple[DisclosureExemption, ...] = tuple(DisclosureExemption)

    def __post_init__(self) -> None:
        if not 1 <= self.transfer_due_working_days <= 250:
            raise ValidationFailed(
                "transferDueWorkingDays must be 1–250", field="transferDueWorkingDays"
            )
        if not 1 <= self.rectification_report_due_months <= 12:
            raise ValidationFailed(
                "rectificationReportDueMonths must be 1–12", field="rectificationReportDueMonths"
            )
        if set(self.priority_class_names) != set(DEFAULT_PRIORITY_NAMES):
            raise ValidationFailed(
                f"priorityClassNames must name exactly {', '.join(DEFAULT_PRIORITY_NAMES)}",
                field="priorityClassNames",
            )
        for key, name in self.priority_class_names.items():
            required_text(name, f"priorityClassNames.{key}", max_length=32)
        steps = [s.step for s in self.supervision_ladder]
        if len(set(steps)) != len(steps):
            raise ValidationFailed("Each ladder step appears once", field="supervisionLadder")

    def as_record(self) -> dict[str, Any]:
        return {
            "transfer_due_working_days": self.transfer_due_working_days,
            "rectification_report_due_months": self.rectification_report_due_months,
            "supervision_ladder": [s.as_record() for s in self.supervision_ladder],
            "priority_class_names": dict(self.priority_class_names),
            "disclosure_exemptions": [e.value for e in self.disclosure_exemptions],
        }

    @classmethod
    def of(cls, record: dict[str, Any]) -> Practice:
        return cls(
            transfer_due_working_days=int(record["transfer_due_working_days"]),
            rectification_report_due_months=int(record["rectification_report_due_months"]),
            supervision_ladder=tuple(LadderStep.of(s) for s in record["supervision_ladder"]),
            priority_class_names=dict(record["priority_class_names"]),
            disclosure_exemptions=tuple(
                DisclosureExemption(e) for e in record["disclosure_exemptions"]
            ),
        )


@dataclass(frozen=True)
class UnitClass:
    """A tenant-defined class of units (e.g. code WEAK, name 软弱涣散村)."""

    code: str
    name: str

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "code", required_text(self.code, "unitClasses.code", max_length=64)
        )
        object.__setattr__(
            self, "name", required_text(self.name, "unitClasses.name", max_length=64)
        )

    def as_record(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name}


@dataclass(frozen=True)
class Aspect:
    """One aspect of a checklist (e.g. 三资管理) and the problem forms it lists."""

    name: str
    problem_forms: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", required_text(self.name, "aspects.name", max_length=100))
        forms = tuple(
            required_text(f, "aspects.problemForms", max_length=200) for f in self.problem_forms
        )
        object.__setattr__(self, "problem_forms", forms)

    def as_record(self) -> dict[str, Any]:
        return {"name": self.name, "problem_forms": list(self.problem_forms)}

    @classmethod
    def of(cls, record: dict[str, Any]) -> Aspect:
        return cls(record["name"], tuple(record["problem_forms"]))


@dataclass(frozen=True)
class Term:
    """A committee term (届), e.g. 第十二届, with the dates it runs."""

    name: str
    starts_on: date
    ends_on: date

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", required_text(self.name, "name", max_length=64))
        if self.ends_on <= self.starts_on:
            raise ValidationFailed("A term ends after it starts", field="endsOn")

    def overlaps(self, other: Term) -> bool:
        return self.starts_on <= other.ends_on and other.starts_on <= self.ends_on

    def covers(self, on: date) -> bool:
        return self.starts_on <= on <= self.ends_on


class ChannelKind(StrEnum):
    """The group-robot message format a warning channel takes."""

    WECOM = "WECOM"  # 企业微信群机器人
    DINGTALK = "DINGTALK"  # 钉钉群机器人


@dataclass(frozen=True)
class WarningChannel:
    """Where an office's deadline warnings (超期预警) are delivered: a group robot's webhook.
    The URL carries the robot's key, so it is kept out of every repr (and so out of logs)."""

    kind: ChannelKind
    url: str = field(repr=False)

    def __post_init__(self) -> None:
        url = required_text(self.url, "url", max_length=2000)
        parts = urlsplit(url)
        if parts.scheme not in {"https", "http"} or not parts.hostname:
            raise ValidationFailed(
                "url must be an http(s) webhook address with a host, "
                "e.g. https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
                field="url",
            )
        object.__setattr__(self, "url", url)

    def as_record(self) -> dict[str, str]:
        return {"kind": self.kind.value, "url": self.url}

    @classmethod
    def of(cls, record: dict[str, str]) -> WarningChannel:
        return cls(ChannelKind(record["kind"]), record["url"])
