"""Shared test fixtures: real PDFs from ../shared/fixtures, built PDFs, both databases."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, text

from app.core.config import Settings
from app.main import create_app

ROOT = Path(__file__).resolve().parents[1]
SHARED_FIXTURES = Path(os.environ.get("SHARED_FIXTURES", ROOT.parent / "shared" / "fixtures"))
POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"


def need(condition: bool, reason: str) -> None:
    """Skip when a test's outside resource is absent; in CI it must be there, so fail instead."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (required in CI)")
    pytest.skip(reason)


def fixture_pdf(relative: str) -> Path:
    path = SHARED_FIXTURES / relative
    need(path.exists(), f"shared fixture {relative} not found under {SHARED_FIXTURES}")
    return path


@pytest.fixture
def putuo_finance() -> bytes:
    return fixture_pdf("real/putuo_finance_2024_final.pdf").read_bytes()


@pytest.fixture
def putuo_justice() -> bytes:
    return fixture_pdf("real/putuo_justice_2026_dept_budget.pdf").read_bytes()


def uploadable_pdfs(count: int) -> list[Path]:
    """The smallest real reports the upload accepts (the corpus holds a few HTML pages saved as .pdf)."""
    from app.parsing.errors import ParseError
    from app.parsing.guard import check_magic

    found = []
    for path in sorted(SHARED_FIXTURES.glob("*/*.pdf"), key=lambda p: p.stat().st_size):
        try:
            check_magic(path.read_bytes()[:1024])
        except ParseError:
            continue
        found.append(path)
    return found[:count]


def postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


def reset_postgres() -> None:
    engine = create_engine(POSTGRES_URL)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Each storage test runs on SQLite (a file) and on PostgreSQL (database `test`)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    need(postgres_available(), f"PostgreSQL not reachable at {POSTGRES_URL}")
    reset_postgres()
    yield POSTGRES_URL
    reset_postgres()



@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


ClientFactory = Callable[..., Any]


@pytest.fixture
def make_client(tmp_path: Path) -> ClientFactory:
    """`async with make_client(**settings) as client:` a fresh service on a SQLite file."""

    @asynccontextmanager
    async def factory(database_url: str = "", **overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        settings = Settings(data_dir=tmp_path / "data", database_url=database_url, workers=1, **overrides)
        app = create_app(settings)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=300) as client:
                yield client

    return factory
