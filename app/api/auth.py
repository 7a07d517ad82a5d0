"""Bearer API keys at the HTTP edge: the `authorized` dependency (scope check, form text checks,
OpenAPI security scheme), `include_guarded` to apply it at include time, the /keys and /audit
routes, and the rule that AUTH=off is only for a loopback bind."""

from __future__ import annotations

import ipaddress
import re
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response, Security, status
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import APIRoute
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import UploadFile

from app.api.deps import SessionDep
from app.api.disposition import safe_filename
from app.auth import PUBLIC_PATHS, Principal, required_scope
from app.auth import keys as key_store
from app.auth.schemas import AuditList, KeyCreated, KeyIn, KeyList
from app.core.config import Settings
from app.core.errors import (
    PROBLEM,
    Forbidden,
    InvalidCharacter,
    InvalidCursor,
    KeyNotFound,
    RateLimited,
    Unauthorized,
    UploadQuotaExceeded,
    problem_responses,
)
from app.reports.service import decode_cursor, encode_cursor

CONTROL = re.compile(r"[\x00-\x1f\x7f]")

bearer = HTTPBearer(scheme_name="apiKey", bearerFormat="API key", auto_error=False,
                    description="`Authorization: Bearer KEY`; create a key with `python -m app keys create`. "
                                "Scopes: read (GET), write (uploads, batches, reparse, revalidate), "
                                "admin (DELETE, keys, audit, metrics). Not checked when the server runs with AUTH=off "
                                "(loopback only).")


async def authorized(
    request: Request, _credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)]
) -> Principal:
    """The principal that the trust-boundary middleware admitted; form fields checked, file names made safe."""
    principal: Principal | None = request.scope.get("state", {}).get("principal")
    needed = required_scope(request.method, request.scope["path"])
    if principal is None:
        raise Unauthorized("send an API key as `Authorization: Bearer KEY`")
    if needed is not None and not principal.allows(needed):
        raise Forbidden(f"this needs a key with the {needed!r} scope", needed=needed)
    form = getattr(request, "_form", None)  # parsed by FastAPI before dependencies run
    route = request.scope.get("route")
    declared = {f.alias for f in route.dependant.body_params} if isinstance(route, APIRoute) else set()
    for name, value in form.multi_items() if form is not None else ():
        if isinstance(value, UploadFile):
            value.filename = safe_filename(value.filename)
        elif name in declared and CONTROL.search(value):  # a field the route does not read is ignored
            raise InvalidCharacter(f"the form field {name!r} holds a control character")
    return principal


PrincipalDep = Annotated[Principal, Depends(authorized)]
GUARD_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"description": entry["description"],
             "content": {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
    for status, entry in problem_responses(Unauthorized, Forbidden, RateLimited, UploadQuotaExceeded).items()}
TEXT_PATTERN = "^[^\\u0000-\\u001f\\u007f]*$"  # what the middleware and `authorized` enforce


def document_text_rule(app: FastAPI) -> None:
    """State in the served OpenAPI that string parameters and form fields admit no control character."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        schema = build()
        for path in schema.get("paths", {}).values():
            for op in path.values():
                for param in op.get("parameters", []):
                    if param.get("in") in {"path", "query"}:  # the middleware checks these; a header is HTTP's
                        _add_pattern(param.get("schema", {}))
        for name, component in schema.get("components", {}).get("schemas", {}).items():
            if name.startswith("Body_"):
                for prop in component.get("properties", {}).values():
                    _add_pattern(prop)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]


def _add_pattern(schema: dict[str, Any]) -> None:
    for alt in schema.get("anyOf", [schema]):
        if alt.get("type") == "array":  # a repeated parameter (?highlight=a&highlight=b): each item
            _add_pattern(alt.get("items", {}))
        elif alt.get("type") == "string" and not {"enum", "pattern", "format", "contentMediaType"} & alt.keys():
            alt["pattern"] = TEXT_PATTERN


def include_guarded(app: FastAPI, router: APIRouter) -> None:
    """Include `router`: its public paths (probes) as they are, every other route behind `authorized`."""
    public, guarded = APIRouter(), APIRouter()
    for route in router.routes:
        (public if isinstance(route, APIRoute) and route.path in PUBLIC_PATHS else guarded).routes.append(route)
    app.include_router(guarded, dependencies=[Depends(authorized)], responses=GUARD_RESPONSES)
    app.include_router(public)


router = APIRouter(tags=["admin"])


@router.get("/keys", operation_id="list_keys", response_model=KeyList)
def list_keys(session: SessionDep) -> dict[str, Any]:
    """Every API key (never the key itself: it is stored hashed)."""
    return {"data": [key_store.key_view(k) for k in key_store.list_keys(session)], "next_cursor": None}


@router.post("/keys", operation_id="create_key", response_model=KeyCreated, status_code=status.HTTP_201_CREATED)
def create_key(session: SessionDep, principal: PrincipalDep, body: KeyIn) -> dict[str, Any]:
    """A new key; its secret is in this response only."""
    key, secret = key_store.create_key(session, scope=body.scope, name=body.name, actor=principal)
    session.commit()  # before the answer: the request session would commit only after it is sent
    return {"key": key_store.key_view(key), "secret": secret}


@router.delete("/keys/{key_id}", operation_id="revoke_key", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(KeyNotFound))
def revoke_key(session: SessionDep, principal: PrincipalDep, key_id: str) -> Response:
    if key_store.revoke_key(session, key_id, actor=principal) is None:
        raise KeyNotFound(f"no API key {key_id!r}")
    session.commit()
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/audit", operation_id="list_audit", response_model=AuditList,
            responses=problem_responses(InvalidCursor))
async def list_audit(session: SessionDep, cursor: str | None = None,
                     limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    """Deletes and key changes: who (key id and name), when, what."""
    after = decode_cursor(cursor)
    if after is not None and (len(after) != 1 or type(after[0]) is not int or not 0 <= after[0] < 2**31):
        raise InvalidCursor("the cursor was not produced by this API")
    rows = await run_in_threadpool(key_store.list_audit, session, after=after[0] if after else None,
                                   limit=limit + 1)
    page = rows[:limit]
    return {"data": page, "next_cursor": encode_cursor(page[-1]["id"]) if len(rows) > limit else None}


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_bind(settings: Settings, host: str) -> str | None:
    """Why the server must not start on `host` with these settings, or None."""
    if settings.auth == "off" and not is_loopback(host):
        return (f"AUTH=off is only allowed on a loopback address, not {host!r}: set AUTH=required and create a "
                "key with `python -m app keys create --scope admin`")
    return None
