"""/batches: bulk upload (many `file` parts, or zips of PDFs) and its progress."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, UploadFile, status
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from app.api.deps import FilesDep, RunnerDep, SessionDep, SettingsDep
from app.api.reports import read_limited
from app.core.errors import BatchNotFound, MissingFile, PayloadTooLarge, problem_responses
from app.reports import batches as svc
from app.reports.batch_schemas import BatchOut

router = APIRouter(prefix="/batches", tags=["batches"])
PARTS = {"type": "array", "items": {"type": "string", "format": "binary", "contentMediaType": "application/pdf"}}


@router.post("", operation_id="create_batch", response_model=BatchOut, status_code=status.HTTP_202_ACCEPTED,
             responses=problem_responses(MissingFile, PayloadTooLarge),
             openapi_extra={"requestBody": {"content": {"multipart/form-data": {
                 "encoding": {"file": {"contentType": "application/pdf, application/zip"}}}}}})
async def create_batch(
    session: SessionDep,
    settings: SettingsDep,
    files: FilesDep,
    runner: RunnerDep,
    file: Annotated[list[UploadFile], File(description="PDFs, or zips of PDFs: repeat the `file` part",
                                           json_schema_extra=PARTS)],
) -> Any:
    """Upload many reports at once. Every file gets an entry: its report (queued to parse; the same bytes as
    before → that report) or the problem that refused it. A zip is unpacked (bounded: member count, total
    size, no path outside the archive, no archive inside); the whole request is bounded by the upload limit."""
    if not file:
        raise MissingFile("send the PDFs (or a zip) as repeated multipart fields `file`")
    parts = [(f.filename or f"file-{n}", await read_limited(f, settings.max_upload_bytes)) for n, f in enumerate(file)]
    created = await run_in_threadpool(svc.create_batch, session, files=files, parts=parts,
                                      max_member_bytes=settings.max_upload_bytes)
    for report_id in created.to_parse:
        runner.submit(report_id)
    return JSONResponse(created.batch.model_dump(mode="json"), status_code=status.HTTP_202_ACCEPTED,
                        headers={"Location": f"/batches/{created.batch.id}"})


@router.get("/{batch_id}", operation_id="get_batch", response_model=BatchOut,
            responses=problem_responses(BatchNotFound))
def get_batch(session: SessionDep, batch_id: str) -> Any:
    """The batch's entries and the counts of its reports by status (`done` once none is queued or parsing)."""
    return svc.get_batch(session, batch_id=batch_id)
