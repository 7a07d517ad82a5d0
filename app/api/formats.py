"""`?format=json|csv|xlsx` for list and table resources. A list in CSV or XLSX is complete: every
row its filters match, streamed as it is read (`limit` and `cursor` are for the JSON pages)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Annotated, Any, Literal

from fastapi import Query, Request, Response
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from app.api.disposition import content_disposition
from app.reports import export
from app.store.db import session_scope

Format = Literal["json", "csv", "xlsx"]
ListFormat = Annotated[Format, Query(description="json: one page; csv or xlsx: every matching row, one per "
                                                  "printed figure, with the report's columns (limit and cursor "
                                                  "do not apply)")]
MEDIA = {"csv": export.CSV_MEDIA, "xlsx": export.XLSX_MEDIA}
DOWNLOADS: dict[int | str, dict[str, Any]] = {200: {"content": {export.CSV_MEDIA: {}, export.XLSX_MEDIA: {}}}}
CSV_DOWNLOAD: dict[int | str, dict[str, Any]] = {
    200: {"content": {export.CSV_MEDIA: {"schema": {"type": "string"}}},
          "description": "CSV, UTF-8 with a BOM: every matching row"}}

Rows = Callable[[Session], Iterable[Sequence[Any]]]


def render(body: Any, fmt: Format, rows: Callable[[], list[list[Any]]], name: str) -> Any:
    """A resource already read whole (one table): JSON, or its rows as a download."""
    if fmt == "json":
        return body
    data = export.to_csv(rows()) if fmt == "csv" else export.to_xlsx(rows(), name)
    return Response(data, media_type=MEDIA[fmt], headers={"Content-Disposition": content_disposition(f"{name}.{fmt}")})


def stream(request: Request, fmt: Literal["csv", "xlsx"], rows: Rows, name: str) -> StreamingResponse:
    """Every row of a listing as a download, read in its own session while the body is sent."""
    engine = request.app.state.engine

    def body() -> Iterator[bytes]:
        with session_scope(engine) as session:
            data = rows(session)
            yield from export.csv_chunks(data) if fmt == "csv" else export.xlsx_chunks(data, name)

    return StreamingResponse(body(), media_type=MEDIA[fmt],
                             headers={"Content-Disposition": content_disposition(f"{name}.{fmt}")})
