"""Create, list, revoke and look up API keys; record and read the audit trail.

A key is 32 random bytes (`secrets`), shown once; only its SHA-256 is stored, so a stolen
database yields no usable key. Keys are long and random, so an unsalted hash is enough."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from app.auth import SCOPES, Principal, Scope
from app.store.keys import ApiKey, AuditEvent

KEY_PREFIX = "fdk_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def key_view(k: ApiKey) -> dict[str, Any]:
    return {"id": k.id, "name": k.name, "scope": k.scope, "prefix": k.prefix,
            "created_at": _iso(k.created_at), "revoked_at": _iso(k.revoked_at) if k.revoked_at else None}


def _iso(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


def create_key(session: Session, *, scope: Scope, name: str, actor: Principal | None) -> tuple[ApiKey, str]:
    """A new key and its secret (returned once, never stored)."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {', '.join(SCOPES)}")
    secret = KEY_PREFIX + secrets.token_urlsafe(32)
    key = ApiKey(id=secrets.token_hex(8), name=name, scope=scope, key_hash=hash_key(secret),
                 prefix=secret[:12], created_at=datetime.now(UTC))
    session.add(key)
    record(session, actor, "key.create", key.id, {"scope": scope, "name": name})
    return key, secret


def list_keys(session: Session) -> Sequence[ApiKey]:
    return session.exec(select(ApiKey).order_by(col(ApiKey.created_at), col(ApiKey.id))).all()


def revoke_key(session: Session, key_id: str, *, actor: Principal | None) -> ApiKey | None:
    key = session.get(ApiKey, key_id)
    if key is None:
        return None
    if key.revoked_at is None:
        key.revoked_at = datetime.now(UTC)
        session.add(key)
        record(session, actor, "key.revoke", key.id, {"name": key.name, "scope": key.scope})
    return key


def authenticate(session: Session, secret: str) -> Principal | None:
    """The principal of an active key, or None for an unknown or revoked one."""
    if not secret.startswith(KEY_PREFIX) or len(secret) > 100:
        return None
    key = session.exec(select(ApiKey).where(ApiKey.key_hash == hash_key(secret))).first()
    if key is None or key.revoked_at is not None or not secrets.compare_digest(key.key_hash, hash_key(secret)):
        return None
    scope: Scope = key.scope  # type: ignore[assignment]
    return Principal(id=key.id, name=key.name, scope=scope)


def record(session: Session, actor: Principal | None, action: str, target: str, detail: dict[str, Any]) -> None:
    session.add(AuditEvent(at=datetime.now(UTC), actor=actor.id[:64] if actor else "cli",
                           actor_name=actor.name if actor else None, action=action, target=target[:200],
                           detail=detail))


def list_audit(session: Session, *, after: int | None, limit: int) -> list[dict[str, Any]]:
    q = select(AuditEvent)
    if after is not None:
        q = q.where(col(AuditEvent.id) > after)
    rows = session.exec(q.order_by(col(AuditEvent.id)).limit(limit)).all()
    return [{"id": e.id, "at": _iso(e.at), "actor": e.actor, "actor_name": e.actor_name, "action": e.action,
             "target": e.target, "detail": e.detail} for e in rows]
