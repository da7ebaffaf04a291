"""Inspector files as offices send them: one row per cadre, continuation rows for more
postings and relations, Chinese headers (docs/IMPORT.md)."""

from __future__ import annotations

from collections.abc import Sequence

from tests.support.unit_files import csv_file, workbook

HEADER = (
    "工号",
    "姓名",
    "任职单位代码",
    "任职起始日期",
    "任职截止日期",
    "亲属关系",
    "亲属姓名",
    "亲属职务",
    "亲属所在单位代码",
    "备注",
)


def cadre_rows(count: int, villages: Sequence[str]) -> list[list[str]]:
    """`count` cadres, each posted at one village (ended); every fifth also holds a current
    post at the next village (a continuation row); every seventh declares a relation."""
    rows: list[list[str]] = []
    for n in range(1, count + 1):
        village = villages[n % len(villages)]
        relation = ["配偶", f"亲属{n}", "村主任", village] if n % 7 == 0 else ["", "", "", ""]
        rows.append([f"JN{n:04d}", f"干部{n}", village, "2015-01-01", "2019-12-31", *relation, ""])
        if n % 5 == 0:
            nxt = villages[(n + 1) % len(villages)]
            rows.append(["", "", nxt, "2020.1.1", "", "", "", "", "", "续"])
    return rows


def inspector_workbook(rows: Sequence[Sequence[str]]) -> bytes:
    return workbook(rows, HEADER)


def inspector_csv(rows: Sequence[Sequence[str]], encoding: str) -> bytes:
    return csv_file(rows, encoding, HEADER)
