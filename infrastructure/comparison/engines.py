"""The engines that run a model's query over datasets' Parquet files.

DuckDB (the embedded default) runs in-process, sandboxed: it may open only the datasets'
files (`allowed_paths`), no other file or network, and its configuration is locked before the
model's query runs. Spark runs the same query, translated from its one DuckDB source, where
`XUNCHA_SPARK_MASTER` points (`local[*]` in tests); it needs the `spark` extra."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb

from domain.comparison.values import ComparisonEngine
from infrastructure.comparison.sql import translated


@dataclass(frozen=True)
class DatasetTable:
    """A dataset as a model reads it: its table name, file and readable columns."""

    name: str
    path: Path
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Hits:
    columns: list[str]
    rows: list[tuple[Any, ...]]

    def as_dicts(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


# Called about twice a second while a query runs, with its progress in percent (None where
# the engine does not tell); answers whether to stop it.
Watch = Callable[[float | None], bool]
WATCH_SECONDS = 0.5


class Cancelled(Exception):
    """The query was stopped because its watcher asked."""


class Engine(Protocol):
    kind: ComparisonEngine

    def hits(self, sql: str, tables: list[DatasetTable], watch: Watch | None = None) -> Hits: ...


@contextmanager
def watched(
    watch: Watch | None, progress: Callable[[], float | None], stop: Callable[[], None]
) -> Iterator[threading.Event]:
    """While the block runs, ask `watch` with the `progress` every WATCH_SECONDS; `stop` the
    query when it says so. The event yielded tells whether it did."""
    stopped, done = threading.Event(), threading.Event()

    def watching() -> None:
        while watch is not None and not done.wait(WATCH_SECONDS):
            if watch(progress()):
                stopped.set()
                stop()
                return

    watcher = threading.Thread(target=watching, name="comparison-watch", daemon=True)
    watcher.start()
    try:
        yield stopped
    finally:
        done.set()
        watcher.join()


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class DuckDBEngine:
    kind = ComparisonEngine.DUCKDB

    def __init__(self, threads: int | None = None, memory_limit: str | None = None) -> None:
        self.threads = threads
        self.memory_limit = memory_limit

    def hits(self, sql: str, tables: list[DatasetTable], watch: Watch | None = None) -> Hits:
        config = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
        with duckdb.connect(config=config) as conn:  # type: ignore[arg-type]
            self._sandbox(conn, tables)
            with watched(watch, lambda: _percent(conn), conn.interrupt) as stopped:
                try:
                    cursor = conn.execute(sql)
                    columns = [d[0] for d in cursor.description or []]
                    return Hits(columns, cursor.fetchall())
                except duckdb.InterruptException:
                    if stopped.is_set():
                        raise Cancelled from None
                    raise

    def _sandbox(self, conn: duckdb.DuckDBPyConnection, tables: list[DatasetTable]) -> None:
        paths = ", ".join(_quoted(str(t.path)) for t in tables)
        conn.execute(f"SET allowed_paths = [{paths}]")
        conn.execute("SET enable_external_access = false")
        conn.execute("SET enable_progress_bar = true")  # what `query_progress` reports
        conn.execute("SET enable_progress_bar_print = false")
        if self.threads:
            conn.execute(f"SET threads = {int(self.threads)}")
        if self.memory_limit:
            conn.execute(f"SET memory_limit = {_quoted(self.memory_limit)}")
        for table in tables:
            columns = ", ".join(_identifier(c) for c in table.columns)
            conn.execute(
                f"CREATE VIEW {_identifier(table.name)} AS SELECT {columns} "  # noqa: S608 — names are the schema's
                f"FROM read_parquet({_quoted(str(table.path))})"
            )
        conn.execute("SET lock_configuration = true")


def _percent(conn: duckdb.DuckDBPyConnection) -> float | None:
    found = conn.query_progress()
    return None if found < 0 else min(float(found), 100.0)


class SparkEngine:
    """Apache Spark (PySpark) at `master`; the session is made on first use and kept."""

    kind = ComparisonEngine.SPARK

    def __init__(self, master: str) -> None:
        self.master = master
        self._session: Any = None

    def session(self) -> Any:
        if self._session is None:
            try:
                from pyspark.sql import SparkSession
            except ImportError:
                raise RuntimeError(
                    "The Spark engine needs PySpark: pip install 'xuncha[spark]'"
                ) from None
            self._session = (
                SparkSession.builder.master(self.master)
                .appName("xuncha-comparison")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate()
            )
        return self._session

    def hits(self, sql: str, tables: list[DatasetTable], watch: Watch | None = None) -> Hits:
        spark = self.session()
        for table in tables:
            frame = spark.read.parquet(str(table.path)).select(*table.columns)
            frame.createOrReplaceTempView(table.name)
        result = spark.sql(translated(sql, "spark"))
        columns = list(result.columns)
        with watched(watch, lambda: None, spark.sparkContext.cancelAllJobs) as stopped:
            try:
                rows = result.collect()
            except Exception:  # py4j's error for a cancelled job; others are raised as they are
                if stopped.is_set():
                    raise Cancelled from None
                raise
        return Hits(columns, [tuple(row) for row in rows])

    def stop(self) -> None:
        if self._session is not None:
            self._session.stop()
            self._session = None
