"""What a round's team finds in one unit, and what follows: the clues with their whole
lifecycle (triage, transfer with a due date in working days, acceptance, progress,
conclusion; some slip, get supervised, or stay overdue), and the feedback with its tasks
(done, verified, revisited with ballots). Each is one chunk per (round, unit), drawn from
its own random source; steps dated after the horizon do not happen."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from uuid import UUID, uuid5

from domain.clues.values import (
    ClueSource,
    Disposition,
    HandlingBody,
    PersonConcerned,
    PriorityClass,
    SupervisionStep,
)
from domain.context import acting_as
from domain.rectification.feedback import feedback_id_for, item_id_for
from domain.rectification.values import BallotChannel, ItemDraft, ItemKind
from services.simulation.plan import Office, UnitSpec, poisson_like
from services.simulation.profiles import HORIZON, Profile
from services.simulation.simulated import Simulated

MAX_CLUE_EVENTS = 10  # registered … concluded, with the whole supervision ladder
MAX_TASK_EVENTS = 4  # assigned, done, verified, ballots

# (category, what was found, role of the person concerned, amount involved in CNY or None)
FINDINGS = (
    ("三资管理", "村集体土地流转收入未入账", "村党支部书记", 120000),
    ("惠农政策落实", "低保资格审核把关不严，优亲厚友", "村委会主任", 36000),
    ("工程项目", "村道硬化工程未经招标直接发包", "村党支部书记", 480000),
    ("作风问题", "村干部长期不在岗，群众办事难", "村委委员", None),
    ("党组织建设", "党员大会长期未召开，三会一课流于形式", "村党支部书记", None),
    ("三资管理", "集体资产出租合同到期未续，租金流失", "村会计", 58000),
    ("惠农政策落实", "耕地地力保护补贴冒领", "村民小组长", 12000),
    ("工程项目", "项目验收资料缺失，存在虚报工程量", "项目负责人", 210000),
    ("作风问题", "违规收受礼品礼金", "单位负责人", 8000),
    ("党组织建设", "发展党员程序不规范", "党支部书记", None),
)
BODIES = {
    "三资管理": HandlingBody.TOWNSHIP_COMMITTEE,
    "惠农政策落实": HandlingBody.FUNCTIONAL_DEPARTMENT,
    "工程项目": HandlingBody.DISCIPLINE_COMMISSION,
    "作风问题": HandlingBody.DISCIPLINE_COMMISSION,
    "党组织建设": HandlingBody.ORGANIZATION_DEPARTMENT,
}
FATES = (
    ("on_time", 0.72),
    ("late", 0.08),
    ("stalled", 0.07),
    ("unaccepted", 0.04),
    ("accepted", 0.03),
    ("triaged", 0.03),
    ("registered", 0.03),
)


@dataclass(frozen=True)
class Visit:
    """One unit a round inspects: who registers and gives feedback (the field office), who
    owns the unit (and handles its clues), the round's days."""

    round_id: UUID
    unit: UnitSpec
    field_office: Office
    stationed_on: date
    stationing_days: int
    feedback_on: date


def clue_id_for(visit: Visit, index: int) -> UUID:
    return uuid5(visit.round_id, f"clue:{visit.unit.id}:{index}")


def clue_count(rng: random.Random, mean: float, high: int) -> int:
    """How many clues a unit yields: the first draw of its chunk's random source."""
    return poisson_like(rng, mean, 1, high)


def problem_count(rng: random.Random, profile: Profile) -> int:
    """How many problems the feedback lists: the first draw of its chunk's random source."""
    return poisson_like(rng, profile.mean_problems, 1, profile.max_problems)


class StepsUntilHorizon:
    """Says no once a step falls after the horizon."""

    def on(self, day: date) -> bool:
        return day <= HORIZON


def find_clues(sim: Simulated, visit: Visit, rng: random.Random, count: int) -> None:
    steps = StepsUntilHorizon()
    for index in range(count):
        category, summary, role, amount = FINDINGS[rng.randrange(len(FINDINGS))]
        fate = rng.choices([f for f, _ in FATES], [w for _, w in FATES])[0]
        registered = visit.stationed_on + timedelta(days=rng.randrange(visit.stationing_days))
        if not steps.on(registered):
            continue
        source = rng.choice(list(ClueSource))
        with acting_as(visit.field_office.actor):
            clue_id = sim.clues.register_clue(
                tenant_id=visit.field_office.id,
                unit_id=visit.unit.id,
                round_id=visit.round_id,
                source=source,
                category=category,
                summary=f"{visit.unit.name}{summary}",
                persons_concerned=[PersonConcerned(role=role, name=f"{role}{index + 1}号")],
                amount_involved=Decimal(amount * (1 + rng.randrange(5))) if amount else None,
                occurred_on=registered,
                acting=visit.field_office.acting,
                clue_id=clue_id_for(visit, index),
            ).id
        if fate != "registered":
            _handle(sim, visit, clue_id, fate, category, registered, rng, steps)


def _handle(
    sim: Simulated,
    visit: Visit,
    clue_id: UUID,
    fate: str,
    category: str,
    day: date,
    rng: random.Random,
    steps: StepsUntilHorizon,
) -> None:
    registrar, owner = visit.field_office, visit.unit.owner
    day += timedelta(days=rng.randint(2, 10))
    if not steps.on(day):
        return
    priority = rng.choice(list(PriorityClass))
    with acting_as(registrar.actor):
        sim.clues.triage_clue(
            clue_id,
            priority=priority,
            proposed_route="移交处置",
            occurred_on=day,
            acting=registrar.acting,
        )
    day += timedelta(days=rng.randint(3, 15))
    if fate == "triaged" or not steps.on(day):
        return
    with acting_as(registrar.actor):
        sim.clues.transfer_clue(
            clue_id,
            body=BODIES[category],
            receiving_tenant_id=owner.id,
            working_days=rng.choice((20, 30, 60)),
            occurred_on=day,
            acting=registrar.acting,
        )
    due = sim.clues.clue(clue_id).due_date(sim.clues.calendar.calendar_for(day)) or day
    if fate == "unaccepted":
        _supervise(sim, visit, clue_id, [(SupervisionStep.SUPERVISION_NOTICE, day + timedelta(15))])
        return
    day += timedelta(days=rng.randint(1, 7))
    if not steps.on(day):
        return
    with acting_as(owner.actor):
        sim.clues.accept_clue(clue_id, occurred_on=day, acting=owner.acting)
    day += timedelta(days=rng.randint(10, 40))
    if steps.on(day):
        with acting_as(owner.actor):
            sim.clues.report_clue_progress(
                clue_id, progress="已开展初步核实", occurred_on=day, acting=owner.acting
            )
    _conclude_by_fate(sim, visit, clue_id, fate, day, due, rng, steps)


def _conclude_by_fate(
    sim: Simulated,
    visit: Visit,
    clue_id: UUID,
    fate: str,
    day: date,
    due: date,
    rng: random.Random,
    steps: StepsUntilHorizon,
) -> None:
    notice = day + timedelta(days=3)
    ladder: list[tuple[SupervisionStep, date]] = []
    if fate in ("late", "stalled"):
        ladder.append((SupervisionStep.SUPERVISION_NOTICE, notice))
        if fate == "stalled":
            ladder.append((SupervisionStep.GUIDANCE, notice + timedelta(days=5)))
        elif notice + timedelta(days=1) <= due:
            ladder.append(
                (SupervisionStep.REMINDER, max(notice + timedelta(1), due - timedelta(3)))
            )
        ladder.append((SupervisionStep.WARNING, max(due, ladder[-1][1]) + timedelta(days=5)))
        if fate == "stalled" and rng.random() < 0.5:
            ladder.append((SupervisionStep.ACCOUNTABILITY, ladder[-1][1] + timedelta(days=40)))
    if not _supervise(sim, visit, clue_id, ladder):
        return
    if fate == "on_time":
        concluded = day + timedelta(days=rng.randint(5, 30))
    elif fate == "late":
        concluded = ladder[-1][1] + timedelta(days=rng.randint(5, 25))
    else:
        return
    if not steps.on(concluded):
        return
    owner = visit.unit.owner
    with acting_as(owner.actor):
        sim.clues.conclude_clue(
            clue_id,
            disposition=rng.choice(list(Disposition)),
            persons_disciplined=rng.choice((0, 0, 1, 1, 2, 3)),
            funds_recovered=Decimal(rng.randrange(0, 50) * 1000),
            closed_in_ledger=rng.random() < 0.9,
            occurred_on=concluded,
            acting=owner.acting,
        )


def _supervise(
    sim: Simulated, visit: Visit, clue_id: UUID, ladder: list[tuple[SupervisionStep, date]]
) -> bool:
    """Climb the ladder; False when a step fell after the horizon."""
    registrar = visit.field_office
    for step, day in ladder:
        if day > HORIZON:
            return False
        final = day + timedelta(days=25) if step is SupervisionStep.WARNING else None
        with acting_as(registrar.actor):
            sim.clues.supervise_clue(
                clue_id,
                step=step,
                final_date=final,
                note="督办",
                occurred_on=day,
                acting=registrar.acting,
            )
    return True


# -- feedback and rectification ----------------------------------------------------------------


def feedback_id(visit: Visit) -> UUID:
    return feedback_id_for(visit.round_id, visit.unit.id)


def give_feedback(sim: Simulated, visit: Visit, rng: random.Random, problems: int) -> None:
    if visit.feedback_on > HORIZON:
        return
    office, given = visit.field_office, visit.feedback_on
    items: list[ItemDraft] = []
    immediate: set[int] = set()
    for i in range(problems):
        category, found, role, _ = FINDINGS[rng.randrange(len(FINDINGS))]
        now = rng.random() < 0.1
        if now:
            immediate.add(i)
        items += [
            ItemDraft(ItemKind.PROBLEM, f"P{i}", f"{found}（第{i + 1}项）", category=category),
            ItemDraft(
                ItemKind.TASK,
                f"T{i}",
                f"针对“{found}”建立台账、限期整改",
                refers_to=f"P{i}",
                immediate=now,
                evidence="现场整改照片及台账" if now else None,
            ),
            ItemDraft(
                ItemKind.RESPONSIBILITY,
                f"R{i}",
                "落实整改责任",
                refers_to=f"T{i}",
                responsible_leader=role,
                responsible_department=f"{visit.unit.name}党组织",
                deadline=given + timedelta(days=rng.randint(60, 180)),
            ),
        ]
    with acting_as(office.actor):
        sim.rectification.record_feedback(
            acting=office.acting,
            round_id=visit.round_id,
            unit_id=visit.unit.id,
            report=f"关于对{visit.unit.name}巡察情况的反馈意见",
            items=items,
            given_on=given,
        )
    fid = feedback_id(visit)
    for i in range(problems):
        _rectify(sim, visit, item_id_for(fid, f"T{i}"), i in immediate, rng)


def _rectify(
    sim: Simulated, visit: Visit, task_id: UUID, immediate: bool, rng: random.Random
) -> None:
    office, owner = visit.field_office, visit.unit.owner
    roll = rng.random()
    done = visit.feedback_on
    if not immediate:
        if roll < 0.14:
            return  # still open
        done += timedelta(days=rng.randint(20, 150))
        if done > HORIZON:
            return
        with acting_as(owner.actor):
            sim.rectification.report_task_done(
                acting=owner.acting, task_id=task_id, evidence="整改报告及佐证材料", done_on=done
            )
        if roll < 0.22:
            return  # done, awaiting verification
    verified = done + timedelta(days=rng.randint(3, 30))
    if verified > HORIZON:
        return
    with acting_as(office.actor):
        sim.rectification.verify_task(acting=office.acting, task_id=task_id, verified_on=verified)
    held = verified + timedelta(days=rng.randint(10, 60))
    if rng.random() > 0.3 or held > HORIZON:
        return
    with acting_as(office.actor):
        sim.rectification.record_satisfaction_ballots(
            acting=office.acting,
            task_id=task_id,
            satisfied=rng.randint(5, 40),
            basically_satisfied=rng.randint(0, 10),
            dissatisfied=rng.randint(0, 4),
            channel=rng.choice(list(BallotChannel)),
            held_on=held,
        )
