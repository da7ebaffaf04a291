"""Dataset files are read with Chinese headers from GBK or UTF-8 CSV, .xlsx and Parquet, and
refused whole, with every row's problem, when one cell is wrong."""

from __future__ import annotations

import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from domain.comparison.values import DatasetKind
from domain.errors import ValidationFailed
from services.comparison import rows
from tests.support.comparison import WORLD, csv_bytes, xlsx_bytes

KIND = DatasetKind.SUBSISTENCE_ALLOWANCE


def read(filename: str, data: bytes, mapping: dict[str, str] | None = None) -> rows.ValidRows:
    found, problems = rows.read_rows(KIND, filename, data, mapping or {})
    return rows.validated(KIND, found, problems)


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_a_csv_in_gbk_or_utf8_with_chinese_headers_is_read_typed(encoding: str) -> None:
    valid = read("低保.csv", csv_bytes(KIND, WORLD[KIND], encoding))
    assert len(valid.rows) == 4
    assert str(valid.rows[2]["amount"]) == "550.00"
    assert str(valid.rows[0]["paid_on"]) == "2026-03-05"


def test_the_same_rows_from_xlsx_csv_and_parquet_have_the_same_content_hash() -> None:
    from_csv = read("a.csv", csv_bytes(KIND, WORLD[KIND]))
    from_xlsx = read("a.xlsx", xlsx_bytes(KIND, WORLD[KIND]))
    frame = pa.table({k: [r.get(k, "") for r in WORLD[KIND]] for k in WORLD[KIND][0]})
    parquet = io.BytesIO()
    pq.write_table(frame, parquet)
    from_parquet = read("a.parquet", parquet.getvalue())
    assert from_csv.content_sha256 == from_xlsx.content_sha256 == from_parquet.content_sha256


def test_an_office_maps_its_own_headers_to_fields() -> None:
    data = csv_bytes(KIND, WORLD[KIND]).replace("身份证号".encode("gbk"), "证件".encode("gbk"))
    valid = read("a.csv", data, {"证件": "id_number"})
    assert len(valid.rows) == 4


def test_a_file_with_bad_cells_is_refused_whole_with_each_rows_problem() -> None:
    given = [dict(r) for r in WORLD[KIND]]
    given[1]["id_number"] = given[1]["id_number"][:17] + (
        "0" if given[1]["id_number"][17] != "0" else "1"
    )
    given[2]["paid_on"] = "2026-13-01"
    given[3]["amount"] = "五百"
    with pytest.raises(ValidationFailed) as refused:
        read("a.csv", csv_bytes(KIND, given))
    problems = refused.value.details["problems"]
    assert [(p["row"], p["column"]) for p in problems] == [
        (3, "身份证号"),
        (4, "发放日期"),
        (5, "发放金额"),
    ]
    assert "GB 11643" in problems[0]["reason"]
    assert all(given[1]["id_number"] not in p["reason"] for p in problems)


def test_a_missing_required_column_is_reported_by_its_chinese_header() -> None:
    data = csv_bytes(KIND, WORLD[KIND]).replace("发放金额".encode("gbk"), "备注".encode("gbk"))
    with pytest.raises(ValidationFailed) as refused:
        read("a.csv", data)
    assert refused.value.details["problems"][0]["column"] == "发放金额"
