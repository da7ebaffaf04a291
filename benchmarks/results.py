"""One benchmark case: XunCha's figure beside the baseline measured in the same run (and a
limit where there is one), the ratio between them and whether the target is met; written to
`bench-results.json` and shown as a table."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

from rich.console import Console
from rich.table import Table

Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class Target:
    """`ratio` targets compare value / baseline; `value` targets the figure itself."""

    of: Literal["ratio", "value"]
    bound: float
    better: Better

    def met(self, value: float, ratio: float) -> bool:
        measured = ratio if self.of == "ratio" else value
        return measured >= self.bound if self.better == "higher" else measured <= self.bound

    def text(self, unit: str) -> str:
        sign = "≥" if self.better == "higher" else "≤"
        return (
            f"ratio {sign} {self.bound:g}"
            if self.of == "ratio"
            else f"{sign} {self.bound:g} {unit}"
        )


@dataclass(frozen=True)
class Case:
    name: str
    value: float
    unit: str
    baseline_name: str
    baseline_value: float
    target: Target | None = None
    limit_name: str | None = None
    limit_value: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.value / self.baseline_value if self.baseline_value else 0.0

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.target.met(self.value, self.ratio)

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "baseline": self.baseline_name,
            "baseline_value": self.baseline_value,
            "ratio": self.ratio,
            "limit": self.limit_name,
            "limit_value": self.limit_value,
            "target": self.target.text(self.unit) if self.target else None,
            "target_spec": asdict(self.target) if self.target else None,
            "met": self.met,
            "detail": self.detail,
        }


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0–100) of the samples, by linear interpolation."""
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[min(98, max(0, round(q) - 1))]


def write_json(path: Path, cases: list[Case], about: dict[str, Any]) -> None:
    document = {**about, "cases": [c.as_json() for c in cases]}
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _figure(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def show(cases: list[Case], console: Console) -> None:
    table = Table(title="xuncha bench")
    for column in ("case", "XunCha", "unit", "baseline", "", "limit", "ratio", "target", "met"):
        table.add_column(column, justify="right" if column in ("XunCha", "", "ratio") else "left")
    for case in cases:
        met = {True: "[green]yes", False: "[red]no", None: "—"}[case.met]
        limit = f"{case.limit_name}: {_figure(case.limit_value)}" if case.limit_name else "—"
        table.add_row(
            case.name,
            _figure(case.value),
            case.unit,
            case.baseline_name,
            _figure(case.baseline_value),
            limit,
            f"{case.ratio:.2f}",
            case.target.text(case.unit) if case.target else "—",
            met,
        )
    console.print(table)


def markdown(document: dict[str, Any]) -> str:
    """The cases of a `bench-results.json` as a Markdown table (for docs/PERFORMANCE.md)."""
    lines = [
        "| case | XunCha | baseline (same run) | ratio | limit | target | met |",
        "| --- | ---: | --- | ---: | --- | --- | --- |",
    ]
    for case in document["cases"]:
        met = {True: "**yes**", False: "**no**", None: "—"}[case["met"]]
        limit = f"{case['limit']}: {_figure(case['limit_value'])}" if case["limit"] else "—"
        lines.append(
            f"| {case['name']} | {_figure(case['value'])} {case['unit']} | "
            f"{case['baseline']}: {_figure(case['baseline_value'])} | {case['ratio']:.2f} | "
            f"{limit} | {case['target'] or '—'} | {met} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    print(markdown(json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))))
