"""The data comparison case: every library model over generated datasets of N rows each,
on the embedded DuckDB and on Spark in local mode beside it, each engine in a process of its
own so its peak memory is its own (Spark's: the Python driver and the JVM it starts).

The datasets are made by DuckDB itself (a range of people, their keyed hashes as md5 hex,
masked fields as constants) and written as the registration writes them: one Parquet file
per kind with the stored columns. About one person in a hundred is planted in a second
dataset, so every model has hits to raise. `python -m benchmarks.comparison ENGINE FOLDER`
is the child that runs the models and prints its figures as JSON."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.memory import high_water_mib, own_high_water_mib
from benchmarks.results import Case
from domain.comparison.library import LIBRARY
from domain.comparison.values import DatasetKind, readable_columns
from infrastructure.comparison.engines import DatasetTable, DuckDBEngine, Engine, SparkEngine

KEY = "md5('p' || CAST({person} AS VARCHAR))"
PERSON = f"{KEY.format(person='{p}')} AS id_number_key, '张*' AS name_masked, " \
    "'3701**********' || lpad(CAST({p} % 10000 AS VARCHAR), 4, '0') AS id_number_masked, " \
    "'' AS id_number_sealed, '' AS name_key, '' AS name_sealed"  # fmt: skip
UNIT = "'V' || lpad(CAST(i % 5000 AS VARCHAR), 4, '0') AS unit_code"
AMOUNT = "CAST(300 + i % 500 AS DECIMAL(18, 2))"
DAY = "DATE '2026-01-01' + CAST(i % 300 AS INTEGER)"

# Per kind: the person of row i, and the kind's other columns.
GENERATED: dict[DatasetKind, tuple[str, str]] = {
    DatasetKind.PUBLIC_PAYROLL: (
        "i",
        "'县直单位' || CAST(i % 300 AS VARCHAR) AS employer, '科员' AS position",
    ),
    DatasetKind.SUBSISTENCE_ALLOWANCE: (
        "CASE WHEN i % 100 = 0 THEN i ELSE i + {n} END",
        f"{UNIT}, '城乡低保' AS category, {AMOUNT} AS amount, {DAY} AS paid_on",
    ),
    DatasetKind.VILLAGE_CADRES: (
        "CASE WHEN i % 100 = 1 THEN i + {n} ELSE i + 2 * {n} END",
        f"{UNIT}, CASE WHEN i % 2 = 0 THEN '村委委员' ELSE '近亲属' END AS role, "
        f"CASE WHEN i % 2 = 1 THEN {KEY.format(person='i + 2 * {n} - 1')} END "
        "AS cadre_id_number_key, '' AS cadre_id_number_masked, '' AS cadre_id_number_sealed, "
        "CASE WHEN i % 2 = 1 THEN '配偶' END AS relation",
    ),
    DatasetKind.FARM_SUBSIDY: (
        "CASE WHEN i % 100 IN (2, 3) THEN i - i % 100 + 2 + 3 * {n} ELSE i + 3 * {n} END",
        f"{UNIT}, '耕地地力保护补贴' AS subsidy_type, {AMOUNT} AS amount, "
        "CAST(CASE WHEN i % 100 = 4 THEN 300 ELSE 800 END AS DECIMAL(18, 2)) AS standard_amount, "
        f"{DAY} AS paid_on",
    ),
    DatasetKind.DEATH_RECORDS: (
        "CASE WHEN i % 100 = 5 THEN i + 3 * {n} ELSE i + 4 * {n} END",
        "DATE '2025-12-01' AS died_on",
    ),
    DatasetKind.BUSINESS_REGISTRY: (
        "CASE WHEN i % 100 = 6 THEN i ELSE i + 5 * {n} END",
        "'企业' || CAST(i AS VARCHAR) AS company, '9137' || lpad(CAST(i AS VARCHAR), 14, '0') "
        "AS credit_code, '股东' AS role",
    ),
    DatasetKind.VILLAGE_CONTRACTS: (
        "CASE WHEN i % 100 = 1 THEN i + {n} ELSE i + 6 * {n} END",
        f"{UNIT}, 'HT' || CAST(i AS VARCHAR) AS contract_no, '村道工程' AS title, "
        f"{AMOUNT} AS amount, {DAY} AS signed_on",
    ),
}


def generate(folder: Path, rows: int) -> list[DatasetTable]:
    """The seven datasets of `rows` rows each, as Parquet files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = []
    with duckdb.connect() as conn:
        for kind, (person, columns) in GENERATED.items():
            who = person.format(n=rows)
            select = _select(kind, who, columns.format(n=rows))
            path = folder / f"{kind.table}.parquet"
            conn.execute(
                f"COPY (SELECT {select} FROM range({rows}) AS t(i)) TO '{path}' "  # noqa: S608
                "(FORMAT parquet, COMPRESSION zstd)"
            )
            tables.append(DatasetTable(kind.table, path, readable_columns(kind)))
    return tables


def _select(kind: DatasetKind, person: str, columns: str) -> str:
    personal = PERSON.format(p=f"({person})")
    if kind == DatasetKind.VILLAGE_CONTRACTS:
        personal = personal.replace(" AS id_number", " AS contractor_id_number").replace(
            "AS name_", "AS contractor_name_"
        )
    return f"{personal}, {columns}"


def measure(engine: Engine, tables: list[DatasetTable]) -> dict[str, Any]:
    """Each model's seconds, input rows and hits on `engine`."""
    rows = {t.name: _count(t.path) for t in tables}
    models = {}
    for code, model in LIBRARY.items():
        read = [t for t in tables if t.name in {k.table for k in model.kinds}]
        started = time.monotonic()
        hits = engine.hits(model.sql, read)
        models[code] = {
            "seconds": time.monotonic() - started,
            "rows_read": sum(rows[t.name] for t in read),
            "hits": len(hits.rows),
        }
    return models


def _count(path: Path) -> int:
    with duckdb.connect() as conn:
        found = conn.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()  # noqa: S608
    return int(found[0][0])


def _child(engine_name: str, folder: Path) -> None:
    tables = [
        DatasetTable(kind.table, folder / f"{kind.table}.parquet", readable_columns(kind))
        for kind in GENERATED
    ]
    engine: Engine = SparkEngine("local[*]") if engine_name == "spark" else DuckDBEngine()
    started = time.monotonic()
    if isinstance(engine, SparkEngine):
        engine.session()  # the JVM's start is not the models' time
    startup = time.monotonic() - started
    models = measure(engine, tables)
    peak = own_high_water_mib() + _jvm_peak_mib()
    if isinstance(engine, SparkEngine):
        engine.stop()
    print(json.dumps({"models": models, "peak_mib": peak, "startup_seconds": startup}))


def _jvm_peak_mib() -> float:
    import psutil

    peaks = 0.0
    for child in psutil.Process().children(recursive=True):
        try:
            peaks += high_water_mib(Path(f"/proc/{child.pid}/status").read_text())
        except (FileNotFoundError, RuntimeError):
            continue
    return peaks


def run_engine(engine: str, folder: Path) -> dict[str, Any]:
    found = subprocess.run(  # noqa: S603 — this interpreter, this module
        [sys.executable, "-m", "benchmarks.comparison", engine, str(folder)],
        capture_output=True,
        check=True,
        text=True,
    )
    figures: dict[str, Any] = json.loads(found.stdout.strip().splitlines()[-1])
    return figures


def comparison_cases(folder: Path, rows: int, spark: bool, say: Any) -> list[Case]:
    say(f"comparison: generating 7 datasets of {rows:,} rows…")
    started = time.monotonic()
    generate(folder, rows)
    say(f"comparison: generated in {time.monotonic() - started:.0f} s; DuckDB…")
    embedded = run_engine("duckdb", folder)
    distributed = None
    if spark:
        say("comparison: Spark in local mode…")
        distributed = run_engine("spark", folder)
    return _cases(rows, embedded, distributed)


def _rate(figures: dict[str, Any]) -> float:
    models = figures["models"].values()
    return sum(m["rows_read"] for m in models) / sum(m["seconds"] for m in models)


def _cases(rows: int, embedded: dict[str, Any], distributed: dict[str, Any] | None) -> list[Case]:
    detail = {"rows_per_dataset": rows, "duckdb": embedded, "spark": distributed}
    baseline = ("Spark local", _rate(distributed)) if distributed else ("none (no Spark)", 0.0)
    cases = [
        Case(
            "comparison rows/s, 7 library models (DuckDB)",
            _rate(embedded),
            "rows/s",
            f"{baseline[0]} rows/s",
            baseline[1],
            detail=detail,
        ),
        Case(
            "comparison peak memory (DuckDB process)",
            embedded["peak_mib"],
            "MiB",
            "Spark local (driver and JVM)" if distributed else "none (no Spark)",
            distributed["peak_mib"] if distributed else 0.0,
        ),
    ]
    return cases


if __name__ == "__main__":
    _child(sys.argv[1], Path(sys.argv[2]))
