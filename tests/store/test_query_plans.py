"""The plans of the reads across reports: every filter and every cursor is an index condition, on
PostgreSQL and SQLite (the plans, never the timings: scripts/bench_api.py measures those).

One real parse is stored through the service and copied under 300 report ids (the copies carry the
parse's rows under other ids, departments and years), then the statistics are refreshed, as after a
bulk load."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, insert, select, text
from sqlalchemy.engine import Engine

from app.parsing import parse_pdf
from app.reports import persist
from app.reports import repository as repo
from app.reports import service as svc
from app.store.db import make_engine, session_scope
from app.store.migrations import upgrade
from app.store.models import LineItem, Report
from app.validation import validate

pytestmark = pytest.mark.slow  # 300 reports in a real database

COPIES = 300
NONE = {"code": None, "classification": None, "table_kind": None, "level": None, "row_kind": None, "measure": None,
        "department": None, "fiscal_year": None, "kind": None}


@pytest.fixture
def loaded(database_url: str, putuo_finance: bytes) -> Iterator[tuple[Engine, str]]:
    parsed = parse_pdf(putuo_finance)
    upgrade(database_url)
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        report = repo.add_report(session, svc.new_report(sha256="a" * 64, filename="t.pdf", size_bytes=1, hints={},
                                                         now=repo.now()))
        persist.save_parsed(session, report, parsed, validate(parsed))
        template = report.id
    with session_scope(engine) as session:
        rows = [dict(r._mapping) for r in session.execute(select(LineItem.__table__)
                                                          .where(LineItem.__table__.c.report_id == template))]
        copies = [(f"c{n:023d}", 2020 + n % 5) for n in range(COPIES)]
        session.add_all([Report(id=rid, sha256=f"{n:064d}", filename="c.pdf", size_bytes=1, status="parsed",
                                department=f"部门{n}", fiscal_year=year, kind="final", created_at=repo.now(),
                                updated_at=repo.now()) for n, (rid, year) in enumerate(copies)])
        session.flush()
        session.execute(insert(LineItem), [{**r, "report_id": rid, "fiscal_year": year}
                                           for rid, year in copies for r in rows])
    with session_scope(engine) as session:
        session.execute(text("ANALYZE"))  # as after a bulk load
    yield engine, template
    engine.dispose()


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def grab(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: bool) -> None:
        seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", grab)


def plan_of(engine: Engine, call: Any) -> str:
    """The plan of the line-item (or report) SELECT that `call` sends."""
    with statements(engine) as seen:
        call()
    statement, params = next((s, p) for s, p in reversed(seen) if s.lstrip().upper().startswith("SELECT"))
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if engine.dialect.name == "sqlite":
            cur.execute("EXPLAIN QUERY PLAN " + statement, params)
            plan = "\n".join(str(r[-1]) for r in cur.fetchall())
        else:
            cur.execute("EXPLAIN " + statement, params)
            plan = "\n".join(r[0] for r in cur.fetchall())
        cur.close()
    finally:
        raw.close()
    return plan


def page(engine: Engine, n: int, **filters: Any) -> tuple[str | None, Any]:
    """The cursor of page `n` (pages of 100) and a call that reads that page."""
    cursor = None
    for _ in range(n - 1):
        with session_scope(engine) as session:
            cursor = svc.list_line_items(session, report_id=None, cursor=cursor, limit=100,
                                         **{**NONE, **filters}).next_cursor
        assert cursor is not None, "fewer pages than the test needs"

    def call() -> Any:
        with session_scope(engine) as session:
            return svc.list_line_items(session, report_id=None, cursor=cursor, limit=100, **{**NONE, **filters})

    return cursor, call


def assert_index_plan(engine: Engine, plan: str, index: str, *, cursor: bool) -> None:
    if engine.dialect.name == "sqlite":
        assert re.search(rf"SEARCH line_item USING (COVERING )?INDEX {index}\b|SEARCH line_item USING PRIMARY KEY",
                         plan), plan
        assert "SCAN line_item" not in plan, plan
        assert "TEMP B-TREE" not in plan, plan  # the order is the index's
        return
    assert "Seq Scan" not in plan, plan
    assert re.search(rf"Index (Only )?Scan using {index} on line_item|Bitmap Index Scan on {index}", plan), plan
    assert "Sort" not in plan, plan
    if cursor:  # the cursor bounds the index scan: it is never a filter applied to the rows read
        conds = [ln for ln in plan.splitlines() if "Index Cond" in ln]
        assert any("ROW(" in ln for ln in conds), plan
        assert not any("ROW(" in ln for ln in plan.splitlines() if "Filter" in ln), plan


def check_code_prefix_and_its_cursor_are_index_conditions(engine: Engine) -> None:
    for code in ("2010601", "201", "2"):
        _, first = page(engine, 1, code=code)
        assert_index_plan(engine, plan_of(engine, first), "ix_line_item_code", cursor=False)
        _, later = page(engine, 3, code=code)
        assert_index_plan(engine, plan_of(engine, later), "ix_line_item_code", cursor=True)
        rows = later().data
        assert rows and all(li.code is not None and li.code.startswith(code) for li in rows)


def check_year_listing_pages_are_keyset_pages(engine: Engine) -> None:
    _, later = page(engine, 20, fiscal_year=2022)
    plan = plan_of(engine, later)
    if engine.dialect.name == "sqlite":
        assert "SCAN line_item" not in plan and "TEMP B-TREE" not in plan, plan
    else:
        assert "Seq Scan" not in plan and "Sort" not in plan, plan
        assert any("ROW(" in ln for ln in plan.splitlines() if "Index Cond" in ln), plan
        assert not any("ROW(" in ln for ln in plan.splitlines() if "Filter" in ln), plan


def check_one_reports_line_items_read_the_key(engine: Engine, template: str) -> None:

    def call() -> Any:
        with session_scope(engine) as session:
            return svc.list_line_items(session, report_id=template, cursor=None, limit=1000, **NONE)

    plan = plan_of(engine, call)
    if engine.dialect.name == "sqlite":
        assert "SEARCH line_item USING PRIMARY KEY" in plan or "USING INDEX sqlite_autoindex_line_item" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
    else:
        assert "line_item_pkey" in plan and "Seq Scan" not in plan and "Sort" not in plan, plan


def check_report_list_pages_by_its_index(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = svc.list_reports(session, cursor=None, limit=50, department=None, fiscal_year=None, kind=None,
                                 status=None, has_errors=None)
        cursor = first.next_cursor
        second = svc.list_reports(session, cursor=cursor, limit=50, department=None, fiscal_year=None, kind=None,
                                  status=None, has_errors=None)
        keys = [(r.created_at, r.id) for r in first.data + second.data]
        assert len(set(keys)) == 100 and keys == sorted(keys)  # the second page starts after the first

    def call() -> Any:
        with session_scope(engine) as session:
            return svc.list_reports(session, cursor=cursor, limit=50, department=None, fiscal_year=None, kind=None,
                                    status=None, has_errors=None)

    plan = plan_of(engine, call)
    if engine.dialect.name == "sqlite":
        assert "ix_report_created_id" in plan and "TEMP B-TREE" not in plan, plan
    else:
        assert "ix_report_created_id" in plan and "Sort" not in plan, plan
        assert any("ROW(" in ln for ln in plan.splitlines() if "Index Cond" in ln), plan


def test_reads_across_reports_are_index_scans(loaded: tuple[Engine, str]) -> None:
    engine, template = loaded
    check_code_prefix_and_its_cursor_are_index_conditions(engine)
    check_year_listing_pages_are_keyset_pages(engine)
    check_one_reports_line_items_read_the_key(engine, template)
    check_report_list_pages_by_its_index(engine)
