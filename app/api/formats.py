"""`?format=json|csv|xlsx` for list and table resources."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import Response

from app.reports import export

Format = Literal["json", "csv", "xlsx"]


def render(body: Any, fmt: Format, rows: Callable[[], list[list[Any]]], name: str) -> Any:
    if fmt == "json":
        return body
    if fmt == "csv":
        return Response(export.to_csv(rows()), media_type=export.CSV_MEDIA,
                        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return Response(export.to_xlsx(rows(), name), media_type=export.XLSX_MEDIA,
                    headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'})
