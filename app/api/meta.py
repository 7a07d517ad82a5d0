"""/rules, /subjects, /healthz, /readyz, /metrics."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from app.core.errors import InvalidCursor, problem_responses
from app.reports import reference
from app.reports.schemas import Health, RuleList, SubjectList
from app.store.db import ping

router = APIRouter(tags=["service"])


@router.get("/rules", operation_id="list_rules", response_model=RuleList)
def list_rules() -> dict[str, Any]:
    """The validation rule catalog."""
    return reference.list_rules().model_dump()


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
    return reference.list_subjects(code=code, classification=classification, level=level, cursor=cursor,
                                   limit=limit).model_dump()


@router.get("/healthz", operation_id="healthz", response_model=Health)
def healthz() -> dict[str, Any]:
    return {"status": "ok"}


@router.get("/readyz", operation_id="readyz", response_model=Health, responses={503: {"model": Health}})
async def readyz(request: Request) -> Response:
    try:
        await run_in_threadpool(ping, request.app.state.engine)
    except Exception as exc:
        return JSONResponse({"status": "unavailable", "database": type(exc).__name__}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})


@router.get("/metrics", operation_id="metrics", response_class=Response,
            responses={200: {"content": {CONTENT_TYPE_LATEST: {"schema": {"type": "string"}}},
                             "description": "Prometheus text exposition"}})
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
