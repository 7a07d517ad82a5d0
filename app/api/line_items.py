"""/line-items: subject-coded figures across reports (many departments and years at once)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from app.api.deps import SessionDep
from app.api.formats import Format, render
from app.core.errors import InvalidCursor, problem_responses
from app.reports import export
from app.reports import service as svc
from app.reports.schemas import LineItemList

FiscalYear = Annotated[int | None, Query(ge=1990, le=2100)]  # the database column is a 32-bit integer
router = APIRouter(tags=["line-items"])


@router.get("/line-items", operation_id="list_line_items", response_model=LineItemList,
            responses={200: {"content": {export.CSV_MEDIA: {}, export.XLSX_MEDIA: {}}},
                       **problem_responses(InvalidCursor)})
def list_line_items(
    session: SessionDep,
    code: Annotated[str | None, Query(description="code prefix, e.g. 2101501")] = None,
    classification: Literal["functional", "economic"] | None = None,
    table_kind: str | None = None,
    level: Annotated[int | None, Query(ge=1, le=3)] = None,
    row_kind: Literal["subject", "total", "item"] | None = None,
    measure: str | None = None,
    department: Annotated[str | None, Query(description="part of the department name")] = None,
    fiscal_year: FiscalYear = None,
    kind: Literal["final", "budget", "unknown"] | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    format: Format = "json",
) -> Any:
    page = svc.list_line_items(
        session, report_id=None, cursor=cursor, limit=limit, code=code, classification=classification,
        table_kind=table_kind, level=level, row_kind=row_kind, measure=measure, department=department,
        fiscal_year=fiscal_year, kind=kind)
    return render(page, format, lambda: export.line_item_rows(page.data), "line-items")


@router.get("/line-items.csv", operation_id="export_line_items_csv", response_class=Response,
            responses={200: {"content": {export.CSV_MEDIA: {"schema": {"type": "string"}}},
                             "description": "CSV, UTF-8 with a BOM"}, **problem_responses(InvalidCursor)})
def export_line_items_csv(
    session: SessionDep,
    code: Annotated[str | None, Query(description="code prefix, e.g. 2101501")] = None,
    classification: Literal["functional", "economic"] | None = None,
    table_kind: str | None = None,
    level: Annotated[int | None, Query(ge=1, le=3)] = None,
    row_kind: Literal["subject", "total", "item"] | None = None,
    measure: str | None = None,
    department: Annotated[str | None, Query(description="part of the department name")] = None,
    fiscal_year: FiscalYear = None,
    kind: Literal["final", "budget", "unknown"] | None = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """The page of `list_line_items` as a CSV download (the same as `?format=csv` there)."""
    return list_line_items(session, code=code, classification=classification, table_kind=table_kind, level=level,
                           row_kind=row_kind, measure=measure, department=department, fiscal_year=fiscal_year,
                           kind=kind, cursor=cursor, limit=limit, format="csv")
