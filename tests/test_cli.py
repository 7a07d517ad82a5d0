"""`python -m app extract`: one JSON document on stdout, or a problem on stderr and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, fixture_pdf
from tests.pdfs import image_only_pdf


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=300)


def test_extract_prints_the_contract_document() -> None:
    pdf = fixture_pdf("real/putuo_justice_2026_dept_budget.pdf")
    proc = run("extract", str(pdf))
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert set(doc) >= {"report", "tables", "line_items", "indicators", "validation"}
    assert doc["report"]["file"]["pages"] == 23
    assert doc["report"]["kind"] == "budget"
    for li in doc["line_items"]:
        for v in li["values"]:
            assert isinstance(v["amount"], str)  # decimal strings, never floats


def test_extract_refuses_with_code_and_exit_2(tmp_path: Path) -> None:
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(image_only_pdf())
    proc = run("extract", str(scan))
    assert proc.returncode == 2
    assert json.loads(proc.stderr)["code"] == "no_text_layer"
    assert "Traceback" not in proc.stderr
    html = tmp_path / "page.pdf"
    html.write_bytes(b"<!DOCTYPE html><html><body>not a pdf</body></html>")
    proc = run("extract", str(html))
    assert proc.returncode == 2
    assert json.loads(proc.stderr)["code"] == "unsupported_media_type"


def test_extract_out_file(tmp_path: Path) -> None:
    pdf = fixture_pdf("real/putuo_justice_2026_dept_budget.pdf")
    out = tmp_path / "doc.json"
    assert run("extract", str(pdf), "--out", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["report"]["file"]["name"] == pdf.name


_IMPORTS_AFTER_EXTRACT = """
import runpy, sys
sys.argv = ["app", "extract", sys.argv[1], "--out", sys.argv[2]]
try:
    runpy.run_module("app", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    assert exc.code == 0, exc.code
print(" ".join(sorted(sys.modules)))
"""


def test_extract_imports_no_web_framework_and_no_orm(tmp_path: Path) -> None:
    """Start-up is most of a small file's extract: the command must not load the API or the database
    layer (they cost more CPU than parsing a 20-page report)."""
    pdf = fixture_pdf("real/putuo_justice_2026_dept_budget.pdf")
    proc = subprocess.run([sys.executable, "-c", _IMPORTS_AFTER_EXTRACT, str(pdf), str(tmp_path / "doc.json")],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    modules = set(proc.stdout.split())
    assert "app.parsing.pipeline" in modules  # the extract did run in this process
    heavy = {m for m in modules if m.split(".")[0] in {"fastapi", "starlette", "sqlalchemy", "sqlmodel", "uvicorn"}}
    assert not heavy, sorted(heavy)[:10]
