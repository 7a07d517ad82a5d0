"""The README's curl session runs as printed against a real server: each line succeeds (HTTP 2xx, exit 0)
with `ID` and `BATCH` replaced by the ids the calls return, in a folder holding the files it names."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT, fixture_pdf, need
from tests.server import serving

pytestmark = pytest.mark.slow  # a server or worker, real uploads and parses

SMALL = "corpus/013__001_上海__2026年上海市工业和信息化局_部门预算.pdf"


def session_lines() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## A curl session", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    return [line for line in block.splitlines() if line.strip()]


def test_the_readme_curl_session_runs_as_printed(tmp_path: Path) -> None:
    need(shutil.which("curl") is not None, "curl is not installed")
    need((ROOT / ".venv" / "bin" / "python").exists(), "the project's .venv is not built")
    work = tmp_path / "work"
    (work / "pdfs").mkdir(parents=True)
    (work / ".venv").symlink_to(ROOT / ".venv")
    justice = fixture_pdf("real/putuo_justice_2026_dept_budget.pdf").read_bytes()
    (work / "report.pdf").write_bytes(justice)
    (work / "other.pdf").write_bytes(fixture_pdf(SMALL).read_bytes())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("in/report.pdf", justice)
    (work / "more.zip").write_bytes(buf.getvalue())
    shutil.copy(work / "report.pdf", work / "pdfs" / "report.pdf")
    lines = session_lines()
    assert any("--data-urlencode" in line for line in lines) and any("/batches" in line for line in lines)
    ids: dict[str, str] = {}
    with serving(tmp_path) as base:
        for line in lines:
            command = line.replace("http://127.0.0.1:8000", base)
            for name, value in ids.items():
                command = re.sub(rf"\b{name}\b", value, command)
            if command.startswith("curl "):
                command = "curl -sS --fail-with-body " + command.removeprefix("curl ")
            proc = subprocess.run(["bash", "-c", command], cwd=work, capture_output=True, text=True, timeout=600)
            assert proc.returncode == 0, f"{line}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
            if "?wait=true" in line:
                report = json.loads(proc.stdout)
                assert report["status"] == "parsed"
                ids["ID"] = report["id"]
            if line.split("#")[0].rstrip().endswith("/batches"):
                ids["BATCH"] = json.loads(proc.stdout)["id"]
            if "/departments?" in command or "/departments " in command:
                assert json.loads(proc.stdout)["data"][0]["name"] == report["department"]
            if "/history" in command:
                years = json.loads(proc.stdout)["years"]
                assert years and years[0]["budget"]["line_items"], "the history's code is printed in the report"
    for name in ("items.csv", "sangong.csv", "report.xlsx", "fdp.zip", "all.csv", "original.pdf", "doc.json"):
        assert (work / name).stat().st_size > 0, name
    assert (work / "original.pdf").read_bytes() == justice
    assert (work / "json" / "report.json").exists()
