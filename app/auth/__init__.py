"""Who may do what: scopes, the principal of a request, and the scope each request needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Scope = Literal["read", "write", "admin"]
SCOPES: tuple[Scope, ...] = ("read", "write", "admin")  # each includes the ones before it

# Reachable without a key even when AUTH=required: probes, the API's own documentation and the
# review page's static files (the page asks for a key and sends it on each API call it makes).
PUBLIC_PATHS = frozenset({"/healthz", "/readyz", "/openapi.json", "/docs", "/redoc", "/ui"})
UI_PREFIX = "/ui/"
DOCS_ASSETS_PREFIX = "/docs/assets/"  # Swagger UI's and ReDoc's scripts and styles
ADMIN_PATHS = ("/metrics", "/audit", "/keys", "/jobs")


@dataclass(frozen=True)
class Principal:
    id: str  # key id, or "ip:<address>" when AUTH=off
    name: str | None
    scope: Scope

    def allows(self, needed: Scope) -> bool:
        return SCOPES.index(self.scope) >= SCOPES.index(needed)


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith((UI_PREFIX, DOCS_ASSETS_PREFIX))


def required_scope(method: str, path: str) -> Scope | None:
    """None for public paths; admin for deletes, keys, audit and metrics; write for other writes."""
    if is_public(path):
        return None
    if method == "DELETE" or any(path == p or path.startswith(p + "/") for p in ADMIN_PATHS):
        return "admin"
    if method in {"GET", "HEAD", "OPTIONS"}:
        return "read"
    return "write"
