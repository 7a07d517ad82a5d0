"""/rules, /healthz, /readyz, /metrics."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from sqlalchemy import text

from app.reports.schemas import Health, RuleList
from app.validation import RULES

router = APIRouter(tags=["service"])


@router.get("/rules", operation_id="list_rules", response_model=RuleList)
def list_rules() -> dict[str, Any]:
    """The validation rule catalog."""
    return {"data": [{"id": r.id, "family": r.family, "severity": r.severity, "description_zh": r.description_zh,
                      "description_en": r.description_en, "inputs": list(r.inputs)} for r in RULES.values()],
            "next_cursor": None}


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


@router.get("/metrics", operation_id="metrics", responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
