"""The command line: `extract` (no server, no DB), `serve`, `migrate`, `worker`."""

from __future__ import annotations

import argparse
import hashlib
import sys
from datetime import UTC, datetime
from pathlib import Path

import orjson

EXIT_REFUSED = 2


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


def extract(path: Path, out: Path | None) -> int:
    from app.parsing import PARSER_VERSION, ParseError, parse_pdf
    from app.reports.document import document, parsed_counts, report_id_for, report_meta_doc
    from app.validation import validate

    try:
        data = path.read_bytes()
    except OSError as exc:
        sys.stderr.write(orjson.dumps({"code": "file_not_readable", "detail": str(exc)}).decode() + "\n")
        return EXIT_REFUSED
    sha = hashlib.sha256(data).hexdigest()
    created = _now()
    try:
        parsed = parse_pdf(data)
    except ParseError as exc:
        sys.stderr.write(orjson.dumps({"code": exc.code, "title": exc.title, "detail": exc.detail}).decode() + "\n")
        return EXIT_REFUSED
    result = validate(parsed)
    report = {
        "id": report_id_for(sha),
        "status": "parsed",
        **report_meta_doc(parsed),
        "file": {"name": path.name, "sha256": sha, "size_bytes": len(data), "pages": parsed.meta.pages},
        "counts": parsed_counts(parsed, result),
        "parser_version": PARSER_VERSION,
        "created_at": created,
        "parsed_at": _now(),
        "timings_ms": {k: round(v, 1) for k, v in parsed.timings_ms.items()},
        "error": None,
    }
    body = orjson.dumps(document(report, parsed, result, _now()), option=orjson.OPT_INDENT_2)
    if out:
        out.write_bytes(body)
    else:
        sys.stdout.buffer.write(body + b"\n")
    return 0


def serve(host: str, port: int) -> int:
    import uvicorn

    from app.main import create_app

    uvicorn.run(create_app(), host=host, port=port)
    return 0


def migrate() -> int:
    from app.core.config import get_settings
    from app.store.migrations import upgrade

    upgrade(get_settings().database_url)
    return 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app", description=__doc__)
    sub = ap.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("extract", help="parse a PDF and print its JSON document (no server, no DB)")
    ex.add_argument("file", type=Path)
    ex.add_argument("--out", type=Path, default=None)
    sv = sub.add_parser("serve", help="run the HTTP API")
    sv.add_argument("--host", default="127.0.0.1")
    sv.add_argument("--port", type=int, default=8000)
    sub.add_parser("migrate", help="apply database migrations")
    wk = sub.add_parser("worker", help="run parse jobs from the PostgreSQL queue (JOB_QUEUE=postgres)")
    wk.add_argument("--concurrency", type=int, default=None, help="parallel parses (default: WORKERS)")
    a = ap.parse_args(argv)
    if a.command == "extract":
        return extract(a.file, a.out)
    if a.command == "serve":
        return serve(a.host, a.port)
    if a.command == "worker":
        from app.jobs.worker import run

        return run(a.concurrency)
    return migrate()
