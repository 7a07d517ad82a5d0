"""API keys over real HTTP, on SQLite and PostgreSQL: scopes, 401/403, revocation, the audit trail,
and the loopback rule for AUTH=off."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.client import assert_problem
from tests.conftest import ROOT
from tests.server import child_env, serve, server_env

pytestmark = pytest.mark.slow  # a server or worker, real uploads and parses


def test_keys_scopes_revocation_and_audit(tmp_path: Path, database_url: str, putuo_justice: bytes) -> None:
    with serve(tmp_path, database_url, auth="required") as srv:
        read, write, admin = srv.key("read", "dashboard"), srv.key("write", "uploader"), srv.key("admin", "ops")
        assert len({read, write, admin}) == 3 and all(len(k) > 40 for k in (read, write, admin))
        listed = srv.cli("keys", "list")
        assert listed.returncode == 0 and "uploader" in listed.stdout
        assert write not in listed.stdout and read not in listed.stdout  # stored hashed, never shown again

        with srv.client() as anonymous:
            r = anonymous.get("/reports")
            assert_problem(r, 401, "unauthorized")
            assert r.headers["www-authenticate"].startswith("Bearer")
            assert anonymous.get("/healthz").status_code == 200  # probes stay public
            assert anonymous.get("/openapi.json").status_code == 200
        with srv.client("fdk_not-a-key") as forged:
            r = forged.get("/reports")
            assert_problem(r, 401, "unauthorized")
            assert 'error="invalid_token"' in r.headers["www-authenticate"]

        files = {"file": ("putuo justice.pdf", putuo_justice, "application/pdf")}
        with srv.client(read) as reader:
            assert reader.get("/reports").status_code == 200
            r = reader.post("/reports", files=files)
            assert_problem(r, 403, "forbidden")
            assert 'error="insufficient_scope", scope="write"' in r.headers["www-authenticate"]
            assert_problem(reader.get("/metrics"), 403, "forbidden")
        with srv.client(write) as writer:
            up = writer.post("/reports", params={"wait": "true"}, files=files)
            assert up.status_code == 200, up.text
            rid = up.json()["id"]
            assert_problem(writer.delete(f"/reports/{rid}"), 403, "forbidden")
            assert_problem(writer.get("/audit"), 403, "forbidden")
        with srv.client(admin) as ops:
            assert ops.get("/metrics").status_code == 200
            assert ops.delete(f"/reports/{rid}").status_code == 204
            assert ops.get(f"/reports/{rid}").status_code == 404
            made = ops.post("/keys", json={"scope": "read", "name": "made over http"})
            assert made.status_code == 201, made.text
            new_id, new_secret = made.json()["key"]["id"], made.json()["secret"]
            with srv.client(new_secret) as fresh:
                assert fresh.get("/reports").status_code == 200
                assert ops.delete(f"/keys/{new_id}").status_code == 204
                assert_problem(fresh.get("/reports"), 401, "unauthorized")
            assert_problem(ops.delete("/keys/nope"), 404, "key_not_found")
            events = ops.get("/audit").json()["data"]
        admin_id = next(line.split("\t")[0] for line in srv.cli("keys", "list").stdout.splitlines() if "ops" in line)
        actions = [(e["action"], e["target"], e["actor"]) for e in events]
        assert ("report.delete", rid, admin_id) in actions
        assert ("key.create", new_id, admin_id) in actions and ("key.revoke", new_id, admin_id) in actions
        assert sum(1 for a in actions if a[0] == "key.create" and a[2] == "cli") == 3
        assert all(e["at"].endswith("Z") for e in events)

        reader_id = next(line.split("\t")[0] for line in srv.cli("keys", "list").stdout.splitlines()
                         if "dashboard" in line)
        assert srv.cli("keys", "revoke", reader_id).returncode == 0
        with srv.client(read) as revoked:
            assert_problem(revoked.get("/reports"), 401, "unauthorized")
        assert srv.cli("keys", "revoke", "no-such-key").returncode == 2


def test_auth_off_is_refused_on_a_public_address(tmp_path: Path) -> None:
    env = child_env(server_env(tmp_path, "", auth="off"))
    done = subprocess.run([sys.executable, "-m", "app", "serve", "--host", "0.0.0.0", "--port", "1"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "AUTH=required" in done.stderr


def test_auth_off_on_loopback_needs_no_key(tmp_path: Path) -> None:
    with serve(tmp_path, auth="off") as srv, srv.client() as client:
        r = client.get("/reports")
        assert r.status_code == 200
        assert "server" not in r.headers  # no banner
