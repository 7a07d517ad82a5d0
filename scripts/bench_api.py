#!/usr/bin/env python3
"""Reads at national scale, on PostgreSQL.

Parses the shared fixture PDFs for real, stores each through the service's own persistence, then
replicates those reports under new ids, departments and years with bulk `INSERT … SELECT` until the
database holds N reports (10,000 reports ≈ 3M line items), runs `ANALYZE`, and prints for each size
in `--reports`:

- database bytes per report and per line item (`pg_database_size` less the empty schema's);
- p50/p95 in SQL (the statement the service sends, timed on the driver) and through the service
  function of: a narrow code query, a broad prefix, page 1 and page 50 of a year-wide listing, one
  report's line items;
- a full year-wide CSV export through the cursor, rows/s of its first and last tenth;
- the EXPLAIN of each query.

The floor printed beside the figures is `SELECT 1` in the same run.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/bench scripts/bench_api.py --reports 1000 10000

The database named by DATABASE_URL is emptied first: never point it at one you keep.

`--http` measures the served API instead: it starts `python -m app serve` on a fresh data directory
(SQLite, or DATABASE_URL when set — emptied first), uploads the fixture reports and a few corpus
reports, then prints req/s and p50/p99 latency at 1, 10 and 50 concurrent clients of a 1,000-item
page of one report's line items and of a cross-report query (uncompressed; then one client with
gzip), and the server's own time per request (its `Server-Timing: app;dur=` header, when sent):

    scripts/bench_api.py --http --corpus 4
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.parsing import parse_pdf  # noqa: E402
from app.reports import export, export_rows, persist  # noqa: E402
from app.reports import repository as repo  # noqa: E402
from app.reports import service as svc  # noqa: E402
from app.store.db import make_engine, session_scope  # noqa: E402
from app.store.migrations import upgrade  # noqa: E402
from app.store.models import Report  # noqa: E402
from app.validation import validate  # noqa: E402

FIXTURES = Path(os.environ.get("SHARED_FIXTURES", ROOT.parent / "shared" / "fixtures"))
ID_LEN = 24  # report ids are the first 24 hex digits of the file's sha256
ID_COLUMNS = {"id", "report_id", "table_id", "programme_id"}  # string keys that start with the report id
YEARS = 5  # prime to the 6 templates, so each year holds every template


def reset(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def db_bytes(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(text("SELECT pg_database_size(current_database())")).scalar_one())


def load_templates(engine: Engine, pdfs: list[Path], corpus_from: int, corpus: int) -> list[str]:
    """Real parses of the fixtures (and of up to `corpus` corpus reports with line items, from
    position `corpus_from` on), stored as the service stores them; returns their report ids."""
    ids = []
    for n, pdf in enumerate(pdfs):
        if n >= corpus_from and len(ids) >= corpus_from + corpus:
            break
        data = pdf.read_bytes()
        t0 = time.perf_counter()
        parsed = parse_pdf(data)
        if n >= corpus_from and not parsed.line_items:
            continue
        result = validate(parsed)
        sha = f"{n:02d}" + "0" * 62
        now = repo.now()
        with session_scope(engine) as session:
            report = Report(id=sha[:ID_LEN], sha256=sha, filename=pdf.name, size_bytes=len(data), status="parsing",
                            created_at=now, updated_at=now)
            repo.add_report(session, report)
            persist.save_parsed(session, report, parsed, result)
        ids.append(sha[:ID_LEN])
        print(f"  parsed {pdf.name}: {len(parsed.line_items)} line items, {time.perf_counter() - t0:.1f} s",
              flush=True)
    return ids


def replicate(engine: Engine, templates: list[str], start: int, stop: int) -> None:
    """Reports start..stop-1 as copies of the templates under new ids, departments and years."""
    names = [t for t, _ in inspect(engine).get_sorted_table_and_fkc_names() if t and t != "alembic_version"]
    tables = ["report", *[t for t in names if t != "report"]]
    columns = {t: [c["name"] for c in inspect(engine).get_columns(t)] for t in tables}
    with engine.begin() as conn:
        conn.execute(text("CREATE TEMP TABLE IF NOT EXISTS bench_map (new_id text, tmpl text, dept text, yr int)"))
        conn.execute(text("TRUNCATE bench_map"))
        conn.execute(
            text("INSERT INTO bench_map SELECT 'b' || lpad(to_hex(g), 23, '0'), "
                 "(CAST(:tmpls AS text[]))[1 + g % CAST(:k AS int)], '部门' || g, 2020 + g % CAST(:years AS int) "
                 "FROM generate_series(CAST(:a AS int), CAST(:b AS int)) g"),
            {"tmpls": templates, "k": len(templates), "years": YEARS, "a": start, "b": stop - 1},
        )
        for t in tables:
            if "report_id" not in columns[t] and t != "report":
                continue
            key = "id" if t == "report" else "report_id"
            exprs = []
            for c in columns[t]:
                if t == "report" and c == "id":
                    exprs.append("m.new_id")
                elif t == "report" and c == "sha256":
                    exprs.append("m.new_id || repeat('0', 40)")
                elif t == "report" and c == "department":
                    exprs.append("m.dept")
                elif t == "report" and c == "fiscal_year":
                    exprs.append("m.yr")
                elif c == "fiscal_year":  # a copy of the report's year kept beside its rows
                    exprs.append("m.yr")
                elif c == "doc":  # the stored document names the report
                    exprs.append("replace(x.doc, m.tmpl, m.new_id)")
                elif c in ID_COLUMNS:
                    exprs.append(f"m.new_id || substr(x.{c}, {ID_LEN + 1})")
                else:
                    exprs.append(f'x."{c}"')
            cols = ", ".join(f'"{c}"' for c in columns[t])
            conn.execute(text(f"INSERT INTO {t} ({cols}) SELECT {', '.join(exprs)} FROM {t} x "
                              f"JOIN bench_map m ON x.{key} = m.tmpl"))


def vacuum_analyze(engine: Engine) -> None:
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE"))


@contextmanager
def captured(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def grab(_conn: Any, _cursor: Any, statement: str, parameters: Any, _ctx: Any, _many: bool) -> None:
        seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", grab)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", grab)


def pct(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p * (len(xs) - 1))))]


def time_sql(engine: Engine, statement: str, params: Any, runs: int) -> list[float]:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        out = []
        for _ in range(runs):
            t0 = time.perf_counter()
            cur.execute(statement, params)
            cur.fetchall()
            out.append((time.perf_counter() - t0) * 1000)
        cur.close()
        return out
    finally:
        raw.close()


def time_server(engine: Engine, statement: str, params: Any, runs: int) -> list[float]:
    """The database's own execution time of the statement (EXPLAIN ANALYZE, no per-node timing)."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        out = []
        for _ in range(runs):
            cur.execute("EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) " + statement, params)
            out.append(float(cur.fetchone()[0][0]["Execution Time"]))
        cur.close()
        return out
    finally:
        raw.close()


def explain(engine: Engine, statement: str, params: Any) -> str:
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + statement, params)
        lines = [r[0] for r in cur.fetchall()]
        cur.close()
        return "\n".join("      " + line for line in lines)
    finally:
        raw.close()


def line_items(engine: Engine, **kw: Any) -> dict[str, Any]:
    args: dict[str, Any] = {"report_id": None, "cursor": None, "limit": 1000, "code": None, "classification": None,
                            "table_kind": None, "level": None, "row_kind": None, "measure": None,
                            "department": None, "fiscal_year": None, "kind": None}
    args.update(kw)
    with session_scope(engine) as session:
        page = svc.list_line_items(session, **args)
        return {"data": page.data, "next_cursor": page.next_cursor}


def measure(engine: Engine, name: str, call: Callable[[], Any], runs: int, show_plan: bool) -> None:
    with captured(engine) as seen:
        call()
    statement, params = next((s, p) for s, p in reversed(seen) if "line_item" in s)
    svc_ms = []
    for _ in range(runs):
        t0 = time.perf_counter()
        call()
        svc_ms.append((time.perf_counter() - t0) * 1000)
    sql_ms = time_sql(engine, statement, params, runs)
    server_ms = time_server(engine, statement, params, runs)
    print(f"  {name:<26} in SQL p50 {pct(server_ms, .5):6.2f} p95 {pct(server_ms, .95):6.2f} ms | "
          f"SQL+fetch p50 {pct(sql_ms, .5):6.2f} p95 {pct(sql_ms, .95):6.2f} ms | "
          f"service p50 {pct(svc_ms, .5):6.2f} p95 {pct(svc_ms, .95):6.2f} ms", flush=True)
    if show_plan:
        print(explain(engine, statement, params), flush=True)


def cursor_at(engine: Engine, page: int, **kw: Any) -> tuple[int, str | None]:
    """The cursor of page `page` (or of the last full page, when there are fewer)."""
    cursors: list[str | None] = [None]
    while len(cursors) < page + 1:
        nxt = line_items(engine, cursor=cursors[-1], **kw)["next_cursor"]
        if nxt is None:
            break
        cursors.append(nxt)
    at = min(page, len(cursors) - 1)
    return at, cursors[at - 1]


def export_rate(engine: Engine, year: int) -> None:
    """The complete CSV export of one year (what `GET /line-items?format=csv&fiscal_year=` streams),
    timed per chunk of rows: the rate must hold from the first rows to the last."""
    rates: list[tuple[int, float]] = []
    total = 0
    t_start = time.perf_counter()
    with session_scope(engine) as session:
        rows = export.line_item_rows(export_rows.line_items(session, report_id=None, code=None, classification=None,
                                                            table_kind=None, level=None, row_kind=None, measure=None,
                                                            department=None, fiscal_year=year, kind=None),
                                     export_rows.ReportInfos(session))
        t0 = time.perf_counter()
        for _chunk in export.csv_chunks(rows):
            dt = time.perf_counter() - t0
            rates.append((export.CHUNK_ROWS, dt))
            total += export.CHUNK_ROWS
            t0 = time.perf_counter()
    tenth = max(1, len(rates) // 10)

    def rate(part: list[tuple[int, float]]) -> float:
        return sum(r for r, _ in part) / max(sum(d for _, d in part), 1e-9)

    print(f"  CSV export fiscal_year={year}: ~{total} rows in {len(rates)} chunks, "
          f"{total / (time.perf_counter() - t_start):,.0f} rows/s overall; first tenth "
          f"{rate(rates[:tenth]):,.0f} rows/s, last tenth {rate(rates[-tenth:]):,.0f} rows/s", flush=True)


def report(engine: Engine, n: int, empty_bytes: int, templates: list[str], runs: int) -> None:
    with engine.connect() as conn:
        items = int(conn.execute(text("SELECT count(*) FROM line_item")).scalar_one())
        reports = int(conn.execute(text("SELECT count(*) FROM report")).scalar_one())
        code = conn.execute(text("SELECT code FROM line_item WHERE length(code) = 7 GROUP BY code "
                                 "ORDER BY count(*) DESC LIMIT 1")).scalar_one()
    size = db_bytes(engine) - empty_bytes
    print(f"\n== {reports} reports, {items} line items: {size / 1e6:,.1f} MB, {size / reports:,.0f} bytes/report, "
          f"{size / items:,.0f} bytes/line item", flush=True)
    floor = time_sql(engine, "SELECT 1", None, runs)
    print(f"  {'floor: SELECT 1':<26} SQL+fetch p50 {pct(floor, .5):6.2f} p95 {pct(floor, .95):6.2f} ms")
    year = 2021
    at, page50 = cursor_at(engine, 50, fiscal_year=year)
    rid = templates[0]
    measure(engine, f"narrow code {code}", lambda: line_items(engine, code=code, limit=100), runs, True)
    measure(engine, "broad prefix 2", lambda: line_items(engine, code="2", limit=100), runs, True)
    measure(engine, f"year {year} page 1", lambda: line_items(engine, fiscal_year=year), runs, True)
    measure(engine, f"year {year} page {at}", lambda: line_items(engine, fiscal_year=year, cursor=page50), runs, True)
    measure(engine, "one report's line items",
            lambda: line_items(engine, report_id=rid, limit=1000), runs, True)
    export_rate(engine, year)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--http", action="store_true", help="load the served API with concurrent HTTP clients")
    ap.add_argument("--clients", type=int, nargs="+", default=[1, 10, 50])
    ap.add_argument("--reports", type=int, nargs="+", default=[1000, 10000])
    ap.add_argument("--runs", type=int, default=30)
    ap.add_argument("--fixtures", type=int, default=6, help="how many fixture PDFs to parse as templates")
    ap.add_argument("--corpus", type=int, default=6,
                    help="how many corpus reports (every 9th by name, those with line items) to add as templates")
    ap.add_argument("--measure-only", action="store_true",
                    help="measure the database as a previous run left it (no reset, no load)")
    a = ap.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if a.http:
        from scripts.bench_http import bench_http

        pdfs = sorted((FIXTURES / "real").glob("*.pdf")) + sorted((FIXTURES / "corpus").glob("*.pdf"))[::9][: a.corpus]
        return bench_http(pdfs, url, a.clients, a.runs)
    if not url.startswith("postgresql"):
        sys.exit("set DATABASE_URL to a PostgreSQL database that may be emptied")
    url = url.replace("postgresql://", "postgresql+psycopg://", 1)
    if a.measure_only:
        engine = make_engine(url)
        report(engine, 0, 0, ["0" * ID_LEN], a.runs)
        engine.dispose()
        return 0
    reset(url)
    upgrade(url)
    engine = make_engine(url)
    empty = db_bytes(engine)
    pdfs = sorted((FIXTURES / "real").glob("*.pdf")) + sorted((FIXTURES / "seeds").glob("*.pdf"))
    pdfs = pdfs[: a.fixtures] + sorted((FIXTURES / "corpus").glob("*.pdf"))[::9]
    print(f"parsing {len(pdfs)} reports (fixtures, then corpus reports)", flush=True)
    templates = load_templates(engine, pdfs, corpus_from=a.fixtures, corpus=a.corpus)
    have = len(templates)
    for n in sorted(a.reports):
        t0 = time.perf_counter()
        step = 1000
        while have < n:
            stop = min(n, have + step)
            replicate(engine, templates, have, stop)
            have = stop
        vacuum_analyze(engine)
        print(f"\nloaded {n} reports in {time.perf_counter() - t0:.0f} s (bulk INSERT … SELECT, then VACUUM ANALYZE)",
              flush=True)
        report(engine, n, empty, templates, a.runs)
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
