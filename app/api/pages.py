"""Evidence on the page: page sizes, a page as PNG with highlights, a finding with the figures it compared."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from app.api.deps import FilesDep, SessionDep
from app.core.errors import FindingNotFound, HighlightNotFound, PageNotFound, ReportNotFound, problem_responses
from app.reports import evidence
from app.reports.schemas import FindingDetailOut, PageListOut

router = APIRouter(prefix="/reports", tags=["evidence"])
PNG = "image/png"
HIGHLIGHT = "line-item, finding or table ids (repeat the parameter or separate them with commas)"


@router.get("/{report_id}/pages", operation_id="list_report_pages", response_model=PageListOut,
            responses=problem_responses(ReportNotFound))
def list_pages(session: SessionDep, files: FilesDep, report_id: str) -> PageListOut:
    """Page count and page sizes of the stored file, to lay out page images and bboxes."""
    return evidence.pages_view(session, files=files, report_id=report_id)


@router.get("/{report_id}/pages/{page}.png", operation_id="get_report_page_image", response_class=Response,
            responses={200: {"content": {PNG: {"schema": {"type": "string", "format": "binary"}}},
                             "description": "the page as PNG, highlights drawn as translucent boxes with a legend"},
                       304: {"description": "not modified (If-None-Match names the ETag)"},
                       **problem_responses(ReportNotFound, PageNotFound, HighlightNotFound)})
def get_page_image(
    session: SessionDep,
    files: FilesDep,
    report_id: str,
    page: int,
    dpi: Annotated[int, Query(ge=50, le=200, description="resolution, 50–200")] = 100,
    highlight: Annotated[list[str] | None, Query(description=HIGHLIGHT)] = None,
    if_none_match: Annotated[str | None, Header()] = None,
) -> Response:
    """The page rendered at `dpi`; a finding highlights the figure it checked and those it compared."""
    ids = [h.strip() for value in highlight or [] for h in value.split(",") if h.strip()]
    image = evidence.page_image(session, files=files, report_id=report_id, page=page, dpi=dpi, highlight=ids,
                                if_none_match=if_none_match)
    headers = {"ETag": image.etag, "Cache-Control": "private, max-age=0, must-revalidate"}
    if image.png is None:
        return Response(status_code=304, headers=headers)
    return Response(image.png, media_type=PNG, headers=headers)


@router.get("/{report_id}/findings/{finding_id}", operation_id="get_report_finding", response_model=FindingDetailOut,
            responses=problem_responses(ReportNotFound, FindingNotFound))
def get_finding(session: SessionDep, report_id: str, finding_id: str) -> FindingDetailOut:
    """One finding with every figure it involved (page and bbox each), to draw the evidence yourself."""
    return evidence.finding_view(session, report_id=report_id, finding_id=finding_id)
