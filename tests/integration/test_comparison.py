"""Data comparison end to end on a real PostgreSQL: datasets registered whole or not at all,
runs recorded with their datasets' hashes, hits raised once as candidates about the county's
units, triaged, evidence viewed only with the clearance and audited, deleted datasets
shredded, and no personal data in any log line."""

from __future__ import annotations

import logging
from uuid import UUID

import pyarrow.parquet as pq
import pytest

from domain.clues.clue import Clue
from domain.clues.values import ClueSource
from domain.comparison.candidate import Candidate
from domain.comparison.run import ComparisonRun
from domain.comparison.values import CandidateStatus, DatasetKind
from domain.errors import Forbidden, NotFound, RuleViolation, ValidationFailed
from projections import comparison
from services.authorization import CITY_OFFICE, CONSOLE, COUNTY_TEAM, Acting
from services.runtime import Runtime
from tests.support.comparison import (
    EXPECTED,
    WORLD,
    P,
    csv_bytes,
    office_with_units,
    register_world,
)


def candidates_of(runtime: Runtime, offices: list[UUID]) -> list[comparison.CandidateRow]:
    runtime.wait_for_projections(runtime.store.max_position())
    with runtime.reads.connection() as conn:
        return comparison.candidates(conn, offices, model_code=None, status=None, first=100)


def test_every_library_model_runs_on_the_registered_files_and_raises_its_hits_once(
    runtime: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    city, county = office_with_units(runtime)
    with caplog.at_level(logging.DEBUG):
        register_world(runtime, city)
        runs = {code: runtime.comparisons.run_comparison(tenant_id=city, model_code=code,
                acting=CONSOLE) for code in EXPECTED}  # fmt: skip
        again = runtime.comparisons.run_comparison(
            tenant_id=city, model_code="PAYROLL_ALLOWANCE", acting=CONSOLE
        )

    assert {code: r.hit_count for code, r in runs.items()} == {
        code: len(hits) for code, hits in EXPECTED.items()
    }
    assert (again.hit_count, again.new_candidates) == (1, 0)
    found = candidates_of(runtime, [city])
    assert len(found) == sum(len(hits) for hits in EXPECTED.values())
    payroll = next(c for c in found if c.model_code == "PAYROLL_ALLOWANCE")
    assert payroll.unit_owner_id == county
    assert payroll.reason.startswith(f"{P[0].name[0]}*（{P[0].masked}）系财政供养人员")
    business = next(c for c in found if c.model_code == "OFFICIAL_IN_BUSINESS")
    assert business.unit_id is None

    run = runtime.store.load(ComparisonRun, again.id, what="run")
    assert set(run.datasets) == {"PUBLIC_PAYROLL", "SUBSISTENCE_ALLOWANCE"}
    assert all(len(d["contentSha256"]) == 64 for d in run.datasets.values())

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "comparison run" in logged
    for person in P:
        assert person.id_number not in logged
        assert person.name not in logged
        assert person.masked not in logged


def test_a_county_team_sees_the_candidates_about_its_own_units_only(runtime: Runtime) -> None:
    city, county = office_with_units(runtime)
    register_world(runtime, city)
    runtime.comparisons.run_comparison(tenant_id=city, model_code="CADRE_KIN_BENEFITS",
                                       acting=CONSOLE)  # fmt: skip
    runtime.comparisons.run_comparison(tenant_id=city, model_code="OFFICIAL_IN_BUSINESS",
                                       acting=CONSOLE)  # fmt: skip
    seen_by_county = candidates_of(runtime, [county])
    assert {c.model_code for c in seen_by_county} == {"CADRE_KIN_BENEFITS"}
    assert len(candidates_of(runtime, [city])) == 3


def test_a_file_with_a_wrong_identity_number_is_refused_whole_and_records_nothing(
    runtime: Runtime,
) -> None:
    city, _ = office_with_units(runtime)
    kind = DatasetKind.PUBLIC_PAYROLL
    given = [dict(r) for r in WORLD[kind]]
    given[2]["id_number"] = given[2]["id_number"][:17] + (
        "1" if given[2]["id_number"][17] == "0" else "0"
    )
    head = runtime.store.max_position()
    with pytest.raises(ValidationFailed) as refused:
        runtime.datasets.register_dataset(
            tenant_id=city, kind=kind, period="2026", source="x", filename="x.csv",
            data=csv_bytes(kind, given), acting=CONSOLE,
        )  # fmt: skip
    assert refused.value.details["problems"][0]["row"] == 4
    assert runtime.store.max_position() == head
    assert not list(runtime.settings.comparison_folder.rglob("*.parquet"))


def test_only_an_office_with_the_data_clearance_registers_datasets(runtime: Runtime) -> None:
    city, county = office_with_units(runtime)
    kind = DatasetKind.DEATH_RECORDS
    for acting in (
        Acting(role=CITY_OFFICE, tenant_id=city),  # no clearance
        Acting(role=COUNTY_TEAM, tenant_id=county, data_clearance=True),
    ):
        with pytest.raises(Forbidden):
            runtime.datasets.register_dataset(
                tenant_id=acting.tenant_id or city, kind=kind, period="2026", source="x",
                filename="x.csv", data=csv_bytes(kind, WORLD[kind]), acting=acting,
            )  # fmt: skip
    cleared = Acting(role=CITY_OFFICE, tenant_id=city, data_clearance=True)
    written = runtime.datasets.register_dataset(
        tenant_id=city, kind=kind, period="2026", source="x", filename="x.csv",
        data=csv_bytes(kind, WORLD[kind]), acting=cleared,
    )  # fmt: skip
    assert written.row_count == 2


def test_a_candidate_promoted_becomes_a_data_comparison_clue_and_its_evidence_views_are_audited(
    runtime: Runtime,
) -> None:
    city, county = office_with_units(runtime)
    register_world(runtime, city)
    runtime.comparisons.run_comparison(tenant_id=city, model_code="SUBSIDY_OVER_STANDARD",
                                       acting=CONSOLE)  # fmt: skip
    (found,) = candidates_of(runtime, [city])
    team = Acting(role=COUNTY_TEAM, tenant_id=county)
    with pytest.raises(Forbidden):
        runtime.candidates.view_candidate_evidence(found.candidate_id, acting=team)
    cleared = Acting(role=COUNTY_TEAM, tenant_id=county, data_clearance=True)
    evidence = runtime.candidates.view_candidate_evidence(found.candidate_id, acting=cleared)
    assert evidence.columns["id_number_masked"] == P[8].masked
    assert evidence.columns["standard_amount"] == "500.00"

    with pytest.raises(Forbidden):
        runtime.candidates.promote_candidate(
            found.candidate_id, category="惠农政策落实", acting=team
        )
    written = runtime.candidates.promote_candidate(
        found.candidate_id, category="惠农政策落实", acting=cleared
    )
    candidate = runtime.store.load(Candidate, written.id, what="candidate")
    assert candidate.status == CandidateStatus.PROMOTED
    topics = [
        e.topic.rsplit(".", 1)[-1] for e in runtime.store.recorder.select_events(candidate.id)
    ]
    assert topics == ["Raised", "EvidenceViewed", "Promoted"]
    clue = runtime.store.load(Clue, candidate.clue_id or found.candidate_id, what="clue")
    assert clue.source == ClueSource.DATA_COMPARISON
    assert str(found.run_id) in clue.summary
    assert clue.unit_id == found.unit_id

    with pytest.raises(RuleViolation):
        runtime.candidates.dismiss_candidate(found.candidate_id, reason="重复", acting=cleared)
    other_county = Acting(role=COUNTY_TEAM, tenant_id=UUID(int=5), data_clearance=True)
    with pytest.raises(NotFound):
        runtime.candidates.view_candidate_evidence(found.candidate_id, acting=other_county)


def test_deleting_a_dataset_shreds_its_key_and_its_rows(runtime: Runtime) -> None:
    city, _ = office_with_units(runtime)
    kind = DatasetKind.DEATH_RECORDS
    written = runtime.datasets.register_dataset(
        tenant_id=city, kind=kind, period="2026", source="民政局", filename="d.csv",
        data=csv_bytes(kind, WORLD[kind]), acting=CONSOLE,
    )  # fmt: skip
    sealer = runtime.datasets.keys.sealer(city, written.id)
    assert sealer is not None
    stored = pq.read_table(runtime.datasets.files.path_of(city, written.id))
    sealed = stored.column("id_number_sealed").to_pylist()
    assert [sealer.opened(s) for s in sealed] == [r["id_number"] for r in WORLD[kind]]
    assert stored.column("id_number_key").to_pylist()[0] != WORLD[kind][0]["id_number"]
    runtime.datasets.delete_dataset(written.id, reason="数据提供方要求删除", acting=CONSOLE)
    assert runtime.datasets.keys.sealer(city, written.id) is None
    assert not runtime.datasets.files.path_of(city, written.id).exists()
    with pytest.raises(RuleViolation) as refused:
        runtime.comparisons.run_comparison(tenant_id=city, model_code="DECEASED_STILL_PAID",
                                           acting=CONSOLE)  # fmt: skip
    assert refused.value.rule == "COMPARISON_DATASET_MISSING"
