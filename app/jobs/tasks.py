"""The job function: the same one runs in the in-process pool and (later) on a PostgreSQL
queue's worker processes. It never raises for a bad file: the report ends `failed`."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from typing import Literal

from pebble import ProcessExpired
from sqlalchemy.engine import Engine

from app.jobs.metrics import PAGES_PARSED, PARSE_SECONDS, REPORTS_FINISHED
from app.parsing import ParseError
from app.parsing.model import ParsedReport
from app.reports import service as svc
from app.store.db import session_scope
from app.store.files import FileStore
from app.validation import ValidationReport

log = logging.getLogger(__name__)

ParseFn = Callable[[bytes], tuple[ParsedReport, ValidationReport]]
Action = Literal["parse", "validate"]


@dataclass(frozen=True)
class JobContext:
    engine: Engine
    files: FileStore
    parse: ParseFn  # parse + validate under the worker's limits (process pool, time limit)


def process_report(ctx: JobContext, report_id: str, action: Action = "parse") -> str:
    """Parse (or re-validate, from the stored parse) one report; returns the report's final status."""
    if action == "validate":
        with session_scope(ctx.engine) as session:
            return svc.revalidate(session, report_id=report_id)
    with session_scope(ctx.engine) as session:
        sha = svc.start_parse(session, report_id=report_id)
    if sha is None:
        return "missing"
    started = time.perf_counter()
    try:
        data = ctx.files.get(sha)
        parsed, result = ctx.parse(data)
        outcome: tuple[str, str] | None = None
    except CancelledError:
        raise  # shutting down: the report stays queued/parsing and is requeued at the next start
    except ParseError as exc:
        outcome = (exc.code, exc.detail)
    except FutureTimeout:
        outcome = ("parse_timeout", "parsing took longer than the per-report time limit")
    except ProcessExpired as exc:
        outcome = ("parser_crashed", f"the parser process died (exit code {exc.exitcode}); memory limit exceeded?")
    except MemoryError:
        outcome = ("parser_out_of_memory", "parsing exceeded the per-report memory limit")
    except FileNotFoundError:
        outcome = ("file_missing", "the stored upload is missing from the file store")
    except Exception as exc:  # a parser bug must fail this report, never the worker
        log.exception("parser bug on report %s", report_id)
        outcome = ("parser_error", f"internal parser error: {type(exc).__name__}: {exc}")
    with session_scope(ctx.engine) as session:
        if outcome is not None:
            final = svc.fail_parse(session, report_id=report_id, code=outcome[0], detail=outcome[1])
            if final != "missing":
                REPORTS_FINISHED.labels("failed", outcome[0]).inc()
            return final
        final = svc.finish_parse(session, report_id=report_id, parsed=parsed, result=result)
    if final != "missing":
        PARSE_SECONDS.observe(time.perf_counter() - started)
        PAGES_PARSED.inc(parsed.meta.pages)
        REPORTS_FINISHED.labels("parsed", "").inc()
    return final
