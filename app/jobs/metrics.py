"""Prometheus metrics of the job pipeline (served at /metrics). The counters below count what
this process parsed; the collector reads the job tables, so any API replica reports the
whole fleet: queue depth, jobs by state, runs per worker, parse seconds and pages."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from prometheus_client import REGISTRY, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, HistogramMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import case, func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.jobs.models import Job, JobRun

log = logging.getLogger(__name__)

REPORTS_FINISHED = Counter("reports_finished_total", "Reports whose parse job finished, by outcome", ["status", "code"])
SECONDS_BUCKETS = (0.5, 1, 2, 5, 10, 20, 40, 80, 160, 320)
PAGES_BUCKETS = (5, 10, 20, 40, 80, 160, 320, 640)
PARSE_SECONDS = Histogram("report_parse_seconds", "Wall time of parse + validate per report (this process)",
                          buckets=SECONDS_BUCKETS)
PAGES_PARSED = Counter("report_pages_parsed_total", "Pages of successfully parsed reports (this process)")
STATES = ("queued", "running", "succeeded", "failed")


class JobsCollector(Collector):
    """Fleet-wide figures from the job tables, read at each scrape."""

    def __init__(self) -> None:
        self.engine: Engine | None = None

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily | HistogramMetricFamily]:
        if self.engine is None:
            return
        try:
            with Session(self.engine) as session:
                by_state = dict(session.exec(select(Job.state, func.count()).group_by(Job.state)).all())
                runs = session.exec(select(JobRun.worker, JobRun.outcome, func.count())
                                    .group_by(col(JobRun.worker), col(JobRun.outcome))).all()
                seconds = _buckets(session, col(JobRun.seconds), SECONDS_BUCKETS)
                pages = _buckets(session, col(JobRun.pages), PAGES_BUCKETS)
        except Exception:  # tables not there yet, or the database is away: serve the rest
            log.warning("job metrics unavailable", exc_info=True)
            return
        depth = GaugeMetricFamily("job_queue_depth", "Jobs waiting for a worker")
        depth.add_metric([], by_state.get("queued", 0))
        yield depth
        jobs = GaugeMetricFamily("jobs", "Jobs by state", labels=["state"])
        for s in STATES:
            jobs.add_metric([s], by_state.get(s, 0))
        yield jobs
        per_worker = CounterMetricFamily("job_runs", "Job runs by worker and outcome", labels=["worker", "outcome"])
        for worker, outcome, n in runs:
            per_worker.add_metric([worker, outcome or "running"], n)
        yield per_worker
        yield _histogram("job_parse_seconds", "Seconds per successful parse run (all workers)", seconds)
        yield _histogram("job_parse_pages", "Pages per successfully parsed report (all workers)", pages)


def _buckets(session: Session, column: Any, bounds: tuple[float, ...]) -> tuple[list[tuple[str, int]], float]:
    """Cumulative bucket counts and the sum of a job_run column over successful parses, in SQL."""
    row = session.exec(select(  # type: ignore[call-overload]
        *[func.sum(case((column <= b, 1), else_=0)) for b in bounds], func.count(), func.sum(column),
    ).where(col(JobRun.action) == "parse", col(JobRun.outcome) == "parsed", column.is_not(None))).one()
    counts = [(str(b), int(n or 0)) for b, n in zip(bounds, row[:-2], strict=True)]
    return [*counts, ("+Inf", int(row[-2] or 0))], float(row[-1] or 0)


def _histogram(name: str, doc: str, data: tuple[list[tuple[str, int]], float]) -> HistogramMetricFamily:
    h = HistogramMetricFamily(name, doc)
    h.add_metric([], data[0], data[1])
    return h


JOBS_COLLECTOR = JobsCollector()
REGISTRY.register(JOBS_COLLECTOR)
