"""Response models of the key and audit endpoints."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from app.auth import Scope


class KeyIn(BaseModel):
    scope: Scope
    name: str = Field(default="", max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")


class KeyOut(BaseModel):
    id: str
    name: str
    scope: Scope
    prefix: str
    created_at: str
    revoked_at: str | None


class KeyCreated(BaseModel):
    key: KeyOut
    secret: str = Field(description="the API key itself: shown this once, stored only as a hash")


class KeyList(BaseModel):
    data: list[KeyOut]
    next_cursor: str | None


class AuditEventOut(BaseModel):
    id: int
    at: str
    actor: str
    actor_name: str | None
    action: str
    target: str
    detail: dict[str, Any]


class AuditList(BaseModel):
    data: list[AuditEventOut]
    next_cursor: str | None
