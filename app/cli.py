"""The command line: `extract` (no server, no DB; a file or a folder), `upload` (a folder, to a server),
`serve`, `migrate`, `worker`, `keys`."""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

if TYPE_CHECKING:
    from app.reports.schemas import Document

EXIT_REFUSED = 2


def document(path: Path) -> tuple[Document | None, dict[str, Any] | None]:
    """The contract document of one PDF, or the problem that refused it (`code`, `detail`)."""
    # pure modules only: no ORM, no web framework (start-up is most of a small file's time); and
    # no pydantic plugins: looking for them reads the entry points of every installed package
    # (11 ms of each run), and the project uses none
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from app.parsing import ParseError, parse_pdf
    from app.reports.record import Record, apply_parse, iso, now, report_id_for, report_out
    from app.reports.schemas import document_out
    from app.validation import validate

    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, {"code": "file_not_readable", "detail": str(exc)}
    sha256, created = hashlib.sha256(data).hexdigest(), now()
    report = Record(id=report_id_for(sha256), sha256=sha256, filename=path.name, size_bytes=len(data),
                    created_at=created, updated_at=created)
    try:
        parsed = parse_pdf(data)
    except ParseError as exc:
        return None, {"code": exc.code, "title": exc.title, "detail": exc.detail}
    result = validate(parsed)
    done = now()
    apply_parse(report, parsed, result, done)
    return document_out(report_out(report), parsed, result, iso(done)), None


def document_json(doc: Document) -> bytes:
    """The document as the CLI writes it: indented JSON, written by pydantic-core itself (a
    dict dumped by orjson is the same bytes, at twice the cost)."""
    return doc.model_dump_json(indent=2).encode()


def extract(path: Path, out: Path | None) -> int:
    if path.is_dir():
        from app.cli_folders import extract_dir

        if out is None:
            sys.stderr.write("extract DIR needs --out DIR (one JSON document per PDF)\n")
            return EXIT_REFUSED
        return extract_dir(path, out)
    doc, problem = document(path)
    if doc is None:
        sys.stderr.write(orjson.dumps(problem).decode() + "\n")
        return EXIT_REFUSED
    body = document_json(doc)
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
    ex = sub.add_parser("extract", help="parse a PDF and print its JSON document (no server, no DB); with a "
                                        "folder, every PDF in it to --out DIR/<name>.json and a summary")
    ex.add_argument("file", type=Path, help="a PDF, or a folder of PDFs")
    ex.add_argument("--out", type=Path, default=None, help="the JSON file (for a folder: the output folder)")
    up = sub.add_parser("upload", help="upload every PDF in a folder to a running server, wait, print a summary")
    up.add_argument("folder", type=Path)
    up.add_argument("--url", required=True, help="the server, e.g. http://127.0.0.1:8000")
    up.add_argument("--key", default=None, help="an API key with the write scope (or set API_KEY)")
    up.add_argument("--timeout", type=float, default=1800, help="seconds to wait for the parses")
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
    if a.command == "upload":
        from app.cli_folders import upload_dir

        return upload_dir(a.folder, url=a.url, key=a.key or os.environ.get("API_KEY"), timeout=a.timeout)
    if a.command == "serve":
        return serve(a.host, a.port)
    if a.command == "worker":
        from app.jobs.worker import run

        return run(a.concurrency)
    return migrate()
