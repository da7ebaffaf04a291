"""Each library model finds exactly the hits planted in the generated datasets, on DuckDB over
the stored Parquet files (keyed hashes and masked fields only), with a Chinese reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from domain.comparison.library import LIBRARY
from infrastructure.comparison.engines import DatasetTable, DuckDBEngine
from tests.support.comparison import EXPECTED, P, world_tables


@pytest.fixture(scope="module")
def tables(tmp_path_factory: pytest.TempPathFactory) -> list[DatasetTable]:
    return world_tables(tmp_path_factory.mktemp("datasets"))


def found(code: str, tables: list[DatasetTable]) -> set[tuple[str, str]]:
    model = LIBRARY[code]
    hits = DuckDBEngine().hits(
        model.sql, [t for t in tables if t.name in {k.table for k in model.kinds}]
    )
    return {(h["unit_code"] or "", h["id_number_masked"]) for h in hits.as_dicts()}


def test_the_library_ships_the_seven_models_from_practice() -> None:
    assert [m.title for m in LIBRARY.values()] == [
        "财政供养人员领取低保",
        "村干部及近亲属享受低保或补贴",
        "已死亡人员仍领取补贴",
        "同一人重复领取同类补贴",
        "公职人员经商办企业",
        "村干部近亲属承揽本村工程或合同",
        "补贴发放额超出标准",
    ]


@pytest.mark.parametrize("code", sorted(EXPECTED))
def test_each_library_model_finds_the_planted_hits_and_nothing_else(
    code: str, tables: list[DatasetTable]
) -> None:
    assert found(code, tables) == EXPECTED[code]


def test_a_hit_reads_as_a_chinese_sentence_with_masked_identifiers_only(
    tables: list[DatasetTable],
) -> None:
    model = LIBRARY["PAYROLL_ALLOWANCE"]
    (hit,) = DuckDBEngine().hits(model.sql, tables).as_dicts()
    reason = model.reason(hit)
    assert reason == (
        f"{P[0].name[0]}*（{P[0].masked}）系财政供养人员（县农业农村局），"
        "同时领取低保/特困救助2笔、共1200.00元"
    )
    assert P[0].id_number not in str(hit)
    assert P[0].name not in str(hit)


def test_a_model_reads_no_file_but_its_datasets(tables: list[DatasetTable], tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("secret\n1\n")
    with pytest.raises(Exception, match="disabled by configuration"):
        DuckDBEngine().hits(f"SELECT * FROM read_csv('{other}')", tables)  # noqa: S608
