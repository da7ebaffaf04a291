"""What each document says: its title, default main recipient (主送机关) and body, in Chinese,
composed from the facts (domain/documents/facts.py). services/documents/layout.py lays a
`Letter` out after GB/T 9704; this module knows nothing of the file format."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from domain.documents.facts import ClueFacts, FeedbackFacts
from domain.documents.values import DocumentKind, chinese_date, place_of
from domain.rectification.values import FeedbackLevel

_DIGITS = "零一二三四五六七八九"
_PLACES = ("", "十", "百", "千")


class Style(StrEnum):
    BODY = "BODY"  # 正文: 仿宋, first line indented two characters
    HEADING = "HEADING"  # 一、… : 黑体
    SUBHEADING = "SUBHEADING"  # （一）… : 楷体


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: Style = Style.BODY


@dataclass(frozen=True)
class Letter:
    """A document ready for layout: who issues it, its number, title, main recipient, body,
    and the office signing it with its date (成文日期)."""

    issuer: str
    number: str
    title: str
    recipient: str
    body: list[Paragraph]
    issued_on: date

    @property
    def date_line(self) -> str:
        return chinese_date(self.issued_on)


def numeral(n: int) -> str:
    """n in Chinese numerals, as headings count: 一, 十, 十一, 二十三, 一百零五, 一千 (up to
    9999; Arabic digits beyond)."""
    if not 0 < n < 10000:
        return str(n)
    written, gap = "", False
    for place, digit in zip(range(len(str(n)) - 1, -1, -1), map(int, str(n)), strict=True):
        if digit == 0:
            gap = True
            continue
        written += ("零" if gap and written else "") + _DIGITS[digit] + _PLACES[place]
        gap = False
    return written[1:] if written.startswith("一十") else written


def title_of(kind: DocumentKind, subject: ClueFacts | FeedbackFacts) -> str:
    if isinstance(subject, FeedbackFacts):
        if kind is DocumentKind.RECTIFICATION_REPORT:
            return f"{subject.addressee}关于巡察反馈意见整改情况的报告（模板）"
        if kind is DocumentKind.RECTIFICATION_LEDGER:
            return f"{subject.addressee}巡察整改台账"
        return f"关于对{subject.addressee}巡察情况的反馈意见"
    return {
        DocumentKind.CLUE_TRANSFER: "关于移交问题线索的函",
        DocumentKind.SUPERVISION_LETTER: "关于问题线索办理情况的督办函",
        DocumentKind.REMINDER_LETTER: "关于问题线索办理期限的提醒函",
        DocumentKind.INTERVIEW_NOTICE: "关于问题线索逾期未办结的约谈通知",
    }[kind]


def recipient_of(subject: ClueFacts | FeedbackFacts) -> str:
    """The main recipient a document is addressed to unless the office names another: the
    handling body of a clue's receiving office; the Party organisation fed back to."""
    if isinstance(subject, ClueFacts):
        return f"{place_of(subject.receiver)}{subject.handling_body}"
    if subject.level == FeedbackLevel.TOWNSHIP_COMMITTEE.value:
        return f"中共{subject.addressee}委员会"
    if subject.level == FeedbackLevel.COUNTY_COMMITTEE.value:  # addressed as 历下区委
        return f"中共{subject.addressee.removesuffix('委')}委员会"
    return f"{subject.addressee}党组织"


def body_of(kind: DocumentKind, subject: ClueFacts | FeedbackFacts, issuer: str) -> list[Paragraph]:
    if isinstance(subject, ClueFacts):
        return _clue_body(kind, subject, issuer)
    if kind is DocumentKind.RECTIFICATION_REPORT:
        return _report_template(subject, issuer)
    return _feedback(subject, issuer)


def _clue_lines(clue: ClueFacts) -> list[Paragraph]:
    persons = "、".join(f"{role}{name}" for role, name in clue.persons) or "无"
    amount = f"{clue.amount_involved}元" if clue.amount_involved is not None else "未载明"
    found_in = f"在{clue.round_title}中" if clue.round_title else ""
    return [
        Paragraph(f"{clue.registrar}{found_in}发现{clue.unit}的问题线索一件，情况如下："),
        Paragraph(f"线索来源：{clue.source}；问题类别：{clue.category}。"),
        Paragraph(f"问题摘要：{clue.summary}"),
        Paragraph(f"涉及人员：{persons}；涉及金额：{amount}。"),
    ]


def _clue_body(kind: DocumentKind, clue: ClueFacts, issuer: str) -> list[Paragraph]:
    due = chinese_date(clue.due_on)
    transferred = chinese_date(clue.transferred_on)
    if kind is DocumentKind.CLUE_TRANSFER:
        return [
            *_clue_lines(clue),
            Paragraph(
                "按照干部管理权限，现将该问题线索移交你单位办理。请于"
                f"{due}前办结，并将办理结果书面反馈{issuer}。"
            ),
        ]
    opening = Paragraph(
        f"{issuer}于{transferred}移交你单位办理的问题线索（{clue.summary}），限于{due}前办结。"
    )
    if kind is DocumentKind.SUPERVISION_LETTER:
        ask = "目前该线索尚未办结。请你单位加强组织领导，加快办理进度，"
        ask += f"于{due}前办结，并将办理进展书面报送{issuer}。"
    elif kind is DocumentKind.REMINDER_LETTER:
        ask = f"该线索即将到期，特此提醒。请你单位抓紧办理，确保于{due}前办结并书面反馈{issuer}。"
    else:
        final = clue.warning_final_date
        ask = "该线索已逾期未办结。经研究，决定约谈你单位主要负责同志。"
        ask += f"请于{chinese_date(final)}前办结，" if final else "请抓紧办结，"
        ask += f"并就逾期原因和整改措施向{issuer}作出书面说明。"
    return [opening, Paragraph(ask)]


def _feedback(feedback: FeedbackFacts, issuer: str) -> list[Paragraph]:
    body = [
        Paragraph(
            f"根据统一部署，{feedback.organiser}巡察组于{chinese_date(feedback.period_start)}至"
            f"{chinese_date(feedback.period_end)}对{feedback.addressee}开展了"
            f"{feedback.round_kind}（{feedback.round_title}）。现将巡察情况反馈如下。"
        ),
        *[Paragraph(line) for line in feedback.report.splitlines() if line.strip()],
        Paragraph("一、巡察发现的主要问题", Style.HEADING),
    ]
    for n, problem in enumerate(feedback.problems, start=1):
        body.append(Paragraph(f"（{numeral(n)}）{problem.category}方面", Style.SUBHEADING))
        body.append(Paragraph(problem.text))
    body.append(Paragraph("二、整改意见", Style.HEADING))
    for n, problem in enumerate(feedback.problems, start=1):
        for task in problem.tasks:
            who = "、".join(x for x in (task.department, task.leader) if x)
            owner = f"（责任：{who}；时限：{chinese_date(task.due_on)}）"
            body.append(Paragraph(f"针对第{numeral(n)}项问题：{task.measure}{owner}"))
    body.append(
        Paragraph(
            f"请于{chinese_date(feedback.report_due_on)}前将整改情况报告报送{issuer}，"
            "整改台账随文一并报送。"
        )
    )
    return body


def _report_template(feedback: FeedbackFacts, issuer: str) -> list[Paragraph]:
    body = [
        Paragraph(
            f"请{feedback.addressee}按照以下提纲撰写整改情况报告，于"
            f"{chinese_date(feedback.report_due_on)}前报送{issuer}。方括号内为填写说明。"
        ),
        Paragraph("一、整改工作的组织开展情况", Style.HEADING),
        Paragraph("【填写：研究部署、组织领导、责任落实等情况】"),
        Paragraph("二、反馈问题的整改落实情况", Style.HEADING),
    ]
    for n, problem in enumerate(feedback.problems, start=1):
        body.append(Paragraph(f"（{numeral(n)}）关于“{problem.text}”的问题", Style.SUBHEADING))
        for task in problem.tasks:
            body.append(Paragraph(f"整改措施：{task.measure}"))
            body.append(Paragraph("整改进展：【填写：已完成／正在推进，完成时间及佐证材料】"))
    body += [
        Paragraph("三、下一步工作打算", Style.HEADING),
        Paragraph("【填写：巩固整改成果、建立长效机制的措施】"),
    ]
    return body


def letter_of(
    kind: DocumentKind,
    subject: ClueFacts | FeedbackFacts,
    *,
    issuer: str,
    number: str,
    issued_on: date,
    recipient: str | None = None,
) -> Letter:
    """The document of `kind` about `subject`, issued by `issuer` under `number`."""
    return Letter(
        issuer=issuer,
        number=number,
        title=title_of(kind, subject),
        recipient=recipient or recipient_of(subject),
        body=body_of(kind, subject, issuer),
        issued_on=issued_on,
    )
