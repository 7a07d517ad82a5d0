"""Storage on SQLite and PostgreSQL: migrations, persistence of a real parse, exact amounts."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from app.parsing import parse_pdf
from app.reports import persist
from app.reports import repository as repo
from app.reports.service import report_id_for
from app.store.db import make_engine, session_scope
from app.store.migrations import downgrade, upgrade
from app.store.models import Report
from app.validation import validate

TABLES = {"report", "report_data", "line_item"}


def new_report(sha: str) -> Report:
    now = repo.now()
    return Report(id=report_id_for(sha), sha256=sha, filename="r.pdf", size_bytes=1, status="queued",
                  created_at=now, updated_at=now)


def test_migrations_up_and_down(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    assert TABLES <= set(inspect(engine).get_table_names())
    downgrade(database_url)
    assert not TABLES & set(inspect(engine).get_table_names())
    upgrade(database_url)
    assert TABLES <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_same_sha_cannot_be_stored_twice(database_url: str) -> None:
    upgrade(database_url)
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        repo.add_report(session, new_report("a" * 64))
    with pytest.raises(IntegrityError), session_scope(engine) as session:
        r = new_report("a" * 64)
        r.id = "other"
        repo.add_report(session, r)
    engine.dispose()


def test_real_parse_round_trips_exactly(database_url: str, putuo_justice: bytes) -> None:
    parsed = parse_pdf(putuo_justice)
    result = validate(parsed)
    upgrade(database_url)
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        report = repo.add_report(session, new_report("b" * 64))
        persist.save_parsed(session, report, parsed, result)
    with session_scope(engine) as session:
        stored = repo.list_line_items(session, report_id=report_id_for("b" * 64), code=None, classification=None,
                                      table_kind=None, level=None, row_kind=None, measure=None, department=None,
                                      fiscal_year=None, kind=None, after=None, limit=100000)
        assert len(stored) == len(parsed.line_items)
        for row, li in zip(stored, parsed.line_items, strict=True):
            assert [v[2] for v in row.vals] == [format(v.amount, "f") for v in li.values]
        got = repo.get_report(session, report_id_for("b" * 64))
        assert got is not None and got.status == "parsed"
        assert got.counts["line_items"] == len(parsed.line_items)
        assert got.kind == parsed.meta.kind
        # everything validation reads comes back from the database, equal field by field (all but the
        # boxes of single values, which no rule reads), and the rules find the same on it
        loaded = persist.load_parsed(session, got)
        assert loaded is not None
        unboxed = [dataclasses.replace(li, values=[dataclasses.replace(v, bbox=None) for v in li.values])
                   for li in parsed.line_items]
        assert loaded == dataclasses.replace(parsed, line_items=unboxed)
        assert validate(loaded) == result
    engine.dispose()


def test_amounts_keep_every_cent(database_url: str) -> None:
    """A 96,282,213.44 元 figure and its +0.01 neighbour stay distinct strings end to end."""
    from app.store.models import LineItem

    upgrade(database_url)
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        repo.add_report(session, new_report("c" * 64))
        rid = report_id_for("c" * 64)
        for n, amount in enumerate(["96282213.44", "96282213.45", "0.01", "123456789012.99"]):
            session.add(LineItem(report_id=rid, idx=n, table_idx=0, table_kind="other", page=1, row_kind="subject",
                                 name="x", code="2010101", unit="元", measures=",total,",
                                 vals=[["合计", "total", amount, None]]))
    with session_scope(engine) as session:
        rows = repo.list_line_items(session, report_id=rid, code="201", classification=None, table_kind=None,
                                    level=None, row_kind=None, measure="total", department=None, fiscal_year=None,
                                    kind=None, after=None, limit=10)
        assert [str(persist.cell_values(r)[0].amount) for r in rows] == ["96282213.44", "96282213.45", "0.01",
                                                                "123456789012.99"]
    engine.dispose()


def test_upgrade_from_the_first_schema_requeues_parsed_reports(database_url: str) -> None:
    """The first schema's derived rows cannot be carried over without the parser: its parsed reports
    are queued again (their files are kept), and nothing else about them changes."""
    from sqlalchemy import text

    upgrade(database_url, "0001")
    engine = make_engine(database_url)
    now = repo.now()
    with engine.begin() as conn:
        for rid, status in (("r1", "parsed"), ("r2", "failed")):
            conn.execute(text("INSERT INTO report (id, sha256, filename, size_bytes, status, kind, hints, counts, "
                              "timings_ms, error_count, attempts, created_at, updated_at) VALUES (:id, :sha, 'a.pdf', "
                              "1, :st, 'final', '{}', '{}', '{}', 0, 1, :now, :now)"),
                         {"id": rid, "sha": rid * 32, "st": status, "now": now})
        conn.execute(text("INSERT INTO line_item (id, report_id, idx, table_id, table_kind, row_kind, measures, doc) "
                          "VALUES ('r1-li1', 'r1', 0, 'r1-t1', 'other', 'subject', '', '{}')"))
    upgrade(database_url)
    with session_scope(engine) as session:
        assert [(r.id, r.status) for r in sorted(repo.stuck_reports(session), key=lambda r: r.id)] == [("r1", "queued")]
        failed = repo.get_report(session, "r2")
        assert failed is not None and failed.status == "failed" and failed.sha256 == "r2" * 32
    engine.dispose()
