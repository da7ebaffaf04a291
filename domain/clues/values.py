"""Value types of the clue context, named as in DOMAIN.md."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from domain.text import required_text


class ClueSource(StrEnum):
    INTERVIEW = "INTERVIEW"  # 个别谈话
    PETITION = "PETITION"  # 来信来访
    HOTLINE = "HOTLINE"  # 举报电话
    MAILBOX = "MAILBOX"  # 举报信箱
    EMAIL = "EMAIL"
    QR_CODE = "QR_CODE"  # 扫码 / 码上巡察
    RECORDS_REVIEW = "RECORDS_REVIEW"  # 查阅资料/账册
    FIELD_VISIT = "FIELD_VISIT"  # 走访/暗访
    DATA_COMPARISON = "DATA_COMPARISON"  # 大数据比对
    AUDIT = "AUDIT"  # 巡审
    BRIEFING = "BRIEFING"  # 进驻前通报


class InformantStatus(StrEnum):
    """What a reader learns of a clue's informant identity (举报人)."""

    NONE = "NONE"  # no informant identity was recorded
    SEALED = "SEALED"  # recorded, encrypted; shown only with informant clearance
    WITHHELD = "WITHHELD"  # recorded, but the caller has no informant clearance
    ERASED = "ERASED"  # the key was destroyed: the identity is gone for good


class ClueSort(StrEnum):
    """The ledger's orders: nulls last, ties in registration order (reversed with
    `descending`). A cursor is good for the order (and direction) that gave it only."""

    REGISTERED = "REGISTERED"
    DUE_DATE = "DUE_DATE"
    AMOUNT_INVOLVED = "AMOUNT_INVOLVED"
    FUNDS_RECOVERED = "FUNDS_RECOVERED"
    CATEGORY = "CATEGORY"
    STATUS = "STATUS"


class ClueStatus(StrEnum):
    REGISTERED = "REGISTERED"
    TRIAGED = "TRIAGED"
    TRANSFERRED = "TRANSFERRED"
    ACCEPTED = "ACCEPTED"
    CONCLUDED = "CONCLUDED"


@dataclass(frozen=True)
class PersonConcerned:
    """A person a clue concerns: their role (e.g. 村党支部书记) and name."""

    role: str
    name: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", required_text(self.role, "personsConcerned.role"))
        object.__setattr__(self, "name", required_text(self.name, "personsConcerned.name"))

    def as_record(self) -> dict[str, str]:
        return {"role": self.role, "name": self.name}


class PriorityClass(StrEnum):
    """Default names of DOMAIN.md; tenants may rename them for display."""

    KEY = "KEY"  # 重点关注类
    ATTENTION = "ATTENTION"  # 了解关注类
    REFERENCE = "REFERENCE"  # 参考类


class HandlingBody(StrEnum):
    """Who handles a transferred clue, by cadre-management authority."""

    DISCIPLINE_COMMISSION = "DISCIPLINE_COMMISSION"  # 纪委监委
    ORGANIZATION_DEPARTMENT = "ORGANIZATION_DEPARTMENT"  # 组织部
    FUNCTIONAL_DEPARTMENT = "FUNCTIONAL_DEPARTMENT"  # 职能部门
    TOWNSHIP_COMMITTEE = "TOWNSHIP_COMMITTEE"  # 乡镇党委


class Disposition(StrEnum):
    INQUIRY = "INQUIRY"  # 谈话函询
    PRELIMINARY_VERIFICATION = "PRELIMINARY_VERIFICATION"  # 初步核实
    CASE_FILED = "CASE_FILED"  # 立案审查
    SHELVED = "SHELVED"  # 暂存待查
    CLOSED_NO_ACTION = "CLOSED_NO_ACTION"  # 予以了结
    ORGANIZATIONAL_ACTION = "ORGANIZATIONAL_ACTION"  # 组织处理


class SupervisionStep(StrEnum):
    """The supervision ladder (五书制), in order."""

    SUPERVISION_NOTICE = "SUPERVISION_NOTICE"  # 督办通知
    GUIDANCE = "GUIDANCE"  # 阶段指导
    REMINDER = "REMINDER"  # 提醒 (before the due date)
    WARNING = "WARNING"  # 告诫 (after it, with a final date)
    ACCOUNTABILITY = "ACCOUNTABILITY"  # 问责

    @property
    def rank(self) -> int:
        return list(SupervisionStep).index(self)


class CorrectableField(StrEnum):
    """What `ClueCorrected` may set anew; everything else is fixed by its own verb."""

    CATEGORY = "CATEGORY"
    SUMMARY = "SUMMARY"
    AMOUNT_INVOLVED = "AMOUNT_INVOLVED"
    DUE_DATE = "DUE_DATE"
    PERSONS_DISCIPLINED = "PERSONS_DISCIPLINED"
    FUNDS_RECOVERED = "FUNDS_RECOVERED"


@dataclass(frozen=True)
class InformantIdentity:
    """Who reported a clue (举报人). Confidential: only ever stored encrypted."""

    name: str
    contact: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", required_text(self.name, "informant.name"))
        if self.contact is not None:
            contact = self.contact.strip() or None
            if contact is not None:
                contact = required_text(contact, "informant.contact")
            object.__setattr__(self, "contact", contact)

    def as_record(self) -> dict[str, str | None]:
        return {"name": self.name, "contact": self.contact}
