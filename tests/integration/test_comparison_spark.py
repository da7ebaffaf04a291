"""The library's models on Apache Spark in local mode, translated from their one DuckDB source,
find the same hits, column for column, as on DuckDB over the same Parquet files."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from domain.comparison.library import LIBRARY
from infrastructure.comparison.engines import DatasetTable, DuckDBEngine, Hits, SparkEngine
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
