"""`xuncha bench --quick` on a small simulated city: every case comes out with a figure and
the baseline it was measured beside, in the table and in the JSON file. Speed is not
asserted here: the machine is shared; docs/PERFORMANCE.md has the figures of a full run."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from entrypoints.cli.main import app

CASES = {
    "ingest vs eventsourcing one event per save",
    "ingest vs eventsourcing 50 aggregates per save",
    "single mutation latency p50",
    "single mutation latency p99",
    "read-your-writes freshness p99 (embedded)",
    "read-your-writes freshness p99 (Kafka, paced writer)",
    "rebuild of all projections",
    "rebuild of all projections vs ProjectionRunner",
    "clueLedger page of 50, p95 over 12 cases",
    "xuncha audit verify",
    "peak memory of the API",
    "peak memory of a worker (rebuilding all projections)",
    "comparison rows/s, 7 library models (DuckDB)",
    "comparison peak memory (DuckDB process)",
    *(
        f"{read} at {clients}"
        for read in ("clueLedger", "linkedRounds", "clue { history }", "clue(asOf)")
        for clients in ("1 client", "16 clients")
    ),
}


def test_the_quick_bench_measures_every_case_beside_its_baseline(
    database_url: str, tmp_path: Path
) -> None:
    output = tmp_path / "bench-results.json"
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "--quick",
            "--database-url",
            database_url,
            "--output",
            str(output),
            "--comparison-rows",
            "20000",
        ],
    )
    assert result.exit_code == 0, result.output
    cases = {case["name"]: case for case in json.loads(output.read_text())["cases"]}
    assert set(cases) == CASES
    for name, case in cases.items():
        assert case["value"] > 0, name
        assert case["baseline_value"] > 0, name
        assert case["ratio"] > 0, name
        assert case["unit"], name
        assert case["baseline"], name
        assert (case["met"] is None) == (case["target"] is None), name
    targets = {name for name, case in cases.items() if case["target"] is not None}
    assert targets == {
        "ingest vs eventsourcing one event per save",
        "ingest vs eventsourcing 50 aggregates per save",
        "read-your-writes freshness p99 (embedded)",
        "rebuild of all projections",
        "clueLedger page of 50, p95 over 12 cases",
        "xuncha audit verify",
    }
    assert "clueLedger page of 50" in result.output
    assert f"results written to {output}" in result.output
