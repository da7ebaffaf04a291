"""One valid input per mutation of the authorization matrix, aimed at a target county: the
write would succeed for a caller with the right, so a refusal can only be about rights.

Each builder makes what its write needs through the services (tests/support/matrix_world.py):
a new task, clue, round or inspector of the target county, or new codes and names. An input
is used until a write with it succeeds (refusals write nothing), then built anew, so no
allowed write is tried twice on the same object."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any
from uuid import uuid4

from tests.support import matrix_groups
from tests.support.matrix_world import CODES, NAMES, PARENT, World

Input = dict[str, Any]


def _county(world: World, county: str) -> Input:
    """Register a county of the target's city."""
    n = world.n()
    city = PARENT[county]
    return {
        "code": f"{CODES[city]}-R{n}",
        "name": f"{NAMES[city]}辖县{n}",
        "level": "COUNTY",
        "parentId": world.ids[city],
    }


def _unit(world: World, county: str) -> Input:
    n = world.n()
    return {
        "tenantId": world.ids[county],
        "code": f"{CODES[county]}-U{n}",
        "name": f"{NAMES[county]}登记村{n}",
        "unitType": "VILLAGE",
    }


def _rename(world: World, county: str) -> Input:
    return {
        "countyId": world.ids[county],
        "name": f"{NAMES[county]}·{world.n()}",
        "effectiveOn": world.today.isoformat(),
        "reason": "行政区划调整",
    }


def _merge(world: World, county: str) -> Input:
    """A new, empty county of the target's city merges into the target."""
    return {
        "countyId": str(world.county(PARENT[county])),
        "intoId": world.ids[county],
        "effectiveOn": world.today.isoformat(),
        "reason": "撤并",
    }


def _later(world: World) -> str:
    """A day far enough ahead that today's rules (categories, time limits) stay as they are."""
    return (world.today + timedelta(days=3650 + world.n())).isoformat()


def _unit_classes(world: World, county: str) -> Input:
    classes = [{"code": "WEAK", "name": "软弱涣散村"}]
    return {"tenantId": world.ids[county], "effectiveFrom": _later(world), "classes": classes}


def _checklist(world: World, county: str) -> Input:
    aspects = [{"name": "作风问题"}, {"name": "三资管理"}]
    return {"tenantId": world.ids[county], "effectiveFrom": _later(world), "aspects": aspects}


def _practice(world: World, county: str) -> Input:
    return {
        "tenantId": world.ids[county],
        "effectiveFrom": _later(world),
        "transferDueWorkingDays": 20,
    }


def _term(world: World, county: str) -> Input:
    start = 2100 + 10 * world.n()  # terms of one office never overlap
    return {
        "tenantId": world.ids[county],
        "name": f"第{start}届",
        "startsOn": f"{start}-01-01",
        "endsOn": f"{start + 4}-12-31",
    }


def _warning_channel(world: World, county: str) -> Input:
    key = f"matrix-{world.n()}"
    return {
        "tenantId": world.ids[county],
        "kind": "WECOM",
        "url": f"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key={key}",
    }


def _plan_round(world: World, county: str) -> Input:
    return {
        "tenantId": world.ids[county],
        "kind": "REGULAR",
        "linkage": "STANDALONE",
        "title": "矩阵巡察",
        "periodStart": world.period.start.isoformat(),
        "periodEnd": world.period.end.isoformat(),
        "targetUnitIds": [str(world.unit(county))],
    }


def _cross_batch(world: World, county: str) -> Input:
    """The target county and a new county of its city inspect each other (EXCHANGE)."""
    city = PARENT[county]
    partner = world.county(city)
    return {
        "cityId": world.ids[city],
        "mode": "EXCHANGE",
        "kind": "REGULAR",
        "title": "交叉巡察",
        "periodStart": world.period.start.isoformat(),
        "periodEnd": world.period.end.isoformat(),
        "counties": [
            {"countyId": world.ids[county], "targetUnitIds": [str(world.unit(county))]},
            {"countyId": str(partner), "targetUnitIds": [str(world.unit(city, owner=partner))]},
        ],
    }


def _assign(world: World, county: str) -> Input:
    return {
        "roundId": world.ids[f"{county}.round"],
        "inspectorId": str(world.inspector(county)),
        "role": "MEMBER",
    }


def _recusal(world: World, county: str) -> Input:
    return {
        "roundId": world.ids[f"{county}.round"],
        "inspectorId": str(world.inspector(county)),
        "unitId": world.ids[f"{county}.unit"],
        "reason": "近亲属在该村任职",
        "declaredOn": world.period.start.isoformat(),
    }


def _advance(world: World, county: str) -> Input:
    round_id, _ = world.round(county)
    return {"roundId": str(round_id), "phase": "PREPARING", "on": world.period.start.isoformat()}


def _open_channel(world: World, county: str) -> Input:
    round_id, _ = world.round(county)
    return {
        "roundId": str(round_id),
        "channel": "HOTLINE",
        "address": "0531-12345678",
        "openedOn": world.period.start.isoformat(),
        "closesOn": world.period.end.isoformat(),
    }


def _close_channel(world: World, county: str) -> Input:
    return {
        "roundId": str(world.channel_opened(county)),
        "channel": "HOTLINE",
        "closedOn": world.period.end.isoformat(),
    }


def _feedback(world: World, county: str) -> Input:
    round_id, village = world.round(county)
    return {
        "roundId": str(round_id),
        "unitId": str(village),
        "givenOn": (world.today - timedelta(days=60)).isoformat(),
        "report": "巡察反馈意见",
        "items": [
            {"kind": "PROBLEM", "key": "P1", "text": "集体资产台账不全", "category": "三资管理"},
            {"kind": "TASK", "key": "T1", "text": "补登资产台账", "refersTo": "P1"},
        ],
    }


def _common_problem(world: World, county: str) -> Input:
    round_id, problems = world.problems_of_two_villages(county)
    return {
        "key": f"共性{world.n()}",
        "category": "三资管理",
        "text": "村级集体资产台账普遍不全",
        "level": "DEPARTMENT",
        "addresseeId": str(world.department(county)),
        "roundId": str(round_id),
        "givenOn": (world.today - timedelta(days=30)).isoformat(),
        "problems": [{"feedbackId": str(f), "problemId": str(p)} for f, p in problems],
        "tasks": [
            {
                "key": "S1",
                "measure": "制定村级资产台账规范",
                "deadline": (world.today + timedelta(days=60)).isoformat(),
            }
        ],
    }


def _task_done(world: World, county: str) -> Input:
    return {
        "taskId": str(world.task(county)),
        "evidence": "资产台账",
        "doneOn": (world.today - timedelta(days=10)).isoformat(),
    }


def _verify(world: World, county: str) -> Input:
    task = world.task(county, done=True)
    return {"taskId": str(task), "verifiedOn": (world.today - timedelta(days=5)).isoformat()}


def _ballots(world: World, county: str) -> Input:
    return {
        "taskId": str(world.task(county, verified=True)),
        "satisfied": 8,
        "basicallySatisfied": 1,
        "dissatisfied": 1,
        "channel": "PAPER",
        "heldOn": world.today.isoformat(),
    }


def _inspector(world: World, county: str) -> Input:
    return {"homeTenantId": world.ids[county], "name": f"登记干部{world.n()}"}


def _account(world: World, county: str) -> Input:
    return {
        "tenantId": world.ids[county],
        "username": f"user-{county.lower()}-{world.n()}",
        "displayName": f"办公室用户{world.n()}",
        "role": "COUNTY_TEAM",
        "initialPassword": "initial-password-1",
    }


def _register_clue(world: World, county: str) -> Input:
    return {
        "tenantId": world.ids[county],
        "unitId": world.ids[f"{county}.unit"],
        "source": "HOTLINE",
        "category": "作风问题",
        "summary": f"反映问题{world.n()}",
    }


def _on_clue(stage: str, **fields: Any) -> Callable[[World, str], Input]:
    def build(world: World, county: str) -> Input:
        return {"clueId": str(world.clue(county, stage)), **fields}

    return build


def _transfer(world: World, county: str) -> Input:
    return {
        "clueId": str(world.clue(county, "TRIAGED")),
        "handlingBody": "DISCIPLINE_COMMISSION",
        "receivingTenantId": world.ids[county],
        "dueDate": (world.today + timedelta(days=30)).isoformat(),
    }


def _transfer_letter(world: World, county: str) -> Input:
    return {"kind": "CLUE_TRANSFER", "subjectId": str(world.clue(county, "TRANSFERRED"))}


def _correct(world: World, county: str) -> Input:
    return {
        "clueId": str(world.clue(county)),
        "field": "SUMMARY",
        "newValue": f"更正后的摘要{world.n()}",
        "reason": "核实后更正",
    }


def _erase(world: World, county: str) -> Input:
    return {"clueId": str(world.clue(county, informant=True)), "reason": "举报人申请"}


def _some_id() -> str:
    """An id nothing has: a command needing the data clearance is refused before looking."""
    return str(uuid4())


def _run_comparison(world: World, county: str) -> Input:
    return {"tenantId": world.ids[county], "modelCode": "DUPLICATE_SUBSIDY"}


def _define_model(world: World, county: str) -> Input:
    return {
        "tenantId": world.ids[county],
        "code": "OWN_MODEL",
        "title": "超标准发放",
        "kinds": ["FARM_SUBSIDY"],
        "sql": "SELECT unit_code, id_number_key AS match_key FROM farm_subsidy",
        "reasonTemplate": "超标准发放",
    }


INPUTS: dict[str, Callable[[World, str], Input]] = {
    "registerTenant": _county,
    "registerUnit": _unit,
    "renameCounty": _rename,
    "mergeCounty": _merge,
    "defineUnitClasses": _unit_classes,
    "adoptChecklist": _checklist,
    "amendPractice": _practice,
    "declareTerm": _term,
    "setWarningChannel": _warning_channel,
    "planRound": _plan_round,
    "planCrossBatch": _cross_batch,
    "assignInspector": _assign,
    "declareRecusal": _recusal,
    "advanceRoundPhase": _advance,
    "openPetitionChannel": _open_channel,
    "closePetitionChannel": _close_channel,
    "recordFeedback": _feedback,
    "groupCommonProblem": _common_problem,
    "reportTaskDone": _task_done,
    "verifyTask": _verify,
    "recordSatisfactionBallots": _ballots,
    "registerInspector": _inspector,
    "openAccount": _account,
    "registerClue": _register_clue,
    "triageClue": _on_clue("REGISTERED", priority="KEY", proposedRoute="移交纪委监委"),
    "transferClue": _transfer,
    "acceptClue": _on_clue("TRANSFERRED"),
    "reportClueProgress": _on_clue("ACCEPTED", progress="已初步核实"),
    "concludeClue": _on_clue("ACCEPTED", disposition="INQUIRY", personsDisciplined=1),
    "superviseClue": _on_clue("TRANSFERRED", step="SUPERVISION_NOTICE", note="请按期办结"),
    "correctClue": _correct,
    "issueDocument": _transfer_letter,
    "eraseInformant": _erase,
    "issueReport": lambda world, county: {"tenantId": world.ids[county], "kind": "STATISTICS"},
    "formInspectionGroup": matrix_groups.form_group,
    "changeGroupMembers": matrix_groups.change_members,
    "planTownshipCrossBatch": matrix_groups.township_batch,
    "recordGuidanceVisit": matrix_groups.guidance_visit,
    "defineZone": matrix_groups.define_zone,
    "runComparison": _run_comparison,
    "startComparison": _run_comparison,
    "cancelComparison": lambda world, county: {"jobId": _some_id()},
    "defineComparisonModel": _define_model,
    "deleteDataset": lambda world, county: {"datasetId": _some_id(), "reason": "到期删除"},
    "dismissCandidate": lambda world, county: {"candidateId": _some_id(), "reason": "已核实"},
    "promoteCandidate": lambda world, county: {"candidateId": _some_id(), "category": "x"},
    "viewCandidateEvidence": lambda world, county: {"candidateId": _some_id()},
}
