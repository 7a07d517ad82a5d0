"""Headline figures: one report's (`/reports/{id}/summary`), one key across reports
(`/summaries`), one department across years (`/departments/{name}/history`)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response

from app.api.deps import SessionDep
from app.api.formats import CSV_DOWNLOAD, DOWNLOADS, ListFormat, stream
from app.core.errors import DepartmentNotFound, InvalidCursor, ReportNotFound, problem_responses
from app.reports import export
from app.reports import summary_views as views
from app.reports.schemas import DepartmentHistory, ReportSummary, SummaryList
from app.reports.summary import SummaryKey

router = APIRouter(tags=["summaries"])
Kind = Literal["final", "budget", "unknown"]
FiscalYear = Annotated[int | None, Query(ge=1990, le=2100)]
Department = Annotated[str | None, Query(description="part of the department name")]


@router.get("/reports/{report_id}/summary", operation_id="get_report_summary", response_model=ReportSummary,
            responses=problem_responses(ReportNotFound))
def get_report_summary(session: SessionDep, report_id: str) -> Any:
    """The report's headline figures: each key of the vocabulary (docs/summary.md) the report prints,
    with the table, page and box it is printed at."""
    return views.report_summary(session, report_id=report_id)


@router.get("/summaries", operation_id="list_summaries", response_model=SummaryList,
            responses={**DOWNLOADS, **problem_responses(InvalidCursor)})
def list_summaries(
    request: Request,
    session: SessionDep,
    key: SummaryKey | None = None,
    fiscal_year: FiscalYear = None,
    kind: Kind | None = None,
    department: Department = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    format: ListFormat = "json",
) -> Any:
    """Headline figures across reports: with `key`, in the order code, year, report."""
    filters: dict[str, Any] = {"key": key, "fiscal_year": fiscal_year, "kind": kind, "department": department}
    if format != "json":
        return stream(request, format, lambda s: export.summary_rows(views.iter_summaries(s, **filters)), "summaries")
    return views.list_summaries(session, cursor=cursor, limit=limit, **filters)


@router.get("/summaries.csv", operation_id="export_summaries_csv", response_class=Response, responses=CSV_DOWNLOAD)
def export_summaries_csv(
    request: Request,
    session: SessionDep,
    key: SummaryKey | None = None,
    fiscal_year: FiscalYear = None,
    kind: Kind | None = None,
    department: Department = None,
) -> Any:
    """Every figure `list_summaries` matches, as one CSV (the same as `?format=csv` there)."""
    return list_summaries(request, session, key=key, fiscal_year=fiscal_year, kind=kind, department=department,
                          format="csv")


@router.get("/departments/{name}/history", operation_id="get_department_history", response_model=DepartmentHistory,
            responses=problem_responses(DepartmentNotFound))
def get_department_history(
    session: SessionDep,
    name: str,
    code: Annotated[str | None, Query(description="a subject code to follow across years, e.g. 2010101")] = None,
) -> Any:
    """One department (its exact name) across years, budget beside final: the headline figures of each
    report and the rows printing `code`."""
    return views.department_history(session, department=name, code=code)
