"""The one wiring module: builds every part of XunCha from one `Settings`. Nothing connects
to a database at import time; `open_runtime` does, and `Runtime.close` undoes it."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from psycopg_pool import ConnectionPool

from domain.errors import Stale
from infrastructure import document_files
from infrastructure.comparison.engines import DuckDBEngine, Engine, SparkEngine
from infrastructure.comparison.files import DatasetFiles
from infrastructure.comparison.jobs import ComparisonJobs
from infrastructure.comparison.keys import ComparisonKeys
from infrastructure.database import Database, open_database
from infrastructure.feeds import relay
from infrastructure.feeds.log_feed import LogFeed
from infrastructure.feeds.workers import wait_until_applied
from infrastructure.informants import InformantVault
from infrastructure.settings import Settings
from infrastructure.store import EventStore, open_event_store
from projections import tracking
from projections.base import Projection
from projections.registry import all_projections
from services import deadline_warnings
from services.accounts import AccountService
from services.backdating import Backdating
from services.calendar import CalendarService
from services.clues import ClueService
from services.comparison.candidates import CandidateService
from services.comparison.datasets import DatasetService
from services.comparison.jobs import JobService
from services.comparison.models import ModelService
from services.comparison.runs import RunService
from services.configuration import ConfigurationService
from services.documents.service import DocumentService
from services.groups import GroupService
from services.guidance import GuidanceService
from services.history import History
from services.inspectors import InspectorService
from services.migrate import Migrated
from services.migrate import migrate as migrate_schema
from services.rectification import RectificationService
from services.reports import ReportService
from services.round_replay import RoundReplay
from services.rounds import RoundService
from services.tenants import TenantService
from services.township_cross import TownshipCrossService
from services.waiting_reads import WaitingReads

log = logging.getLogger(__name__)

POLL_SECONDS = 0.02  # how often a waiting read looks at the projections' positions


@dataclass
class Runtime:
    settings: Settings
    database: Database
    store: EventStore
    reads: ConnectionPool
    projections: list[Projection]
    feed: LogFeed
    tenants: TenantService
    accounts: AccountService
    clues: ClueService
    rectification: RectificationService
    configuration: ConfigurationService
    rounds: RoundService
    groups: GroupService
    township_cross: TownshipCrossService
    guidance: GuidanceService
    inspectors: InspectorService
    calendar: CalendarService
    history: History
    round_replay: RoundReplay
    waiting: WaitingReads
    datasets: DatasetService
    comparison_models: ModelService
    candidates: CandidateService
    migrated: Migrated | None = None  # what opening it with `migrate` did
    closed: bool = False
    comparisons: RunService = field(init=False)  # waits on this runtime's projections
    comparison_jobs: JobService = field(init=False)
    spark: SparkEngine | None = None  # made on the first comparison run on Spark

    @property
    def backdating(self) -> Backdating:
        return Backdating(self.store, self.calendar)

    @property
    def documents(self) -> DocumentService:
        return DocumentService(self.store, self.tenants, self.calendar, self.reads)

    @property
    def reports(self) -> ReportService:
        return ReportService(
            self.store,
            self.tenants,
            self.reads,
            self.settings.read_statement_timeout_ms,
            lambda position, names: self.wait_for_projections(position, names),
        )

    def wait_for_projections(
        self, position: int, names: Sequence[str] | None = None, *, caller: str | None = None
    ) -> None:
        """Block until the named projections (all by default) reached `position`, or raise
        STALE after the configured wait rather than serve old data as current; at once when
        one of them is stopped at a parked event up to `position`, when `position` is past
        the head of the log, or when `caller` (or everyone) has as many reads waiting as
        allowed. No connection is held between polls, so waiting readers never starve the
        others of the pool."""
        wanted = list(names or [p.name for p in self.projections])
        if self._reached(wanted, position):
            return
        self._within_the_log(position)
        with self.waiting.admitted(caller or "system", position):
            deadline = time.monotonic() + self.settings.read_wait_seconds
            while not self._reached(wanted, position):
                if time.monotonic() >= deadline:
                    raise Stale(
                        f"The read models have not reached position {position} within "
                        f"{self.settings.read_wait_seconds:g} s; try again shortly",
                        position=position,
                    )
                time.sleep(POLL_SECONDS)

    def _within_the_log(self, position: int) -> None:
        """STALE at once for a position past the head of the event log: no write answered
        with it, and waiting for projections to reach it would only hold a worker."""
        head = self.store.max_position()
        if position > head:
            raise Stale(
                f"Position {position} is past the head of the event log ({head}); "
                "ask for a position a write answered with",
                position=position,
            )

    def _reached(self, names: list[str], position: int) -> bool:
        """Whether `names` all reached `position`; STALE when one is stopped short of it."""
        with self.reads.connection() as conn:
            if self.settings.kafka_bootstrap:  # distributed mode: per-partition tracking
                done = wait_until_applied(
                    conn, names, position, topic=self.settings.kafka_topic, timeout=0
                )
            else:
                done = tracking.wait_for(conn, names, position, timeout=0)
            blocked = [] if done else tracking.blocking(conn, names, position)
        if blocked:
            stopped = sorted({p.projection for p in blocked})
            raise Stale(
                f"The read model {', '.join(stopped)} is stopped at an event it could not "
                f"apply (position {min(p.position for p in blocked)}); reads that need it up "
                "to this position wait until an operator retries it",
                position=position,
                stopped=stopped,
            )
        return done

    def comparison_engine(self) -> Engine:
        """Spark where XUNCHA_SPARK_MASTER is set (one session for the runtime's life),
        else a DuckDB of its own for each run."""
        if self.settings.spark_master:
            if self.spark is None:
                self.spark = SparkEngine(self.settings.spark_master)
            return self.spark
        return DuckDBEngine(
            threads=self.settings.comparison_threads,
            memory_limit=self.settings.comparison_memory_limit,
        )

    def _comparison_views_current(self) -> None:
        names = ["comparison", "directory"]
        self.wait_for_projections(self.store.max_position(), names)

    def projection_progress(self) -> dict[str, dict[str, int]]:
        with self.reads.connection() as conn:
            return tracking.progress(conn)

    def parked_events(self) -> list[tracking.Parked]:
        with self.reads.connection() as conn:
            return tracking.parked(conn)

    def retry_projection(self, name: str) -> int:
        """Clear the projection's parked events, so the feeds apply them again; how many."""
        with self.reads.connection() as conn:
            return tracking.retry(conn, name)

    def close(self) -> None:
        """Stop the feed, close pools, stop an embedded server. Safe to call twice."""
        if self.closed:
            return
        self.closed = True
        self.feed.stop()
        if self.spark is not None:
            self.spark.stop()
        self.reads.close()
        self.store.close()
        self.database.close()


@contextmanager
def running(
    settings: Settings | None = None,
    *,
    feed: bool = True,
    projections: Sequence[Projection] | None = None,
    migrate: bool = False,
) -> Iterator[Runtime]:
    runtime = open_runtime(
        settings or Settings(), feed=feed, projections=projections, migrate=migrate
    )
    try:
        yield runtime
    finally:
        runtime.close()


def open_runtime(
    settings: Settings,
    *,
    feed: bool = True,
    projections: Sequence[Projection] | None = None,
    migrate: bool = False,
) -> Runtime:
    """`projections` replaces the registry's (all_projections) for a runtime that runs others.
    With `migrate`, every table is brought up to the code's schema first (`xuncha migrate`,
    rebuilding a projection whose DDL changed); without, what is missing is created and a
    projection whose schema changed is left for a migration to rebuild."""
    database = open_database(settings)
    try:
        store = open_event_store(database, pool_size=settings.database_pool_size)
        reads = ConnectionPool(
            database.url,
            min_size=1,
            max_size=settings.database_pool_size + 1,  # + the feed's LISTEN connection
            kwargs={"autocommit": True},  # transactions are always explicit
            open=True,
            name="xuncha-reads",
        )
        views = list(projections) if projections is not None else all_projections()
        with reads.connection() as conn:
            outdated = tracking.install(conn, views)
            if settings.kafka_bootstrap:
                relay.install(conn)  # what read-your-writes reads in Kafka mode
        if outdated and not migrate:
            log.warning(
                "the schema of %s changed: run `xuncha migrate` to rebuild",
                ", ".join(p.name for p in outdated),
            )
        log_feed = LogFeed(store, reads, views, batch_size=settings.projection_batch_size)
        tenants = TenantService(store)
        inspectors = InspectorService(store, tenants)
        calendar = CalendarService(store)
        informants = InformantVault(reads)
        informants.install()
        deadline_warnings.install(reads)
        document_files.install(reads)
        accounts = AccountService(store, tenants, reads)
        accounts.install()
        configuration = ConfigurationService(store, tenants)
        rounds = RoundService(store, tenants, inspectors)
        comparison_keys = ComparisonKeys(reads)
        comparison_keys.install()
        dataset_files = DatasetFiles(settings.comparison_folder)
        models = ModelService(store, tenants)
        clues = ClueService(store, tenants, calendar, informants, configuration)
        runtime = Runtime(
            settings=settings,
            database=database,
            store=store,
            reads=reads,
            projections=views,
            feed=log_feed,
            tenants=tenants,
            accounts=accounts,
            clues=clues,
            rectification=RectificationService(store, tenants),
            configuration=configuration,
            rounds=rounds,
            groups=rounds.groups,
            township_cross=TownshipCrossService(rounds),
            guidance=GuidanceService(rounds),
            inspectors=inspectors,
            calendar=calendar,
            history=History(store),
            round_replay=RoundReplay(store, reads, settings.read_statement_timeout_ms),
            waiting=WaitingReads(
                overall=settings.max_waiting_reads,
                per_caller=settings.max_waiting_reads_per_caller,
            ),
            datasets=DatasetService(store, tenants, comparison_keys, dataset_files),
            comparison_models=models,
            candidates=CandidateService(store, tenants, clues),
        )
        runtime.comparisons = RunService(
            store,
            tenants,
            models,
            dataset_files,
            reads,
            engine=runtime.comparison_engine,
            caught_up=runtime._comparison_views_current,
        )
        jobs = ComparisonJobs(reads)
        jobs.install()
        runtime.comparison_jobs = JobService(runtime.comparisons, jobs, tenants)
        if migrate:
            try:
                runtime.migrated = migrate_schema(runtime)
            except BaseException:
                runtime.close()
                raise
        if feed and not settings.kafka_bootstrap:  # with Kafka, workers feed the projections
            log_feed.start()
        return runtime
    except BaseException:
        database.close()
        raise
