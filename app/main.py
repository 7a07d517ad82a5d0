"""`create_app()`: engines, the file store and the job runner are built in the lifespan."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from app import __version__
from app.api import auth, batches, departments, jobs, line_items, meta, pages, reports, summaries
from app.api.contract import install_contract
from app.api.docs import install_docs
from app.api.http import install_http
from app.api.middleware import TrustBoundary
from app.api.ui import install_ui
from app.core.config import Settings, get_settings
from app.core.errors import install_error_handlers
from app.jobs.metrics import JOBS_COLLECTOR
from app.jobs.queue import QueueRunner
from app.jobs.runner import InProcessRunner
from app.store.db import make_engine
from app.store.files import open_file_store
from app.store.migrations import upgrade

DESCRIPTION = """Structured, validated data from Chinese 部门预算 (department budget) and 部门决算
(final accounts) PDF reports: metadata, standard tables, subject-coded line items with exact
decimal amounts, performance indicators (绩效) and a validation report of every 勾稽 check."""


def create_app(settings: Settings | None = None, *, migrate: bool = True) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        if migrate:
            upgrade(settings.database_url)
        engine = make_engine(settings.database_url)
        files = open_file_store(settings.file_store, settings.files_dir)
        runner: InProcessRunner | QueueRunner
        if settings.job_queue == "postgres":
            runner = QueueRunner(settings, engine)  # the API enqueues; `python -m app worker` parses
        else:
            runner = InProcessRunner(settings, engine, files)
        JOBS_COLLECTOR.engine = engine
        app.state.settings, app.state.engine, app.state.files, app.state.runner = settings, engine, files, runner
        runner.recover()
        try:
            yield
        finally:
            runner.shutdown()
            engine.dispose()

    app = FastAPI(title="Public-finance disclosures API", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    install_error_handlers(app)
    install_http(app, settings, TrustBoundary)
    for router in (reports.router, line_items.router, summaries.router, meta.router, pages.router, jobs.router,
                   auth.router, departments.router, batches.router):
        auth.include_guarded(app, router)
    install_docs(app)
    install_ui(app)  # public: the page loads without a key and asks for one; its API calls carry it
    auth.document_text_rule(app)
    install_contract(app)  # last: it documents what the others declared
    return app
