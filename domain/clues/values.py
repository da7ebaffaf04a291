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
