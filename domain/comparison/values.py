"""Value types of data comparison: the kinds of dataset an office registers, the fields each
kind holds (with the column headers offices use), and the states of a candidate clue."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class DatasetKind(StrEnum):
    SUBSISTENCE_ALLOWANCE = "SUBSISTENCE_ALLOWANCE"  # 低保/特困人员
    PUBLIC_PAYROLL = "PUBLIC_PAYROLL"  # 财政供养人员
    VILLAGE_CADRES = "VILLAGE_CADRES"  # 村“两委”成员及其近亲属
    FARM_SUBSIDY = "FARM_SUBSIDY"  # 惠农补贴发放
    DEATH_RECORDS = "DEATH_RECORDS"  # 死亡/户籍注销
    BUSINESS_REGISTRY = "BUSINESS_REGISTRY"  # 工商登记（股东、法定代表人）
    VILLAGE_CONTRACTS = "VILLAGE_CONTRACTS"  # 村集体合同及支付

    @property
    def table(self) -> str:
        """The name a comparison model's SQL reads the dataset by."""
        return self.value.lower()


class FieldType(StrEnum):
    ID_NUMBER = "ID_NUMBER"  # 身份证号: keyed hash for matching, encrypted, masked
    NAME = "NAME"  # 姓名: keyed hash, encrypted, masked
    TEXT = "TEXT"
    DATE = "DATE"
    AMOUNT = "AMOUNT"  # CNY, two decimals

    @property
    def personal(self) -> bool:
        return self in (FieldType.ID_NUMBER, FieldType.NAME)


class CandidateStatus(StrEnum):
    OPEN = "OPEN"  # 待研判
    DISMISSED = "DISMISSED"  # 已排除
    PROMOTED = "PROMOTED"  # 已转为问题线索


class JobStatus(StrEnum):
    """Where a comparison started in the background stands."""

    RUNNING = "RUNNING"
    CANCELLING = "CANCELLING"  # asked to stop; the engine stops at its next check
    DONE = "DONE"  # its run is recorded
    CANCELLED = "CANCELLED"  # stopped: nothing recorded
    FAILED = "FAILED"  # refused or broken: nothing recorded


class ComparisonEngine(StrEnum):
    DUCKDB = "DUCKDB"  # embedded, in-process
    SPARK = "SPARK"  # Apache Spark, past one machine


@dataclass(frozen=True)
class DatasetField:
    """One field of a dataset kind: its name in the models' SQL, type, whether every row must
    have it, and the headers a file may give it (the first is the template's)."""

    name: str
    type: FieldType
    headers: tuple[str, ...]
    required: bool = True

    @property
    def columns(self) -> tuple[str, ...]:
        """The stored columns: a personal field as keyed hash, masked text and ciphertext."""
        if self.type.personal:
            return (f"{self.name}_key", f"{self.name}_masked", f"{self.name}_sealed")
        return (self.name,)


def _id(name: str, *headers: str, required: bool = True) -> DatasetField:
    return DatasetField(name, FieldType.ID_NUMBER, (*headers, name), required)


def _name(name: str, *headers: str, required: bool = True) -> DatasetField:
    return DatasetField(name, FieldType.NAME, (*headers, name), required)


def _text(name: str, *headers: str, required: bool = True) -> DatasetField:
    return DatasetField(name, FieldType.TEXT, (*headers, name), required)


def _date(name: str, *headers: str, required: bool = True) -> DatasetField:
    return DatasetField(name, FieldType.DATE, (*headers, name), required)


def _amount(name: str, *headers: str, required: bool = True) -> DatasetField:
    return DatasetField(name, FieldType.AMOUNT, (*headers, name), required)


_PERSON = (
    _id("id_number", "身份证号", "身份证号码", "公民身份号码", "证件号码"),
    _name("name", "姓名", "人员姓名"),
)
_UNIT = _text("unit_code", "村(社区)代码", "单位代码", "村代码", "村居代码")

SCHEMAS: dict[DatasetKind, tuple[DatasetField, ...]] = {
    DatasetKind.SUBSISTENCE_ALLOWANCE: (
        *_PERSON,
        _UNIT,
        _text("category", "救助类别", "保障类别", required=False),
        _amount("amount", "发放金额", "金额", "保障金额"),
        _date("paid_on", "发放日期", "发放时间"),
    ),
    DatasetKind.PUBLIC_PAYROLL: (
        *_PERSON,
        _text("employer", "工作单位", "单位名称", "供养单位"),
        _text("position", "职务", "岗位", required=False),
    ),
    DatasetKind.VILLAGE_CADRES: (
        *_PERSON,
        _UNIT,
        _text("role", "职务", "职务或关系", "身份"),
        _id("cadre_id_number", "村干部身份证号", "关联村干部身份证号", required=False),
        _text("relation", "与村干部关系", "关系", required=False),
    ),
    DatasetKind.FARM_SUBSIDY: (
        *_PERSON,
        _UNIT,
        _text("subsidy_type", "补贴类型", "补贴项目", "项目名称"),
        _amount("amount", "发放金额", "金额", "补贴金额"),
        _amount("standard_amount", "标准金额", "补贴标准", required=False),
        _date("paid_on", "发放日期", "发放时间"),
    ),
    DatasetKind.DEATH_RECORDS: (
        *_PERSON,
        _date("died_on", "死亡日期", "注销日期"),
    ),
    DatasetKind.BUSINESS_REGISTRY: (
        *_PERSON,
        _text("company", "企业名称", "市场主体名称"),
        _text("credit_code", "统一社会信用代码", "信用代码"),
        _text("role", "身份", "任职", "出资人类型"),
    ),
    DatasetKind.VILLAGE_CONTRACTS: (
        _UNIT,
        _text("contract_no", "合同编号"),
        _text("title", "项目名称", "合同名称"),
        _id("contractor_id_number", "承包人身份证号", "乙方身份证号"),
        _name("contractor_name", "承包人", "承包人姓名", "乙方"),
        _amount("amount", "合同金额", "金额"),
        _date("signed_on", "签订日期", "签订时间"),
    ),
}


def stored_columns(kind: DatasetKind) -> tuple[str, ...]:
    return tuple(column for field in SCHEMAS[kind] for column in field.columns)


def readable_columns(kind: DatasetKind) -> tuple[str, ...]:
    """What a comparison model may read: everything but the ciphertexts."""
    return tuple(c for c in stored_columns(kind) if not c.endswith("_sealed"))
