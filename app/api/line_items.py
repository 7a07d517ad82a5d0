"""/line-items: subject-coded figures across reports (many departments and years at once)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import SessionDep
from app.api.formats import CSV_DOWNLOAD, DOWNLOADS, ListFormat, stream
from app.core.errors import InvalidCursor, problem_responses
from app.parsing.model import TableKind
from app.reports import export, export_rows
from app.reports import service as svc
from app.reports.schemas import LineItemList, Measure

FiscalYear = Annotated[int | None, Query(ge=1990, le=2100)]  # the database column is a 32-bit integer
router = APIRouter(tags=["line-items"])


def export_line_items(request: Request, fmt: Literal["csv", "xlsx"], name: str, report_id: str | None,
                      **filters: Any) -> Response:
    """Every matching line item of one report or across reports, one row per printed figure."""
    return stream(request, fmt, lambda s: export.line_item_rows(
        export_rows.line_items(s, report_id=report_id, **filters), export_rows.ReportInfos(s)), name)


@router.get("/line-items", operation_id="list_line_items", response_model=LineItemList,
            responses={**DOWNLOADS, **problem_responses(InvalidCursor)})
def list_line_items(
    request: Request,
    session: SessionDep,
    code: Annotated[str | None, Query(description="code prefix, e.g. 2101501")] = None,
    classification: Literal["functional", "economic"] | None = None,
    table_kind: TableKind | None = None,
    level: Annotated[int | None, Query(ge=1, le=3)] = None,
    row_kind: Literal["subject", "total", "item"] | None = None,
    measure: Measure | None = None,
    department: Annotated[str | None, Query(description="part of the department name")] = None,
    fiscal_year: FiscalYear = None,
    kind: Literal["final", "budget", "unknown"] | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    format: ListFormat = "json",
) -> Any:
    filters = {"code": code, "classification": classification, "table_kind": table_kind, "level": level,
               "row_kind": row_kind, "measure": measure, "department": department, "fiscal_year": fiscal_year,
               "kind": kind}
    if format != "json":
        return export_line_items(request, format, "line-items", None, **filters)
    page = svc.list_line_items(session, report_id=None, cursor=cursor, limit=limit, **filters)
    return Response(page.json(), media_type="application/json")


@router.get("/line-items.csv", operation_id="export_line_items_csv", response_class=Response,
            responses=CSV_DOWNLOAD)
def export_line_items_csv(
    request: Request,
    code: Annotated[str | None, Query(description="code prefix, e.g. 2101501")] = None,
    classification: Literal["functional", "economic"] | None = None,
    table_kind: TableKind | None = None,
    level: Annotated[int | None, Query(ge=1, le=3)] = None,
    row_kind: Literal["subject", "total", "item"] | None = None,
    measure: Measure | None = None,
    department: Annotated[str | None, Query(description="part of the department name")] = None,
    fiscal_year: FiscalYear = None,
    kind: Literal["final", "budget", "unknown"] | None = None,
) -> Any:
    """Every line item `list_line_items` matches, as one CSV (the same as `?format=csv` there)."""
    return export_line_items(request, "csv", "line-items", None, code=code, classification=classification,
                             table_kind=table_kind, level=level, row_kind=row_kind, measure=measure,
                             department=department, fiscal_year=fiscal_year, kind=kind)
