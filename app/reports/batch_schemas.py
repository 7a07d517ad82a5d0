"""Shapes of a bulk upload: the batch, its per-file entries and the counts of its reports by status."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class EntryProblem(BaseModel):
    """Why one file of the batch was refused (the problem+json a single upload would have got)."""

    type: str
    title: str
    status: int
    detail: str
    code: str = Field(examples=["unsupported_media_type"])


class BatchEntryOut(BaseModel):
    filename: str = Field(description="the part's file name; for a zip member, `archive.zip/path/in/zip.pdf`")
    report_id: str | None = Field(description="the report the file became (null: refused)")
    created: bool = Field(description="false: the same bytes were uploaded before (or earlier in the batch)")
    status: Literal["queued", "parsing", "parsed", "failed", "refused", "deleted"]
    problem: EntryProblem | None


class BatchCounts(BaseModel):
    queued: int = 0
    parsing: int = 0
    parsed: int = 0
    failed: int = 0
    refused: int = Field(default=0, description="files that became no report (their entry has the problem)")
    deleted: int = Field(default=0, description="reports deleted since")


class BatchOut(BaseModel):
    id: str
    created_at: str
    files: int = Field(description="entries: one per uploaded file and per file inside an uploaded zip")
    done: bool = Field(description="no report of the batch is queued or parsing")
    counts: BatchCounts
    entries: list[BatchEntryOut]
