"""/rules, /subjects, /healthz, /readyz, /metrics."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from app.catalog import subjects
from app.core.errors import InvalidCursor, problem_responses
from app.reports.schemas import Health, RuleList, SubjectList
from app.reports.service import decode_cursor, encode_cursor
from app.validation import RULES

router = APIRouter(tags=["service"])


@router.get("/rules", operation_id="list_rules", response_model=RuleList)
def list_rules() -> dict[str, Any]:
    """The validation rule catalog."""
    return {"data": [{"id": r.id, "family": r.family, "severity": r.severity, "description_zh": r.description_zh,
                      "description_en": r.description_en, "inputs": list(r.inputs)} for r in RULES.values()],
            "next_cursor": None}


@router.get("/subjects", operation_id="list_subjects", response_model=SubjectList,
            responses=problem_responses(InvalidCursor))
def list_subjects(
    code: Annotated[str | None, Query(description="code prefix, e.g. 208")] = None,
    classification: Literal["functional", "economic"] | None = None,
    level: Annotated[int | None, Query(ge=1, le=3)] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> dict[str, Any]:
    """The subject-code catalog used by validation (observed in published reports, not official)."""
    rows = [s for s in subjects()
            if (not code or s.code.startswith(code)) and (not classification or s.classification == classification)
            and (level is None or s.level == level)]
    after = decode_cursor(cursor)
    start = 0
    if after:
        if not isinstance(after[0], int) or after[0] < 0:
            raise InvalidCursor("the cursor was not produced by this API")
        start = after[0]
    page = rows[start:start + limit]
    nxt = encode_cursor(start + limit) if start + limit < len(rows) else None
    return {"data": [{"code": s.code, "name": s.name, "classification": s.classification, "level": s.level,
                      "years": list(s.years), "names": list(s.names)} for s in page], "next_cursor": nxt}


@router.get("/healthz", operation_id="healthz", response_model=Health)
def healthz() -> dict[str, Any]:
    return {"status": "ok"}


@router.get("/readyz", operation_id="readyz", response_model=Health, responses={503: {"model": Health}})
async def readyz(request: Request) -> Response:
    def ping() -> None:
        with request.app.state.engine.connect() as conn:
            conn.execute(text("SELECT 1"))

    try:
        await run_in_threadpool(ping)
    except Exception as exc:
        return JSONResponse({"status": "unavailable", "database": type(exc).__name__}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


@router.get("/metrics", operation_id="metrics", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}},
                             "description": "Prometheus text exposition"}})
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
