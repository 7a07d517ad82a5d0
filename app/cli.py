"""The command line: `extract` (no server, no DB), `serve`, `migrate`, `worker`."""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import orjson

EXIT_REFUSED = 2


def extract(path: Path, out: Path | None) -> int:
    from app.parsing import ParseError, parse_pdf
    from app.reports import persist
    from app.reports import repository as repo
    from app.reports.schemas import document_out
    from app.reports.service import new_report, report_out
    from app.validation import validate

    try:
        data = path.read_bytes()
    except OSError as exc:
        sys.stderr.write(orjson.dumps({"code": "file_not_readable", "detail": str(exc)}).decode() + "\n")
        return EXIT_REFUSED
    report = new_report(sha256=hashlib.sha256(data).hexdigest(), filename=path.name, size_bytes=len(data), hints={},
                        now=repo.now())
    try:
        parsed = parse_pdf(data)
    except ParseError as exc:
        sys.stderr.write(orjson.dumps({"code": exc.code, "title": exc.title, "detail": exc.detail}).decode() + "\n")
        return EXIT_REFUSED
    result = validate(parsed)
    now = repo.now()
    persist.apply_parse(report, parsed, result, now)  # the report row the service would store, never stored
    doc = document_out(report_out(report), parsed, result, persist.iso(now))
    body = orjson.dumps(doc.model_dump(), option=orjson.OPT_INDENT_2)
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
    a = ap.parse_args(argv)
    if a.command == "extract":
        return extract(a.file, a.out)
    if a.command == "serve":
        return serve(a.host, a.port)
    return migrate()
