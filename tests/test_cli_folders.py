"""`python -m app extract DIR --out DIR` and `python -m app upload DIR --url URL` on real reports:
one JSON per PDF / one report per PDF, a progress line per file, a summary table, exit 1 on any failure."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import fixture_pdf
from tests.server import serve, serving
from tests.test_cli import run

pytestmark = pytest.mark.slow  # a server or worker, real uploads and parses

SMALL = "corpus/013__001_上海__2026年上海市工业和信息化局_部门预算.pdf"


def _folder(tmp_path: Path, *, junk: bool) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(fixture_pdf(SMALL), folder / "small.pdf")
    shutil.copy(fixture_pdf("real/putuo_justice_2026_dept_budget.pdf"), folder / "justice.pdf")
    (folder / "notes.txt").write_text("not a pdf, not read")
    if junk:
        (folder / "page.pdf").write_bytes(b"<!DOCTYPE html><html><body>not a pdf</body></html>")
    return folder


def test_extract_a_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run("extract", str(_folder(tmp_path, junk=True)), "--out", str(out))
    assert proc.returncode == 1, proc.stderr  # page.pdf is refused
    assert sorted(p.name for p in out.iterdir()) == ["justice.json", "small.json"]
    doc = json.loads((out / "justice.json").read_text(encoding="utf-8"))
    assert doc["report"]["kind"] == "budget" and doc["report"]["file"]["name"] == "justice.pdf"
    assert proc.stderr.count("\n") == 3 and "[3/3]" in proc.stderr
    summary = {line.split()[0]: line.split()[1] for line in proc.stdout.splitlines()[2:5]}
    assert summary == {"justice.pdf": "ok", "page.pdf": "failed", "small.pdf": "ok"}
    assert "unsupported_media_type" in proc.stdout and "2 of 3 extracted" in proc.stdout
    assert run("extract", str(out / "missing")).returncode == 2


def test_upload_a_folder_to_a_server(tmp_path: Path) -> None:
    folder = _folder(tmp_path, junk=False)
    with serving(tmp_path) as base:
        proc = run("upload", str(folder), "--url", base)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "uploaded justice.pdf" in proc.stderr and "2 of 2 parsed" in proc.stdout
        rows = {line.split()[0]: line.split()[1:3] for line in proc.stdout.splitlines()[2:4]}
        assert {name: status for name, (status, _) in rows.items()} == {"justice.pdf": "parsed", "small.pdf": "parsed"}
        import httpx

        for _, rid in rows.values():
            assert httpx.get(f"{base}/reports/{rid}").json()["status"] == "parsed"
        (folder / "page.pdf").write_bytes(b"<!DOCTYPE html><html></html>")
        again = run("upload", str(folder), "--url", base)
        assert again.returncode == 1 and "unsupported_media_type" in again.stdout and "2 of 3 parsed" in again.stdout


def test_upload_waits_out_the_rate_limit(tmp_path: Path) -> None:
    """A server allowing 4 requests a minute: the uploads and the polling run into 429s, and the command
    waits each one's Retry-After instead of reporting the limit as the reports' result."""
    folder = _folder(tmp_path, junk=False)
    with serve(tmp_path, rate_limit="4/minute") as srv:
        proc = run("upload", str(folder), "--url", srv.base)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        assert "2 of 2 parsed" in proc.stdout
        log = srv.proc.output()
    assert '" 429' in log  # the limit was reached on the way (uvicorn's access log)
