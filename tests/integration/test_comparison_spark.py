"""The library's models on Apache Spark in local mode, translated from their one DuckDB source,
find the same hits, column for column, as on DuckDB over the same Parquet files."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from domain.comparison.library import LIBRARY
from infrastructure.comparison.engines import (
    Cancelled,
    DatasetTable,
    DuckDBEngine,
    Hits,
    SparkEngine,
)
from services.comparison.runs import evidence_text
from tests.support.comparison import world_tables


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkEngine]:
    engine = SparkEngine("local[2]")
    yield engine
    engine.stop()


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> list[DatasetTable]:
    return world_tables(tmp_path_factory.mktemp("datasets"))


def as_text(hits: Hits) -> list[dict[str, Any]]:
    rows = [{k: evidence_text(v) for k, v in hit.items()} for hit in hits.as_dicts()]
    return sorted(rows, key=lambda row: row["match_key"])


@pytest.mark.parametrize("code", sorted(LIBRARY))
def test_spark_finds_the_same_hits_as_duckdb(
    code: str, spark: SparkEngine, tables: list[DatasetTable]
) -> None:
    model = LIBRARY[code]
    embedded = as_text(DuckDBEngine().hits(model.sql, tables))
    distributed = as_text(spark.hits(model.sql, tables))
    assert embedded  # every model has its planted hits
    assert distributed == embedded


def test_a_run_reads_only_the_tables_it_was_given_not_an_earlier_runs(
    spark: SparkEngine, tables: list[DatasetTable]
) -> None:
    """Runs of different offices share the Spark engine: a table one run registered must not
    be what another run reads under the same name."""
    sql = "SELECT unit_code, id_number_key AS match_key FROM farm_subsidy"
    (farm,) = [t for t in tables if t.name == "farm_subsidy"]
    assert spark.hits(sql, [farm]).rows
    with pytest.raises(Exception, match="TABLE_OR_VIEW_NOT_FOUND"):
        spark.hits(sql, [])


def test_cancelling_one_run_leaves_a_run_beside_it_to_finish(
    spark: SparkEngine, tmp_path: Path
) -> None:
    path = tmp_path / "numbers.parquet"
    pq.write_table(pa.table({"n": list(range(30_000))}), path)
    numbers = [DatasetTable("numbers", path, ("n",))]
    slow = "SELECT sum(a.n * b.n) AS s FROM numbers AS a CROSS JOIN numbers AS b"
    finished: list[Hits] = []
    beside = threading.Thread(target=lambda: finished.append(spark.hits(slow, numbers)))
    beside.start()
    with pytest.raises(Cancelled):
        spark.hits(slow, numbers, watch=lambda _progress: True)
    beside.join()
    assert len(finished) == 1
    assert finished[0].rows == [(sum(range(30_000)) ** 2,)]
