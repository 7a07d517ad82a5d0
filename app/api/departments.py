"""What is loaded: `GET /departments` (with a search `q=`) and `GET /fiscal-years`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from app.api.deps import SessionDep
from app.core.errors import InvalidCursor, problem_responses
from app.reports import departments as svc
from app.reports.department_schemas import DepartmentList, FiscalYearList

router = APIRouter(tags=["departments"])
Kind = Literal["final", "budget", "unknown"]


@router.get("/departments", operation_id="list_departments", response_model=DepartmentList,
            responses=problem_responses(InvalidCursor))
def list_departments(
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=100, description="search: part of a name, an abbreviation (医保) or "
                                   "its words in another order (交通运输局 上海); best match first",
                                   examples=["医保"])] = None,
    fiscal_year: Annotated[int | None, Query(ge=1990, le=2100, description="only reports of this year")] = None,
    kind: Annotated[Kind | None, Query(description="only reports of this kind")] = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> Any:
    """The departments loaded, by name (or by match with `q`): each with its reports by fiscal year and kind."""
    return svc.list_departments(session, query=q, fiscal_year=fiscal_year, kind=kind, cursor=cursor, limit=limit)


@router.get("/fiscal-years", operation_id="list_fiscal_years", response_model=FiscalYearList)
def list_fiscal_years(session: SessionDep) -> Any:
    """The fiscal years loaded, newest first: reports by kind and the number of departments."""
    return svc.list_fiscal_years(session)
