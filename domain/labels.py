"""The Chinese label of each value the API exposes, as offices write it (DOMAIN.md's terms).

One table for every enum the GraphQL schema declares and for the error codes; an enum added to
the schema without its labels fails tests/unit/domain/test_labels.py. English labels are the
value's name in words, since the identifiers are English already."""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from domain.clues import values as clues
from domain.comparison import values as comparison
from domain.configuration import values as configuration
from domain.deadlines import DeadlineKind, WarningLevel
from domain.documents.values import DocumentKind, SubjectKind
from domain.errors import ErrorCode
from domain.groups.group import GroupKind
from domain.inspectors.inspector import Kinship
from domain.rectification.values import BallotChannel, FeedbackLevel, ItemKind, TaskStatus
from domain.rounds.values import (
    CrossMode,
    Linkage,
    PetitionChannel,
    Phase,
    RoundKind,
    SelectionReason,
    TeamRole,
)
from domain.tenants.tenant import TenantLevel
from domain.tenants.unit import UnitType

_SUPERVISION_STEPS = {
    "SUPERVISION_NOTICE": "督办通知",
    "GUIDANCE": "阶段指导",
    "REMINDER": "提醒",
    "WARNING": "告诫",
    "ACCOUNTABILITY": "问责",
}

LABELS: Mapping[type[StrEnum], Mapping[str, str]] = {
    TenantLevel: {"CITY": "市委巡察机构", "COUNTY": "县（区）委巡察机构"},
    UnitType: {
        "VILLAGE": "村",
        "COMMUNITY": "社区",
        "TOWNSHIP": "乡镇（街道）",
        "DEPARTMENT": "部门",
        "ENTERPRISE": "企业",
        "SCHOOL": "学校",
        "OTHER": "其他",
    },
    RoundKind: {
        "REGULAR": "常规巡察",
        "THEMATIC": "专项巡察",
        "MOBILE": "机动巡察",
        "REVISIT": "巡察“回头看”",
    },
    Linkage: {
        "STANDALONE": "独立巡察",
        "ESCALATED": "提级巡察",
        "LINKED": "联动巡察",
        "JOINT": "联合巡察",
        "CROSS": "交叉巡察",
    },
    Phase: {
        "PLANNED": "已计划",
        "PREPARING": "进驻前准备",
        "STATIONED": "进驻",
        "REPORTED": "巡察报告",
        "FEEDBACK_GIVEN": "反馈",
        "RECTIFYING": "整改",
        "CLOSED": "已结束",
    },
    PetitionChannel: {
        "HOTLINE": "举报电话",
        "MAILBOX": "举报信箱",
        "EMAIL": "电子邮箱",
        "QR_CODE": "码上巡察",
    },
    TeamRole: {"LEADER": "组长", "DEPUTY_LEADER": "副组长", "MEMBER": "成员", "LIAISON": "联络员"},
    CrossMode: {"ROTATION": "推磨式（成建制）", "EXCHANGE": "互派式（半建制）"},
    SelectionReason: {
        "WEAK_AND_LAX": "软弱涣散",
        "HARD_ELECTION": "换届难点",
        "ECONOMICALLY_WEAK": "经济薄弱",
        "CONFLICT_RIDDEN": "矛盾突出",
        "HARD_TO_MANAGE": "管理难点",
    },
    GroupKind: {
        "INSPECTION": "巡察组",
        "SUPERVISORY": "督导组",
        "GUIDANCE": "指导组",
        "EXTENSION": "延伸巡察组",
    },
    WarningLevel: {"DUE_SOON": "临期", "OVERDUE": "超期"},
    DeadlineKind: {"CLUE": "问题线索", "TASK": "整改任务"},
    DocumentKind: {
        "FEEDBACK": "巡察反馈意见",
        "CLUE_TRANSFER": "问题线索移交函",
        "SUPERVISION_LETTER": "督办函",
        "REMINDER_LETTER": "提醒函",
        "INTERVIEW_NOTICE": "约谈通知",
        "RECTIFICATION_LEDGER": "整改台账",
        "RECTIFICATION_REPORT": "整改情况报告（模板）",
    },
    SubjectKind: {"CLUE": "问题线索", "FEEDBACK": "巡察反馈"},
    configuration.ChannelKind: {"WECOM": "企业微信群机器人", "DINGTALK": "钉钉群机器人"},
    FeedbackLevel: {
        "UNIT": "村党组织",
        "TOWNSHIP_COMMITTEE": "乡镇党委",
        "COUNTY_COMMITTEE": "县委",
        "DEPARTMENT": "职能部门",
    },
    Kinship: {
        "SPOUSE": "夫妻关系",
        "LINEAL": "直系血亲",
        "COLLATERAL": "三代以内旁系血亲",
        "IN_LAW": "近姻亲",
    },
    clues.ClueSource: {
        "INTERVIEW": "个别谈话",
        "PETITION": "来信来访",
        "HOTLINE": "举报电话",
        "MAILBOX": "举报信箱",
        "EMAIL": "电子邮箱",
        "QR_CODE": "码上巡察",
        "RECORDS_REVIEW": "查阅资料",
        "FIELD_VISIT": "走访暗访",
        "DATA_COMPARISON": "大数据比对",
        "AUDIT": "巡审",
        "BRIEFING": "进驻前通报",
    },
    clues.ClueStatus: {
        "REGISTERED": "已登记",
        "TRIAGED": "已研判",
        "TRANSFERRED": "已移交",
        "ACCEPTED": "已受理",
        "CONCLUDED": "已办结",
    },
    clues.InformantStatus: {
        "NONE": "未记录",
        "SEALED": "已加密",
        "WITHHELD": "无权查看",
        "ERASED": "已销毁",
    },
    clues.ClueSort: {
        "REGISTERED": "登记时间",
        "DUE_DATE": "办结期限",
        "AMOUNT_INVOLVED": "涉及金额",
        "FUNDS_RECOVERED": "挽回经济损失",
        "CATEGORY": "问题类别",
        "STATUS": "办理状态",
    },
    clues.PriorityClass: {"KEY": "重点关注类", "ATTENTION": "了解关注类", "REFERENCE": "参考类"},
    clues.HandlingBody: {
        "DISCIPLINE_COMMISSION": "纪委监委",
        "ORGANIZATION_DEPARTMENT": "组织部",
        "FUNCTIONAL_DEPARTMENT": "职能部门",
        "TOWNSHIP_COMMITTEE": "乡镇党委",
    },
    clues.Disposition: {
        "INQUIRY": "谈话函询",
        "PRELIMINARY_VERIFICATION": "初步核实",
        "CASE_FILED": "立案审查",
        "SHELVED": "暂存待查",
        "CLOSED_NO_ACTION": "予以了结",
        "ORGANIZATIONAL_ACTION": "组织处理",
    },
    clues.SupervisionStep: _SUPERVISION_STEPS,
    configuration.SupervisionStep: _SUPERVISION_STEPS,
    clues.CorrectableField: {
        "CATEGORY": "问题类别",
        "SUMMARY": "问题摘要",
        "AMOUNT_INVOLVED": "涉及金额",
        "DUE_DATE": "办结期限",
        "PERSONS_DISCIPLINED": "处理人数",
        "FUNDS_RECOVERED": "挽回经济损失",
    },
    configuration.Trigger: {
        "AFTER_TRANSFER": "移交后",
        "BEFORE_DUE": "到期前",
        "AFTER_DUE": "逾期后",
    },
    configuration.DisclosureExemption: {
        "STATE_SECRET": "涉及国家秘密",
        "UNDER_INVESTIGATION": "正在调查",
        "SENSITIVE": "敏感事项",
    },
    ItemKind: {"PROBLEM": "问题清单", "TASK": "任务清单", "RESPONSIBILITY": "责任清单"},
    TaskStatus: {"OPEN": "整改中", "DONE": "已完成", "VERIFIED": "已销号"},
    BallotChannel: {"PAPER": "纸质问卷", "ONLINE": "网上匿名问卷"},
    comparison.DatasetKind: {
        "SUBSISTENCE_ALLOWANCE": "低保/特困人员",
        "PUBLIC_PAYROLL": "财政供养人员",
        "VILLAGE_CADRES": "村“两委”成员及其近亲属",
        "FARM_SUBSIDY": "惠农补贴发放",
        "DEATH_RECORDS": "死亡/户籍注销",
        "BUSINESS_REGISTRY": "工商登记（股东、法定代表人）",
        "VILLAGE_CONTRACTS": "村集体合同及支付",
    },
    comparison.FieldType: {
        "ID_NUMBER": "身份证号",
        "NAME": "姓名",
        "TEXT": "文本",
        "DATE": "日期",
        "AMOUNT": "金额",
    },
    comparison.CandidateStatus: {
        "OPEN": "待研判",
        "DISMISSED": "已排除",
        "PROMOTED": "已转为问题线索",
    },
    comparison.JobStatus: {
        "RUNNING": "比对中",
        "CANCELLING": "正在取消",
        "DONE": "已完成",
        "CANCELLED": "已取消",
        "FAILED": "失败",
    },
    comparison.ComparisonEngine: {"DUCKDB": "内嵌引擎（DuckDB）", "SPARK": "分布式引擎（Spark）"},
    ErrorCode: {
        "UNAUTHENTICATED": "未认证",
        "FORBIDDEN": "无权操作",
        "NOT_FOUND": "未找到",
        "VALIDATION_FAILED": "输入有误",
        "RULE_VIOLATION": "违反业务规则",
        "CONFLICT": "冲突",
        "STALE": "数据尚未更新",
        "LIMIT_EXCEEDED": "超出限制",
    },
}


def label_of(value: StrEnum) -> str:
    """The Chinese label of `value`; KeyError for a value the table lacks."""
    return LABELS[type(value)][value.value]


def english_label_of(value: StrEnum) -> str:
    return value.name.replace("_", " ").capitalize()
