"""The job function: the same one runs in the embedded runner's threads and in the workers of
the PostgreSQL queue. It never raises for a bad file (the report ends `failed`); it raises
`RetryJob` when the run should be tried again (a crashed parser process, a shutdown)."""

from __future__ import annotations

import logging
import time
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Literal, Protocol

from pebble import ProcessExpired
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.jobs import state
from app.jobs.metrics import PAGES_PARSED, PARSE_SECONDS, REPORTS_FINISHED
from app.jobs.models import Job, JobRun
from app.parsing import ParseError
from app.parsing.model import ParsedReport
from app.reports import persist
from app.reports import repository as repo
from app.reports import service as svc
from app.store.db import session_scope
from app.store.files import BlobStore
from app.store.models import Report
from app.validation import ValidationReport

log = logging.getLogger(__name__)

Action = Literal["parse", "validate"]


class Parser(Protocol):
    def pages(self, data: bytes) -> int: ...
    def parse(self, data: bytes, job_id: int | None = None) -> tuple[ParsedReport, ValidationReport]: ...
    def death(self, data: bytes, exitcode: int | None) -> ParseError | None: ...


class RetryJob(Exception):
    """The run did not finish (its parser process died, or the runner is stopping): the job
    is queued again and the queue's retry policy runs it again."""


@dataclass(frozen=True)
class JobContext:
    engine: Engine
    files: BlobStore
    parser: Parser  # parse + validate under the limits, in a child process
    worker: str = "embedded"
    max_attempts: int = 3


def process_report(ctx: JobContext, report_id: str, action: Action = "parse") -> str:
    """Run the (report, action) job once; returns the report's status when it ends. A parse
runs in the parser's child process; a validation re-runs the rules on the stored parse."""
    with session_scope(ctx.engine) as session:
        report = repo.get_report(session, report_id)
        if report is None:
            return "missing"
        claimed = state.claim(session, report_id, action, ctx.worker)
        if claimed is None:  # done already, or never requested
            return report.status
        job, run = claimed
        if action == "validate":  # the current rules on the stored parse: no PDF, no parser process
            if report.status != "parsed":  # a parse is queued: it validates too
                state.finish(session, job, run, state="succeeded", outcome="skipped")
                return report.status
            final = svc.revalidate(session, report_id=report_id)
            state.finish(session, job, run, state="succeeded", outcome="validated")
            return final
        if action == "parse":
            if job.attempts > ctx.max_attempts:
                return _crashed_repeatedly(session, report, job, run)
            report.status = "parsing"
            report.attempts += 1
            report.updated_at = repo.now()
            session.add(report)
        sha = report.sha256
    log.info("job start report=%s action=%s worker=%s attempt=%d", report_id, action, ctx.worker, job.attempts)
    started = time.perf_counter()
    outcome: tuple[str, str] | None = None
    try:
        data = ctx.files.get(sha)
        pages = ctx.parser.pages(data)
        _progress(ctx, job, stage="parsing", pages_total=pages, pages_done=0)
        parsed, result = ctx.parser.parse(data, job_id=job.id)
        _progress(ctx, job, stage="saving", pages_done=parsed.meta.pages, pages_ocr=len(parsed.ocr_pages))
    except CancelledError:
        _hand_back(ctx, report_id, job, run, "cancelled")
        raise RetryJob("the runner stopped during the parse") from None
    except (ProcessExpired, BrokenProcessPool) as exc:
        if (cause := ctx.parser.death(data, getattr(exc, "exitcode", None))) is not None:  # final
            outcome = (cause.code, cause.detail)
        elif job.attempts < ctx.max_attempts:
            _hand_back(ctx, report_id, job, run, "retry")
            raise RetryJob(f"the parser process died: {exc}") from exc
        else:
            outcome = ("parser_crashed_repeatedly",
                       f"the parser process died on each of {job.attempts} attempts (last: {exc})")
    except ParseError as exc:
        outcome = (exc.code, exc.detail)
    except FutureTimeout:
        outcome = ("parse_timeout", "parsing took longer than the per-report time limit")
    except FileNotFoundError:
        outcome = ("file_missing", "the stored upload is missing from the file store")
    except Exception as exc:  # a parser bug must fail this report, never the worker
        log.exception("parser bug on report %s", report_id)
        outcome = ("parser_error", f"internal parser error: {type(exc).__name__}: {exc}")
    with session_scope(ctx.engine) as session:
        report = repo.get_report(session, report_id)
        if report is None:  # deleted meanwhile
            return "missing"
        if outcome is not None:
            persist.mark_failed(session, report, *outcome)
            REPORTS_FINISHED.labels("failed", outcome[0]).inc()
            state.finish(session, job, run, state="failed", outcome=f"failed:{outcome[0]}")
            log.info("job done report=%s action=%s worker=%s outcome=failed:%s", report_id, action, ctx.worker,
                     outcome[0])
            return report.status
        persist.save_parsed(session, report, parsed, result)
        PARSE_SECONDS.observe(time.perf_counter() - started)
        PAGES_PARSED.inc(parsed.meta.pages)
        REPORTS_FINISHED.labels("parsed", "").inc()
        state.finish(session, job, run, state="succeeded", outcome="parsed", pages=parsed.meta.pages)
        log.info("job done report=%s action=%s worker=%s outcome=%s pages=%d", report_id, action, ctx.worker,
                 report.status, parsed.meta.pages)
        return report.status


def _crashed_repeatedly(session: Session, report: Report, job: Job, run: JobRun) -> str:
    detail = f"the job was started {job.attempts - 1} times and never finished (MAX_ATTEMPTS reached)"
    persist.mark_failed(session, report, "parser_crashed_repeatedly", detail)
    REPORTS_FINISHED.labels("failed", "parser_crashed_repeatedly").inc()
    state.finish(session, job, run, state="failed", outcome="failed:parser_crashed_repeatedly")
    return report.status


def _progress(ctx: JobContext, job: Job, **fields: object) -> None:
    assert job.id is not None
    with session_scope(ctx.engine) as session:
        state.progress(session, job.id, **fields)


def _hand_back(ctx: JobContext, report_id: str, job: Job, run: JobRun, why: str) -> None:
    """The run ends unfinished: the job and its report are queued again."""
    with session_scope(ctx.engine) as session:
        state.finish(session, job, run, state="queued", outcome=why)
        report = repo.get_report(session, report_id)
        if report is not None and report.status == "parsing":
            report.status = "queued"
            report.updated_at = repo.now()
            session.add(report)
