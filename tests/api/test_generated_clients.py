"""The committed contract works for the clients people generate from it.

Python: openapi-python-client builds a client from openapi/openapi.json into a temp folder, and
that client (no hand-written HTTP) drives a real `python -m app serve` on SQLite and PostgreSQL.
TypeScript: openapi-typescript turns the same file into types, and `tsc --noEmit` checks a script
that uses them (clients/ts).
"""

from __future__ import annotations

import csv
import importlib
import io
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from tests.conftest import ROOT, need
from tests.server import serving

pytestmark = pytest.mark.slow  # generates and type-checks clients, a real server

CONTRACT = ROOT / "openapi" / "openapi.json"
PY_CONFIG = ROOT / "clients" / "python" / "config.yaml"
PACKAGE = "finance_disclosures_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
TS_DIR = ROOT / "clients" / "ts"


def generate_python_client(out: Path) -> str:
    """Run the README's command into `out`; return what the generator printed."""
    env = {**os.environ, "PATH": f"{GENERATOR.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    r = subprocess.run([str(GENERATOR), "generate", "--path", str(CONTRACT), "--config", str(PY_CONFIG),
                        "--meta", "none", "--output-path", str(out / PACKAGE)],
                       capture_output=True, text=True, env=env, timeout=300, check=False)
    printed = r.stdout + r.stderr
    assert r.returncode == 0, printed
    return printed


@pytest.fixture(scope="module")
def client_pkg(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    need(GENERATOR.exists(), f"openapi-python-client is not installed beside {sys.executable} (the dev extra)")
    out = tmp_path_factory.mktemp("generated")
    printed = generate_python_client(out)
    assert "warning" not in printed.lower(), printed
    sys.path.insert(0, str(out))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(out))
        for name in [m for m in sys.modules if m == PACKAGE or m.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def operation(tag: str, name: str) -> Any:
    return importlib.import_module(f"{PACKAGE}.api.{tag}.{name}")


def pdf_form(models: Any, data: bytes, name: str) -> Any:
    file = importlib.import_module(f"{PACKAGE}.types").File
    return models.UploadReportForm(file=file(payload=io.BytesIO(data), file_name=name, mime_type="application/pdf"))


def test_round_trip_through_the_generated_python_client(
    client_pkg: ModuleType, database_url: str, tmp_path: Path, putuo_justice: bytes, putuo_finance: bytes,
) -> None:
    models = importlib.import_module(f"{PACKAGE}.models")
    upload = operation("reports", "upload_report")
    with serving(tmp_path, database_url) as base, \
            client_pkg.Client(base_url=base, timeout=httpx.Timeout(300), raise_on_unexpected_status=True) as client:
        # wait=true: the answer is the parsed report
        r = upload.sync_detailed(client=client, body=pdf_form(models, putuo_justice, "justice.pdf"), wait=True)
        assert r.status_code == 200, r.content
        report = r.parsed
        assert isinstance(report, models.Report)
        assert report.status == models.ReportStatus.PARSED
        assert report.file.size_bytes == len(putuo_justice)

        # no wait: 202 + the queued report, polled until parsed
        r = upload.sync_detailed(client=client, body=pdf_form(models, putuo_finance, "finance.pdf"))
        assert r.status_code == 202, r.content
        assert isinstance(r.parsed, models.Report)
        polled = r.parsed
        deadline = time.monotonic() + 300
        while polled.status in {models.ReportStatus.QUEUED, models.ReportStatus.PARSING}:
            assert time.monotonic() < deadline, f"still {polled.status} after 300 s"
            time.sleep(0.2)
            polled = operation("reports", "get_report").sync(client=client, report_id=polled.id)
            assert isinstance(polled, models.Report)
        assert polled.status == models.ReportStatus.PARSED, polled.error

        # every line item, page by page with the cursor
        list_items = operation("reports", "list_report_line_items")
        limit = 40
        items: list[Any] = []
        cursor: Any = importlib.import_module(f"{PACKAGE}.types").UNSET
        pages = 0
        while True:
            page = list_items.sync(client=client, report_id=report.id, cursor=cursor, limit=limit)
            assert isinstance(page, models.LineItemList)
            assert len(page.data) <= limit
            items += page.data
            pages += 1
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert pages > 1, "the fixture should need more than one page"
        assert len(items) == report.counts.line_items
        assert len({i.id for i in items}) == len(items)
        assert all(i.report_id == report.id for i in items)

        # the CSV export: every line item (not one page), one row per value, the same exact amounts
        text = operation("reports", "export_report_line_items_csv").sync(client=client, report_id=report.id)
        assert isinstance(text, str)
        rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
        assert len(rows) == sum(max(1, len(i.values)) for i in items)
        assert sorted((row["code"], row["column"], row["amount"]) for row in rows if row["amount"]) == sorted(
            (i.code or "", v.column, v.amount) for i in items for v in i.values)

        # the stored upload comes back byte-identical
        stored = operation("reports", "get_report_file").sync(client=client, report_id=report.id)
        assert stored.payload.read() == putuo_justice

        # errors are typed Problem objects with a stable code
        missing = operation("reports", "get_report").sync_detailed(client=client, report_id="no-such-report")
        assert missing.status_code == 404
        assert isinstance(missing.parsed, models.Problem)
        assert missing.parsed.code == models.ProblemCode.REPORT_NOT_FOUND
        assert missing.parsed.status == 404
        assert missing.parsed.instance == "/reports/no-such-report"

        invalid = operation("reports", "list_reports").sync_detailed(client=client, limit=0)
        assert invalid.status_code == 422
        assert isinstance(invalid.parsed, models.Problem)
        assert invalid.parsed.code == models.ProblemCode.INVALID_REQUEST
        assert [e.loc for e in invalid.parsed.errors] == [["query", "limit"]]
        assert all(isinstance(e, models.FieldError) and e.msg for e in invalid.parsed.errors)

        not_pdf = upload.sync_detailed(client=client, body=pdf_form(models, b"GIF89a not a pdf", "x.pdf"))
        assert not_pdf.status_code == 415
        assert isinstance(not_pdf.parsed, models.Problem)
        assert not_pdf.parsed.code == models.ProblemCode.UNSUPPORTED_MEDIA_TYPE


def run(cmd: list[str], cwd: Path) -> str:
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600, check=False)
    printed = r.stdout + r.stderr
    assert r.returncode == 0, f"{' '.join(cmd)} failed:\n{printed}"
    return printed


def test_typescript_types_from_the_contract_type_check() -> None:
    npm = shutil.which("npm")
    need(npm is not None and shutil.which("node") is not None, "node and npm are not installed")
    assert npm is not None
    run([npm, "ci", "--no-audit", "--no-fund"], TS_DIR)
    printed = run([npm, "run", "--silent", "generate"], TS_DIR)
    assert "warn" not in printed.lower(), printed
    generated = (TS_DIR / "generated" / "api.d.ts").read_text(encoding="utf-8")
    assert '"upload_report"' in generated and "HTTPValidationError" not in generated
    run([npm, "run", "--silent", "check"], TS_DIR)
