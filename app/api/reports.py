"""/reports: upload, read models, file download, reparse, validation."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Form, Query, Request, Response, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from app.api.deps import FilesDep, RunnerDep, SessionDep, SettingsDep
from app.api.disposition import content_disposition
from app.api.formats import CSV_DOWNLOAD, DOWNLOADS, Format, ListFormat, render, stream
from app.api.line_items import export_line_items
from app.core.errors import (
    EmptyUpload,
    InvalidCursor,
    MissingFile,
    MultipleFiles,
    PayloadTooLarge,
    ReportBusy,
    ReportNotFound,
    TableNotFound,
    UnsupportedMediaType,
    WaitTimeout,
    problem_responses,
)
from app.parsing.model import TableKind
from app.reports import export, export_rows
from app.reports import service as svc
from app.reports.schemas import (
    IndicatorList,
    LineItemList,
    Measure,
    ProgrammeList,
    ReportList,
    ReportOut,
    TableDetail,
    TableList,
    ValidationOut,
)

router = APIRouter(prefix="/reports", tags=["reports"])

Limit = Annotated[int, Query(ge=1, le=1000)]
Kind = Literal["final", "budget", "unknown"]
CHUNK = 1024 * 1024
PDF = "application/pdf"
PDF_PART = {"format": "binary", "contentMediaType": PDF}


async def read_limited(upload: UploadFile, max_bytes: int) -> bytes:
    parts: list[bytes] = []
    size = 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise PayloadTooLarge(f"the file is larger than the {max_bytes}-byte upload limit")
        parts.append(chunk)
    return b"".join(parts)


async def _wait(future: Any, seconds: float) -> None:
    try:
        await asyncio.wait_for(asyncio.wrap_future(future), timeout=seconds)
    except TimeoutError as exc:
        raise WaitTimeout(f"the report is still being parsed after {seconds:.0f} s; poll GET /reports/{{id}}") from exc


@router.post(
    "",
    operation_id="upload_report",
    response_model=ReportOut,
    status_code=status.HTTP_202_ACCEPTED,
    responses={200: {"model": ReportOut, "description": "the same bytes were uploaded before (or ?wait=true)"},
               **problem_responses(MissingFile, MultipleFiles, EmptyUpload, PayloadTooLarge, UnsupportedMediaType,
                                  WaitTimeout)},
    openapi_extra={"requestBody": {"content": {"multipart/form-data": {"encoding": {"file": {"contentType": PDF}}}}}},
)
async def upload_report(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    files: FilesDep,
    runner: RunnerDep,
    file: Annotated[UploadFile, File(description="the report PDF", json_schema_extra=PDF_PART)],
    department: Annotated[str | None, Form()] = None,
    fiscal_year: Annotated[int | None, Form(ge=1990, le=2100)] = None,
    kind: Annotated[Kind | None, Form()] = None,
    wait: Annotated[bool, Query(description="block until the report is parsed or failed")] = False,
) -> Response:
    """Upload a 部门预算/部门决算 PDF. 202 + Location while it parses; the same bytes again → 200, same report."""
    if file is None:
        raise MissingFile("send the PDF as the multipart field `file`")
    if len((await request.form()).getlist("file")) > 1:
        raise MultipleFiles("send one PDF as the multipart field `file`; many files (or a zip) go to POST /batches")
    data = await read_limited(file, settings.max_upload_bytes)
    hints = {"department": department, "fiscal_year": fiscal_year, "kind": kind}
    created = await run_in_threadpool(svc.create_report, session, files=files, data=data,
                                      filename=file.filename or "upload.pdf", hints=hints)
    report = created.report
    if created.created or report.status == "queued":
        future = runner.submit(report.id)
        if wait:
            await _wait(future, settings.wait_timeout_seconds)
    elif wait and report.status == "parsing":
        await _wait(runner.submit(report.id), settings.wait_timeout_seconds)
    body = (await run_in_threadpool(svc.reload_report, session, report_id=report.id)).model_dump(mode="json")
    code = status.HTTP_202_ACCEPTED if created.created and not wait else status.HTTP_200_OK
    return JSONResponse(body, status_code=code, headers={"Location": f"/reports/{report.id}"})


@router.get("", operation_id="list_reports", response_model=ReportList,
            responses={**DOWNLOADS, **problem_responses(InvalidCursor)})
def list_reports(
    request: Request,
    session: SessionDep,
    department: str | None = None,
    fiscal_year: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    kind: Kind | None = None,
    status: Literal["queued", "parsing", "parsed", "failed"] | None = None,
    has_errors: bool | None = None,
    cursor: str | None = None,
    limit: Limit = 100,
    format: ListFormat = "json",
) -> Any:
    filters = {"department": department, "fiscal_year": fiscal_year, "kind": kind, "status": status,
               "has_errors": has_errors}
    if format != "json":
        return stream(request, format, lambda s: export.report_rows(export_rows.reports(s, **filters)), "reports")
    return svc.list_reports(session, cursor=cursor, limit=limit, **filters).model_dump()


@router.get("/{report_id}", operation_id="get_report", response_model=ReportOut,
            responses=problem_responses(ReportNotFound))
def get_report(session: SessionDep, report_id: str) -> dict[str, Any]:
    return svc.get_report(session, report_id=report_id).model_dump()


@router.delete("/{report_id}", operation_id="delete_report", status_code=status.HTTP_204_NO_CONTENT,
               responses=problem_responses(ReportNotFound))
def delete_report(session: SessionDep, files: FilesDep, report_id: str) -> Response:
    """Remove a report, everything derived from it, and its stored file."""
    svc.delete_report(session, files=files, report_id=report_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{report_id}/file", operation_id="get_report_file", response_class=Response,
            responses={200: {"content": {PDF: {"schema": {"type": "string", **PDF_PART}}},
                             "description": "the original upload, byte-identical"},
                       **problem_responses(ReportNotFound)})
def get_report_file(session: SessionDep, files: FilesDep, report_id: str) -> Response:
    report = svc.require_report(session, report_id)
    return Response(files.get(report.sha256), media_type="application/pdf",
                    headers={"Content-Disposition": content_disposition(report.filename)})


@router.post("/{report_id}/reparse", operation_id="reparse_report", response_model=ReportOut,
             status_code=status.HTTP_202_ACCEPTED, responses=problem_responses(ReportNotFound, ReportBusy, WaitTimeout))
async def reparse_report(session: SessionDep, settings: SettingsDep, runner: RunnerDep, report_id: str,
                         wait: bool = False) -> Response:
    """Parse the stored file again with the current parser."""
    report = await run_in_threadpool(svc.queue_reparse, session, report_id=report_id)
    future = runner.submit(report.id)
    if wait:
        await _wait(future, settings.wait_timeout_seconds)
    body = (await run_in_threadpool(svc.reload_report, session, report_id=report.id)).model_dump(mode="json")
    return JSONResponse(body, status_code=200 if wait else 202, headers={"Location": f"/reports/{report.id}"})


@router.get("/{report_id}/tables", operation_id="list_report_tables", response_model=TableList,
            responses=problem_responses(ReportNotFound))
def list_tables(session: SessionDep, report_id: str) -> dict[str, Any]:
    return svc.list_tables(session, report_id=report_id).model_dump()


# Declared before `get_report_table`, whose `{table_id}` would otherwise match `<id>.csv`.
@router.get("/{report_id}/tables/{table_id}.csv", operation_id="export_report_table_csv", response_class=Response,
            responses={**CSV_DOWNLOAD, **problem_responses(ReportNotFound, TableNotFound)})
def export_table_csv(session: SessionDep, report_id: str, table_id: str) -> Any:
    """The table as a CSV download (the same as `?format=csv` on `get_report_table`)."""
    return get_table(session, report_id, table_id, format="csv")


@router.get("/{report_id}/tables/{table_id}", operation_id="get_report_table", response_model=TableDetail,
            responses={200: {"content": {export.CSV_MEDIA: {}, export.XLSX_MEDIA: {}}},
                       **problem_responses(ReportNotFound, TableNotFound)})
def get_table(session: SessionDep, report_id: str, table_id: str, format: Format = "json") -> Any:
    table = svc.get_table(session, report_id=report_id, table_id=table_id)
    return render(table, format, lambda: export.table_rows(table), f"table-{table_id}")


@router.get("/{report_id}/line-items", operation_id="list_report_line_items", response_model=LineItemList,
            responses={**DOWNLOADS, **problem_responses(ReportNotFound, InvalidCursor)})
def list_report_line_items(
    request: Request,
    session: SessionDep,
    report_id: str,
    code: Annotated[str | None, Query(description="code prefix, e.g. 208 or 2080505")] = None,
    classification: Literal["functional", "economic"] | None = None,
    table_kind: TableKind | None = None,
    level: Annotated[int | None, Query(ge=1, le=3)] = None,
    row_kind: Literal["subject", "total", "item"] | None = None,
    measure: Measure | None = None,
    cursor: str | None = None,
    limit: Limit = 100,
    format: ListFormat = "json",
) -> Any:
    filters = {"code": code, "classification": classification, "table_kind": table_kind, "level": level,
               "row_kind": row_kind, "measure": measure, "department": None, "fiscal_year": None, "kind": None}
    if format != "json":
        svc.require_report(session, report_id)
        return export_line_items(request, format, f"line-items-{report_id}", report_id, **filters)
    page = svc.list_line_items(session, report_id=report_id, cursor=cursor, limit=limit, **filters)
    return Response(page.json(), media_type="application/json")


@router.get("/{report_id}/line-items.csv", operation_id="export_report_line_items_csv", response_class=Response,
            responses={**CSV_DOWNLOAD, **problem_responses(ReportNotFound)})
def export_report_line_items_csv(
    request: Request,
    session: SessionDep,
    report_id: str,
    code: Annotated[str | None, Query(description="code prefix, e.g. 208 or 2080505")] = None,
    classification: Literal["functional", "economic"] | None = None,
    table_kind: TableKind | None = None,
    level: Annotated[int | None, Query(ge=1, le=3)] = None,
    row_kind: Literal["subject", "total", "item"] | None = None,
    measure: Measure | None = None,
) -> Any:
    """Every line item `list_report_line_items` matches, as one CSV (the same as `?format=csv` there)."""
    return list_report_line_items(request, session, report_id, code=code, classification=classification,
                                  table_kind=table_kind, level=level, row_kind=row_kind, measure=measure,
                                  format="csv")


XLSX_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {"content": {export.XLSX_MEDIA: {"schema": {"type": "string", "format": "binary"}}},
          "description": "the whole report: one sheet per table"}}
ZIP_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
          "description": "a Fiscal Data Package: datapackage.json and line-items.csv"}}


@router.get("/{report_id}/export.xlsx", operation_id="export_report_xlsx", response_class=Response,
            responses={**XLSX_DOWNLOAD, **problem_responses(ReportNotFound)})
def export_report_xlsx(session: SessionDep, report_id: str) -> Response:
    """The whole report as a workbook: one sheet per table, its grid as printed, amounts as numbers."""
    tables = [svc.get_table(session, report_id=report_id, table_id=t.id)
              for t in svc.list_tables(session, report_id=report_id).data]
    return Response(b"".join(export.report_workbook(tables)), media_type=export.XLSX_MEDIA,
                    headers={"Content-Disposition": content_disposition(f"report-{report_id}.xlsx")})


@router.get("/{report_id}/datapackage.zip", operation_id="export_report_datapackage", response_class=Response,
            responses={**ZIP_DOWNLOAD, **problem_responses(ReportNotFound)})
def export_report_datapackage(session: SessionDep, report_id: str) -> Response:
    """The report's subject-coded figures as a Fiscal Data Package (datapackage.json + CSV): functional and
    economic classification columns, phase approved (预算) or executed (决算), amounts in 元 as the measure."""
    svc.require_report(session, report_id)
    infos = export_rows.ReportInfos(session)
    items = export_rows.line_items(session, report_id=report_id, code=None, classification=None, table_kind=None,
                                   level=None, row_kind=None, measure=None, department=None, fiscal_year=None,
                                   kind=None)
    body = export.datapackage_zip(report_id, infos[report_id], export.fdp_rows(items, infos))
    return Response(body, media_type="application/zip",
                    headers={"Content-Disposition": content_disposition(f"report-{report_id}-datapackage.zip")})


@router.get("/{report_id}/programmes", operation_id="list_report_programmes", response_model=ProgrammeList,
            responses=problem_responses(ReportNotFound))
def list_programmes(session: SessionDep, report_id: str) -> dict[str, Any]:
    return svc.list_programmes(session, report_id=report_id).model_dump()


@router.get("/{report_id}/indicators", operation_id="list_report_indicators", response_model=IndicatorList,
            responses={**DOWNLOADS, **problem_responses(ReportNotFound, InvalidCursor)})
def list_indicators(
    request: Request,
    session: SessionDep,
    report_id: str,
    programme: Annotated[str | None, Query(description="programme id or part of its name")] = None,
    level1: str | None = None,
    level2: str | None = None,
    met: bool | None = None,
    cursor: str | None = None,
    limit: Limit = 100,
    format: ListFormat = "json",
) -> Any:
    filters: dict[str, Any] = {"programme": programme, "level1": level1, "level2": level2, "met": met}
    if format != "json":
        svc.require_report(session, report_id)
        return stream(request, format, lambda s: export.indicator_rows(
            report_id, export_rows.indicators(s, report_id=report_id, **filters)), f"indicators-{report_id}")
    return svc.list_indicators(session, report_id=report_id, cursor=cursor, limit=limit, **filters)


@router.get("/{report_id}/indicators.csv", operation_id="export_report_indicators_csv", response_class=Response,
            responses={**CSV_DOWNLOAD, **problem_responses(ReportNotFound)})
def export_indicators_csv(
    request: Request,
    session: SessionDep,
    report_id: str,
    programme: Annotated[str | None, Query(description="programme id or part of its name")] = None,
    level1: str | None = None,
    level2: str | None = None,
    met: bool | None = None,
) -> Any:
    """Every indicator `list_report_indicators` matches, as one CSV (the same as `?format=csv` there)."""
    return list_indicators(request, session, report_id, programme=programme, level1=level1, level2=level2, met=met,
                           format="csv")


@router.get("/{report_id}/validation", operation_id="get_report_validation", response_model=ValidationOut,
            responses=problem_responses(ReportNotFound))
def get_validation(session: SessionDep, report_id: str) -> dict[str, Any]:
    return svc.validation_view(session, report_id=report_id).model_dump()


@router.post("/{report_id}/validation", operation_id="revalidate_report", response_model=ValidationOut,
             responses=problem_responses(ReportNotFound, ReportBusy, WaitTimeout))
async def revalidate(session: SessionDep, settings: SettingsDep, runner: RunnerDep, report_id: str) -> dict[str, Any]:
    """Run the current rules again on the stored parse and return the new validation report."""
    report = await run_in_threadpool(svc.require_validatable, session, report_id=report_id)
    await _wait(runner.submit(report.id, "validate"), settings.wait_timeout_seconds)
    return (await run_in_threadpool(svc.reload_validation, session, report_id=report_id)).model_dump()
