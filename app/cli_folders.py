"""Folder commands: `extract DIR --out DIR` (no server) and `upload DIR --url URL` (to a server):
a progress line per file on stderr, a summary table on stdout, exit 1 when any file failed."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

EXIT_FAILED = 1
POLL_SECONDS = 1.0
BUSY = {429, 503}  # the server asks to come back later (Retry-After): the request is sent again


class Busy(Exception):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"the server asks to retry after {retry_after:g} s")
        self.retry_after = retry_after


def _wait_for(exc: Exception) -> float | bool:
    """stamina's backoff hook: a busy server's own Retry-After; a dropped connection the usual backoff."""
    import httpx

    if isinstance(exc, Busy):
        return exc.retry_after
    return isinstance(exc, httpx.TransportError)


def request(client: Any, method: str, url: str, **kwargs: Any) -> Any:
    """One call to the server, sent again while it answers 429/503 (after its Retry-After) or the
    connection drops, for up to ten minutes; any other answer is returned as it is."""
    import stamina

    for attempt in stamina.retry_context(on=_wait_for, attempts=None, timeout=600, wait_max=60):
        with attempt:
            r = client.request(method, url, **kwargs)
            if r.status_code in BUSY:
                raise Busy(float(r.headers.get("retry-after") or 1))
            return r
    raise AssertionError("unreachable")


def pdfs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".pdf")


def table(header: list[str], rows: list[list[str]]) -> str:
    """A plain text table: columns padded to their widest cell (a CJK character counts two)."""
    def width(text: str) -> int:
        return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)

    widths = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(c + " " * (w - width(c)) for c, w in zip(r, widths, strict=True)).rstrip()
             for r in [header, ["-" * w for w in widths], *rows]]
    return "\n".join(lines)


def bar(n: int, total: int, width: int = 20) -> str:
    filled = width * n // total if total else width
    return "#" * filled + "." * (width - filled)


def _progress(n: int, total: int, text: str) -> None:
    sys.stderr.write(f"[{n}/{total}] {bar(n, total)} {text}\n")
    sys.stderr.flush()


def extract_dir(folder: Path, out: Path) -> int:
    from app.cli import document, document_json

    files = pdfs(folder)
    out.mkdir(parents=True, exist_ok=True)
    rows: list[list[str]] = []
    failed = 0
    for n, path in enumerate(files, 1):
        started = time.perf_counter()
        doc, problem = document(path)
        seconds = f"{time.perf_counter() - started:.1f}"
        if doc is None:
            assert problem is not None
            failed += 1
            rows.append([path.name, "failed", problem["code"], "", "", "", "", seconds])
            _progress(n, len(files), f"{path.name}: failed {problem['code']}")
            continue
        (out / f"{path.stem}.json").write_bytes(document_json(doc))
        report, counts = doc.report, doc.report.counts
        rows.append([path.name, "ok", report.department or "", str(report.fiscal_year or ""), report.kind,
                     str(counts.tables), str(counts.findings.error), seconds])
        _progress(n, len(files), f"{path.name}: {counts.tables} tables, {counts.line_items} line items")
    print(table(["file", "result", "department / problem", "year", "kind", "tables", "errors", "seconds"], rows))
    print(f"{len(files) - failed} of {len(files)} extracted to {out}" + (f", {failed} failed" if failed else ""))
    return EXIT_FAILED if failed else 0


def upload_dir(folder: Path, *, url: str, key: str | None, timeout: float) -> int:
    import httpx

    files = pdfs(folder)
    headers = {"Authorization": f"Bearer {key}"} if key else {}
    state: dict[str, dict[str, Any]] = {}  # file name → the report (or the problem)
    with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
        for n, path in enumerate(files, 1):
            try:
                r = request(client, "POST", "/reports",
                            files={"file": (path.name, path.read_bytes(), "application/pdf")})
            except (httpx.HTTPError, Busy) as exc:
                state[path.name] = {"status": "failed", "error": {"code": "connection_error", "detail": str(exc)}}
            else:
                body = r.json() if r.headers.get("content-type", "").endswith("json") else {}
                state[path.name] = body if r.status_code < 400 else {"status": "refused", "error": body}
            _progress(n, len(files), f"uploaded {path.name}: {state[path.name].get('status')}")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pending = [name for name, s in state.items() if s.get("status") in {"queued", "parsing"}]
            if not pending:
                break
            for name in pending:
                r = request(client, "GET", f"/reports/{state[name]['id']}")
                if r.status_code == 200:
                    state[name] = r.json()
            done = sum(s.get("status") not in {"queued", "parsing"} for s in state.values())
            running = [f"{n} {p['pages_done'] or 0}/{p['pages_total'] or '?'} pages" for n in pending
                       if (p := state[n].get("progress"))]
            _progress(done, len(files), "parsed or failed" + (f"; parsing {', '.join(running)}" if running else ""))
            time.sleep(POLL_SECONDS)
    rows = []
    for name, s in state.items():
        err = s.get("error") or {}
        findings = (s.get("counts") or {}).get("findings", {})
        rows.append([name, str(s.get("status")), s.get("id", ""), s.get("department") or err.get("code", ""),
                     str(s.get("fiscal_year") or ""), s.get("kind", ""), str(findings.get("error", ""))])
    print(table(["file", "status", "report", "department / problem", "year", "kind", "errors"], rows))
    bad = sum(s.get("status") != "parsed" for s in state.values())
    print(f"{len(files) - bad} of {len(files)} parsed" + (f", {bad} not" if bad else ""))
    return EXIT_FAILED if bad else 0
