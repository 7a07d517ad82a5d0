"""The command line: `extract` (no server, no DB), `serve`, `migrate`, `worker`."""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import orjson

EXIT_REFUSED = 2


def extract(path: Path, out: Path | None) -> int:
    # pure modules only: no ORM, no web framework (start-up is most of a small file's time)
    from app.parsing import ParseError, parse_pdf
    from app.reports.record import Record, apply_parse, iso, now, report_id_for, report_out
    from app.reports.schemas import document_out
    from app.validation import validate

    try:
        data = path.read_bytes()
    except OSError as exc:
        sys.stderr.write(orjson.dumps({"code": "file_not_readable", "detail": str(exc)}).decode() + "\n")
        return EXIT_REFUSED
    sha256, created = hashlib.sha256(data).hexdigest(), now()
    report = Record(id=report_id_for(sha256), sha256=sha256, filename=path.name, size_bytes=len(data),
                    created_at=created, updated_at=created)
    try:
        parsed = parse_pdf(data)
    except ParseError as exc:
        sys.stderr.write(orjson.dumps({"code": exc.code, "title": exc.title, "detail": exc.detail}).decode() + "\n")
        return EXIT_REFUSED
    result = validate(parsed)
    done = now()
    apply_parse(report, parsed, result, done)
    doc = document_out(report_out(report), parsed, result, iso(done))
    body = orjson.dumps(doc.model_dump(), option=orjson.OPT_INDENT_2)
    if out:
        out.write_bytes(body)
    else:
        sys.stdout.buffer.write(body + b"\n")
    return 0


def serve(host: str, port: int) -> int:
    import uvicorn

    from app.api.auth import check_bind
    from app.core.config import get_settings
    from app.main import create_app

    if refusal := check_bind(get_settings(), host):
        sys.stderr.write(refusal + "\n")
        return EXIT_REFUSED
    uvicorn.run(create_app(), host=host, port=port, server_header=False)
    return 0


def keys(a: argparse.Namespace) -> int:
    """`keys create|list|revoke`: the new key is printed once, as the last line."""
    from app.auth import keys as key_store
    from app.core.config import get_settings
    from app.store.db import make_engine, session_scope
    from app.store.migrations import upgrade

    url = get_settings().database_url
    upgrade(url)
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            if a.keys_command == "create":
                key, secret = key_store.create_key(session, scope=a.scope, name=a.name, actor=None)
                print(f"created key {key.id} ({key.scope}) {key.name}".rstrip())
                print("the key is shown only now; send it as `Authorization: Bearer KEY`:")
                print(secret)
                return 0
            if a.keys_command == "list":
                for k in key_store.list_keys(session):
                    state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active"
                    print(f"{k.id}\t{k.scope}\t{state}\t{k.prefix}…\t{k.name}")
                return 0
            if key_store.revoke_key(session, a.id, actor=None) is None:
                sys.stderr.write(f"no API key {a.id!r}\n")
                return EXIT_REFUSED
            print(f"revoked {a.id}")
            return 0
    finally:
        engine.dispose()


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
    ks = sub.add_parser("keys", help="create, list and revoke API keys").add_subparsers(dest="keys_command",
                                                                                       required=True)
    kc = ks.add_parser("create", help="create a key and print it (its last line) once")
    kc.add_argument("--scope", choices=["read", "write", "admin"], required=True)
    kc.add_argument("--name", default="")
    ks.add_parser("list", help="list keys (never the keys themselves)")
    ks.add_parser("revoke", help="revoke a key by its id").add_argument("id")
    a = ap.parse_args(argv)
    if a.command == "keys":
        return keys(a)
    if a.command == "extract":
        return extract(a.file, a.out)
    if a.command == "serve":
        return serve(a.host, a.port)
    if a.command == "worker":
        from app.jobs.worker import run

        return run(a.concurrency)
    return migrate()
