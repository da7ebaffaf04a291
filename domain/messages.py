"""Refusals in Chinese: a sentence for each rule (`RuleViolation.rule`) and a generic one for
each error code, for errors no rule names.

A sentence names its values with the refusal's details (`{field}`, `{unit_id}`, …); the English
message, which quotes every value, is always kept beside it. A rule added without its sentence
fails tests/unit/domain/test_messages.py."""

from __future__ import annotations

from collections.abc import Mapping

from domain.errors import ErrorCode, XunChaError

ERROR_MESSAGES_ZH: Mapping[ErrorCode, str] = {
    ErrorCode.UNAUTHENTICATED: "未认证：请提供有效的访问令牌",
    ErrorCode.FORBIDDEN: "无权执行此操作",
    ErrorCode.NOT_FOUND: "未找到该对象，或无权查看",
    ErrorCode.VALIDATION_FAILED: "输入有误，请检查后重新提交",
    ErrorCode.RULE_VIOLATION: "该操作违反业务规则，未予执行",
    ErrorCode.CONFLICT: "与已有记录冲突，未予执行",
    ErrorCode.STALE: "数据尚未更新到所需位置，请稍后重试",
    ErrorCode.LIMIT_EXCEEDED: "超出限制，请缩小请求范围",
}

RULE_MESSAGES_ZH: Mapping[str, str] = {
    # dates of documents
    "OCCURRED_ON_IN_FUTURE": "{field} {on} 晚于今天（{today}）：文书日期不能晚于录入当日",
    "OCCURRED_ON_BEFORE_START": "{field} {on} 早于该事项开始的日期 {began}",
    "OCCURRED_ON_BEFORE_PREVIOUS_STEP": "{field} {on} 早于该事项上一环节的日期 {previous}",
    # views as recorded at a past moment (asOf)
    "AS_OF_IN_FUTURE": "{field} 所指时刻晚于当前时间：只能查看已经记录的时刻",
    "AS_OF_BEFORE_FIRST_EVENT": "{field} 所指时刻早于第一条事件的记录时间：那时尚无任何记录",
    # accounts of the web app
    "ACCOUNT_LOCKED": "连续多次登录失败，账号已锁定至 {until}（UTC），请稍后再试或联系管理员",
    "PASSWORD_CHANGE_REQUIRED": "首次登录前须修改初始密码",
    "SIGN_IN_REFUSED": "用户名或密码错误",
    # offices and units
    "TENANT_PARENT_LEVEL": "上级机构不符合层级：县级机构隶属于市级机构，市级机构无上级",
    "TENANT_NOT_COUNTY": "只有县级巡察机构可以进行此项变更",
    "TENANT_MERGED": "该机构已合并至其他机构，不再管辖被巡察单位",
    "TENANT_NAME_UNCHANGED": "机构名称未变化",
    "COUNTY_MERGE_SELF": "县区不能合并到自身",
    "COUNTY_MERGE_OTHER_CITY": "两个县区隶属不同的市，不能合并",
    "COUNTY_MERGE_CODE_CLASH": "两个县区存在编码相同的单位（{code}），请先修改其中一个的编码",
    "UNIT_PARENT_TENANT": "上级单位属于其他巡察机构",
    "UNIT_PARENT_TYPE": "该类型单位的上级单位类型不符",
    "UNIT_PARENT_SELF": "单位不能以自身为上级",
    "UNIT_PARENT_UNCHANGED": "上级单位未变化",
    "UNIT_OWNER_UNCHANGED": "单位所属机构未变化",
    "UNIT_NAME_UNCHANGED": "单位名称未变化",
    "UNIT_TYPE_UNCHANGED": "单位类型未变化",
    "UNIT_CLASSES_UNCHANGED": "单位分类在该日期已是所填分类",
    # configuration
    "CONFIGURATION_NOT_RETROACTIVE": "配置不能追溯生效：生效日期不能早于今天，已有记录沿用原规则",
    "CHECKLIST_CLASS_UNDEFINED": "生效日期时尚未定义该单位分类",
    "TERM_OVERLAP": "届期与已有届期重叠",
    "CALENDAR_YEAR_MISMATCH": "日程安排的年份与该年度日历不符",
    "CALENDAR_YEAR_UNCHANGED": "该年度日历已是此安排",
    # rounds
    "ROUND_CLOSED": "巡察轮次已结束",
    "ROUND_TARGET_OCCUPIED": (
        "单位（{unit_id}）已是进行中轮次（{round_id}）的巡察对象，只有“回头看”可以重叠"
    ),
    "ROUND_PHASE_ORDER": "巡察轮次当前阶段（{phase}）不能转入所请求的阶段",
    "ROUND_PHASE_DATE": "阶段日期（{field}）早于上一阶段的日期",
    "ROUND_CHANNEL_ALREADY_OPEN": "该信访举报渠道已开通",
    "ROUND_CHANNEL_NOT_OPEN": "该信访举报渠道未开通",
    "ROUND_CHANNEL_DATE": "渠道关闭日期不能早于开通日期",
    "ROUND_REVISIT_SCOPE": "“回头看”所针对的轮次属于其他市",
    "ROUND_REVISIT_EARLIER": "“回头看”须晚于其所回看的轮次",
    "ROUND_STANDALONE_TARGETS": "独立巡察只巡察组织方自己的单位；单位（{unit_id}）属于其他机构",
    "ROUND_ESCALATED_ORGANISER": "提级巡察须由市级巡察机构组织",
    "ROUND_ESCALATED_TARGETS": "提级巡察的对象须是本市所辖县区的单位；单位（{unit_id}）不是",
    "ROUND_JOINT_ORGANISER": "联合巡察须由市级巡察机构组织",
    "ROUND_JOINT_CO_ORGANISERS": "联合巡察由市及其所辖一个或多个县区共同组织",
    "ROUND_JOINT_TARGETS": "联合巡察的对象须属于各联合组织方；单位（{unit_id}）不是",
    "ROUND_LINKED_PARENT_ORGANISER": "联动巡察的上级轮次须由市级巡察机构组织",
    "ROUND_LINKED_PARENT_TARGETS": (
        "联动巡察上级轮次的对象须是本市所辖县区的单位；单位（{unit_id}）不是"
    ),
    "ROUND_LINKED_PARENT": (
        "所选轮次不能作为上级轮次：上级轮次须是市级的联动或提级巡察，且本身不是下级轮次"
    ),
    "ROUND_LINKED_ORGANISER": "联动巡察的下级轮次须由上级轮次所在市的县区组织",
    "ROUND_LINKED_PERIOD": "联动巡察的下级轮次须在上级轮次的期间内进行",
    "ROUND_LINKED_TARGETS": "联动巡察下级轮次只巡察本县区的单位；单位（{unit_id}）属于其他机构",
    "ROUND_CROSS_AUTHORISER": "交叉巡察须由市级巡察机构授权",
    "ROUND_CROSS_SAME_COUNTY": "交叉巡察中县区不巡察自身：巡察方与被巡察方不能是同一县区",
    "ROUND_CROSS_COUNTIES": "交叉巡察的县区须属于授权的市",
    "ROUND_CROSS_TARGETS": "交叉巡察的对象须属于被巡察县区；单位（{unit_id}）不是",
    "CROSS_BATCH_TOO_FEW_COUNTIES": "县区数量（{counties}）不足，无法生成有效的交叉巡察安排",
    "CROSS_BATCH_SELF_INSPECTION": "按此轮换间隔，县区将巡察自身",
    "CROSS_BATCH_MUTUAL_INSPECTION": "按此轮换间隔，两个县区将互相巡察",
    # teams and recusal
    "TEAM_ALREADY_ASSIGNED": "该巡察干部（{inspector_id}）已在本轮巡察组中",
    "TEAM_SIZE": "巡察组人数超过上限",
    "TEAM_ONE_LEADER": "本轮巡察已有组长",
    "TEAM_HOME_OFFICE": "该巡察干部（{inspector_id}）所在机构不负责此岗位的人员派出",
    "RECUSAL_DECLARED_CONFLICT": (
        "公务回避：巡察干部（{inspector_id}）已声明对单位（{unit_id}）回避"
    ),
    "RECUSAL_POST": "任职回避：巡察干部（{inspector_id}）三年内曾在单位（{unit_id}）任职",
    "RECUSAL_HOME_AREA": "地域回避：单位（{unit_id}）在巡察干部（{inspector_id}）的原籍或工作地",
    "RECUSAL_KINSHIP": (
        "亲属回避：巡察干部（{inspector_id}）与单位（{unit_id}）领导班子成员有亲属关系"
    ),
    "RECUSAL_UNIT_NOT_TARGET": "单位（{unit_id}）不是本轮巡察的对象",
    "RECUSAL_ALREADY_DECLARED": "巡察干部（{inspector_id}）已声明对单位（{unit_id}）回避",
    # clues
    "CLUE_ROUND_CLOSED": "巡察轮次（{round_id}）已结束，不能登记问题线索",
    "CLUE_UNIT_NOT_A_TARGET": "单位（{unit_id}）不是巡察轮次（{round_id}）的对象",
    "CLUE_REGISTRAR_NOT_IN_ROUND": "登记机构未参与巡察轮次（{round_id}）",
    "CLUE_UNIT_OUT_OF_SCOPE": "该单位不在登记机构的巡察范围内",
    "CLUE_CATEGORY_NOT_IN_CHECKLIST": "问题类别不在现行巡察清单中",
    "CLUE_HAS_NO_INFORMANT": "该问题线索未记录举报人身份",
    "CLUE_INFORMANT_ALREADY_ERASED": "该问题线索的举报人身份已销毁",
    "CLUE_ALREADY_CONCLUDED": "问题线索已办结，不能再进行此操作",
    "CLUE_TRIAGE_AFTER_TRANSFER": "问题线索已移交：研判在移交前进行，移交后只能更正",
    "CLUE_TRANSFER_BEFORE_TRIAGE": "问题线索须先研判分类，再移交",
    "CLUE_ALREADY_TRANSFERRED_TO_BODY": "问题线索已移交给该办理机关",
    "CLUE_RECEIVER_OUT_OF_SCOPE": "接收机构不在本市范围内：问题线索只在本市内移交",
    "CLUE_ACCEPT_BEFORE_TRANSFER": "问题线索尚未移交，不能受理",
    "CLUE_PROGRESS_BEFORE_TRANSFER": "问题线索尚未移交，不能报告办理进展",
    "CLUE_CONCLUDE_BEFORE_TRANSFER": "问题线索尚未移交，不能办结",
    "CLUE_SUPERVISION_BEFORE_TRANSFER": "问题线索尚未移交，不能督办",
    "CLUE_ALREADY_ACCEPTED": "问题线索已被办理机关受理",
    "CLUE_PROGRESS_BEFORE_ACCEPTANCE": "问题线索尚未受理，不能报告办理进展",
    "CLUE_CONCLUDE_BEFORE_ACCEPTANCE": "问题线索尚未受理，不能办结",
    "CLUE_CORRECTION_FIELD_NOT_SET": "该字段尚无可更正的值",
    "CLUE_CORRECTION_NO_CHANGE": "更正后的值与原值相同",
    "CLUE_SUPERVISION_STEP_NOT_FORWARD": "督办只能按顺序向前推进",
    "CLUE_REMINDER_AFTER_DUE_DATE": "提醒在办结期限前发出；该线索已逾期，下一步应为告诫",
    "CLUE_WARNING_BEFORE_DUE_DATE": "告诫在办结期限之后发出，期限尚未届满",
    "CLUE_ACCOUNTABILITY_WITHOUT_WARNING": "问题线索尚未告诫，问责须在告诫之后",
    "CLUE_ACCOUNTABILITY_BEFORE_FINAL_DATE": "告诫确定的最后期限尚未届满，不能问责",
    # feedback and rectification
    "FEEDBACK_ALREADY_RECORDED": "本轮巡察已向该单位反馈",
    "FEEDBACK_UNIT_NOT_A_TARGET": "单位（{unit_id}）不是本轮巡察的对象",
    "FEEDBACK_BEFORE_ROUND": "反馈日期（{field}）早于巡察轮次开始日期",
    "FEEDBACK_PROBLEM_REFERS_TO_ITEM": "问题清单条目是整改链条的起点，不应指向其他条目",
    "FEEDBACK_TASK_NEEDS_PROBLEM": "任务清单条目须指向本次反馈中的一个问题",
    "FEEDBACK_RESPONSIBILITY_NEEDS_TASK": "责任清单条目须指向本次反馈中的一项任务",
    "FEEDBACK_ONE_RESPONSIBILITY_PER_TASK": "每项任务只能有一条责任清单条目",
    "FEEDBACK_PROBLEM_WITHOUT_TASK": "问题清单中的问题尚无整改措施",
    "RECTIFICATION_DEADLINE_BEFORE_FEEDBACK": "整改期限早于反馈日期",
    "RECTIFICATION_DEADLINE_BEYOND_ONE_YEAR": "整改期限超过反馈后一年",
    "TASK_FROM_TASK_ITEM": "只有任务清单条目才能成为整改任务",
    "TASK_ALREADY_DONE": "整改任务已报告完成",
    "TASK_DONE_BEFORE_FEEDBACK": "完成日期（{field}）早于反馈日期",
    "TASK_VERIFIED_BEFORE_DONE": "整改任务尚未报告完成，不能对账销号",
    "TASK_ALREADY_VERIFIED": "整改任务已对账销号",
    "TASK_VERIFICATION_DATED_BEFORE_DONE": "销号日期（{field}）早于完成日期",
    "BALLOTS_ON_UNVERIFIED_TASK": "整改任务销号后才能开展满意度测评",
    "BALLOT_COUNT_NEGATIVE": "测评票数不能为负数",
    "BALLOTS_EMPTY": "回访至少记录一张测评票",
    "BALLOTS_BEFORE_VERIFICATION": "回访日期（{field}）早于销号日期",
    # audit
    "AUDIT_SEAL_SIGNED": "审计封存已签署，不能再更改",
    "AUDIT_SEAL_COUNT": "审计封存的事件流数量与开启时不符",
    "AUDIT_EVENT_UNREADABLE": "事件已无法解码，请运行审计校验（xuncha audit verify）",
    "AUDIT_TRAIL_BROKEN": "审计链存在问题，请先核查再封存",
    # inspection groups, cross inspection inside an office, zones, guidance visits
    "CROSS_GROUP_HOME_TOWNSHIP": "该巡察组并非来自所指定的乡镇（{unit_id}）",
    "CROSS_GROUP_KIND": "该组不是本机构的巡察组或延伸巡察组，不能参与交叉巡察",
    "CROSS_HOME_TOWNSHIP": "巡察组不能巡察本组所在的乡镇",
    "CROSS_ROUND_STAFFED": "该轮巡察已配备巡察组",
    "CROSS_ROUND_STATE": "只有处于计划阶段、巡察本机构所属单位的轮次才能安排乡镇交叉巡察",
    "CROSS_SUPERVISORY_GROUP": "所指定的组不是本机构的督导组",
    "CROSS_TARGET_TOWNSHIP": "单位（{unit_id}）不属于被巡察的乡镇",
    "RECUSAL_HOME_TOWNSHIP": "地域回避：巡察干部（{inspector_id}）不能巡察其所在的乡镇",
    "TEAM_GROUP": "巡察干部（{inspector_id}）不是承担该职务的巡察组成员",
    "GROUP_HOME_TOWNSHIP": "巡察组所在乡镇须为本机构的乡镇，单位（{unit_id}）不是",
    "GROUP_MEMBER_OFFICE": "巡察干部（{inspector_id}）不是本机构的干部",
    "GROUP_UNCHANGED": "巡察组成员未发生变化",
    "VISIT_GROUP_KIND": "只有指导组和督导组可以记录蹲点指导",
    "VISIT_PERIOD": "蹲点指导的日期须在该轮巡察期间之内",
    "VISIT_ROUND_SCOPE": "该组所属机构未参与此轮巡察",
    "VISIT_UNIT_NOT_TARGET": "单位（{unit_id}）不是此轮巡察的对象",
    "ZONE_MEMBER": "片区只能由同一机构下属的乡镇或县（区）组成",
    "ZONE_OFFICE": "该片区属于其他机构",
    "ZONE_OUTSIDE": "有成员不在该片区之内",
    # four-level feedback and common problems
    "FEEDBACK_COUNTY_COMMITTEE_IS_AN_OFFICE": "向县委反馈，须以县（区）巡察机构为对象",
    "FEEDBACK_NOT_ADDRESSABLE_AT_COUNTY_COMMITTEE": "该对象不能作为县委层级的反馈对象",
    "FEEDBACK_OWNER_ON_PROBLEM_ONLY": "整改任务和责任清单沿用其问题的整改责任主体，不能另行指定",
    "FEEDBACK_PROBLEM_OWNER_UNRESOLVED": "问题须同时写明整改责任主体的层级和对象",
    "COMMON_PROBLEM_ALREADY_GROUPED": "该面上共性问题已经登记",
    "COMMON_PROBLEM_BEFORE_FEEDBACK": "面上共性问题的反馈日期不能早于其所归集问题的反馈日期",
    "COMMON_PROBLEM_LEVEL": "面上共性问题只能反馈给职能部门或县委",
    "COMMON_PROBLEM_NEEDS_UNITS": "面上共性问题须归集至少两个单位的问题",
    "COMMON_PROBLEM_NO_TERM": "所述日期不在本机构任何一届任期之内，请指明巡察轮次",
    "COMMON_PROBLEM_OUTSIDE_SCOPE": "所归集的问题不在该轮次（或任期）之内",
    "COMMON_PROBLEM_WITHOUT_TASK": "面上共性问题须至少有一项整改任务",
    # official documents (公文)
    "DOCUMENT_SUBJECT_KIND": (
        "公文种类与所给对象不符：移交函和督办类文书针对问题线索，"
        "反馈意见、整改台账和整改报告模板针对巡察反馈"
    ),
    "DOCUMENT_CLUE_NOT_TRANSFERRED": "该问题线索尚未移交，不能制发移交函或督办类文书",
    "DOCUMENT_LADDER_STEP_NOT_REACHED": (
        "该问题线索移交后尚未进入该文书所属的督办环节（督办函：督办通知；提醒函：提醒；"
        "约谈通知：告诫），不能制发该文书"
    ),
    "DOCUMENT_YEAR": "成文日期不在该年度的发文登记范围内",
    "DOCUMENT_DATE_BEFORE_PREVIOUS": (
        "成文日期 {on} 早于本机构上一份公文的成文日期 {previous}，发文字号须按日期顺序编排"
    ),
    # data comparison
    "DATASET_DELETED": "该比对数据集已删除",
    "COMPARISON_DATASET_MISSING": "该模型所需的数据集尚未登记",
    "CANDIDATE_TRIAGED": "该疑点已研判，不能再次处理",
    "MODEL_SINGLE_SELECT": "比对模型只能是一条只读的 SELECT 查询语句",
    "MODEL_UNKNOWN_TABLE": "比对模型只能查询本机构的数据集",
    "MODEL_UNKNOWN_FUNCTION": "比对模型只能调用两种引擎都支持的 SQL 函数",
    "MODEL_OUTPUT_COLUMNS": (
        "比对模型的查询须输出 unit_code 和 match_key 列，且每列只出现一次、不用 *"
    ),
    "MODEL_TEMPLATE_COLUMNS": "疑点说明模板引用了查询未输出的列",
}


def message_zh(error: XunChaError) -> str:
    """`error` in Chinese: its rule's sentence with the values its details give, or its code's
    generic sentence when no rule names it, or a value the sentence names is missing."""
    template = RULE_MESSAGES_ZH.get(str(error.details.get("rule")))
    if template is not None:
        try:
            return template.format_map(error.details)
        except KeyError:
            pass
    return ERROR_MESSAGES_ZH[error.code]
