"""API keys (stored hashed) and the audit trail of deletes and key changes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_key"

    id: str = Field(primary_key=True, max_length=32)
    name: str = Field(max_length=200)
    scope: str = Field(max_length=16)  # read, write, admin
    key_hash: str = Field(index=True, unique=True, max_length=64)  # sha256 of the key; the key itself is not kept
    prefix: str = Field(max_length=16)  # the key's first characters, to tell keys apart in `keys list`
    created_at: datetime
    revoked_at: datetime | None = None


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor: str = Field(max_length=64)  # key id, "anonymous" (AUTH=off) or "cli"
    actor_name: str | None = Field(default=None, max_length=200)
    action: str = Field(max_length=32)  # report.delete, key.create, key.revoke
    target: str = Field(max_length=200)
    detail: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
