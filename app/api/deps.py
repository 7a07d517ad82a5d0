"""Request dependencies as `Annotated` aliases."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.core.config import Settings
from app.jobs.runner import InProcessRunner
from app.store.db import session_scope
from app.store.files import BlobStore


def get_session(request: Request) -> Iterator[Session]:
    """The request owns the transaction: commit when the handler returns, roll back on error."""
    with session_scope(request.app.state.engine) as session:
        yield session


def get_settings_dep(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def get_files(request: Request) -> BlobStore:
    files: BlobStore = request.app.state.files
    return files


def get_runner(request: Request) -> InProcessRunner:
    runner: InProcessRunner = request.app.state.runner
    return runner


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings_dep)]
FilesDep = Annotated[BlobStore, Depends(get_files)]
RunnerDep = Annotated[InProcessRunner, Depends(get_runner)]
