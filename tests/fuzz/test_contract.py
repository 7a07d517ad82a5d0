"""Contract fuzzing: schemathesis over the served schema, every operation, against a real server
with AUTH=required, once with a write key and once with no key, bounded in examples and time.

Left out until the pending contract fix lands (errors documented as application/problem+json,
the upload part as binary): `content_type_conformance`; see also tests/fuzz/schemathesis.toml."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server import serve

CONFIG = Path(__file__).with_name("schemathesis.toml")
MAX_EXAMPLES = os.environ.get("FUZZ_MAX_EXAMPLES", "8")
MAX_SECONDS = os.environ.get("FUZZ_MAX_SECONDS", "75")

pytestmark = pytest.mark.slow


def schemathesis(base: str, key: str | None, report: Path) -> subprocess.CompletedProcess[str]:
    st = Path(sys.executable).with_name("schemathesis")
    args = [str(st), "--config-file", str(CONFIG), "run", f"{base}/openapi.json",  # every check is on by default
            "--max-examples", MAX_EXAMPLES,
            "--max-time", MAX_SECONDS, "--workers", "1", "--seed", "10", "--no-color",
            "--report", "junit", "--report-junit-path", str(report)]
    if key:
        args += ["--header", f"Authorization: Bearer {key}"]
    return subprocess.run(args, capture_output=True, text=True, timeout=int(MAX_SECONDS) + 240,
                          cwd=report.parent)


def test_contract_fuzzing(tmp_path: Path, database_url: str, putuo_justice: bytes) -> None:
    with serve(tmp_path, database_url, auth="required", rate_limit="1000000/minute",
               upload_quota_per_day="1000000") as srv:
        with srv.client(srv.key("admin")) as admin:  # one parsed report, so reads have data to check
            assert admin.post("/reports", params={"wait": "true"},
                              files={"file": ("r.pdf", putuo_justice, "application/pdf")}).status_code == 200
        for name, key in (("write-key", srv.key("write", "fuzzer")), ("no-key", None)):
            done = schemathesis(srv.base, key, tmp_path / f"{name}.xml")
            summary = done.stdout[done.stdout.rfind("SUMMARY"):]
            print(f"\n[{name}] {summary}")
            assert done.returncode == 0, f"{name}:\n{done.stdout[-8000:]}\n{done.stderr[-2000:]}"
            assert "generated" in summary and "passed" in summary
