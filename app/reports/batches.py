"""Bulk upload: many files, or zips of PDFs, in one request. Each file is checked and stored like a
single upload (every stored upload is kept); each gets an entry, with its report or its problem."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlmodel import Session

from app.core.errors import AppError, BatchNotFound
from app.reports import archive
from app.reports import batch_queries as q
from app.reports import repository as repo
from app.reports import service as svc
from app.reports.batch_schemas import BatchCounts, BatchEntryOut, BatchOut, EntryProblem
from app.reports.record import iso
from app.store.files import BlobStore
from app.store.models import Batch, BatchEntry


@dataclass(frozen=True)
class Created:
    batch: BatchOut
    to_parse: list[str]  # reports the runner should be given (new ones, and ones left queued)


def _problem(exc: AppError) -> dict[str, object]:
    return EntryProblem(type=f"about:blank#{exc.code}", title=exc.title, status=exc.status, detail=exc.detail,
                        code=exc.code).model_dump()


def _entry(session: Session, files: BlobStore, batch_id: str, pos: int, name: str, data: bytes | None,
           problem: AppError | None, to_parse: list[str]) -> BatchEntry:
    if problem is None and data is not None:
        try:
            created = svc.create_report(session, files=files, data=data, filename=name.rsplit("/", 1)[-1], hints={})
        except AppError as exc:
            problem = exc
        else:
            if (created.created or created.report.status == "queued") and created.report.id not in to_parse:
                to_parse.append(created.report.id)
            return BatchEntry(batch_id=batch_id, pos=pos, filename=name, report_id=created.report.id,
                              created=created.created)
    assert problem is not None
    return BatchEntry(batch_id=batch_id, pos=pos, filename=name, problem=_problem(problem))


def create_batch(session: Session, *, files: BlobStore, parts: list[tuple[str, bytes]],
                 max_member_bytes: int) -> Created:
    """One entry per part, and per member of a part that is a zip."""
    batch = Batch(id=secrets.token_hex(12), created_at=repo.now())
    entries: list[BatchEntry] = []
    to_parse: list[str] = []

    def add(name: str, data: bytes | None, problem: AppError | None = None) -> None:
        entries.append(_entry(session, files, batch.id, len(entries), name, data, problem, to_parse))

    for name, data in parts:
        if not archive.is_zip(data):
            add(name, data)
            continue
        try:
            for m in archive.members(data, max_member_bytes=max_member_bytes):
                add(f"{name}/{m.path}", m.data, m.problem)
        except AppError as exc:  # the zip as a whole is refused: one entry says why
            add(name, None, exc)
    batch.files = len(entries)
    q.add_batch(session, batch, entries)
    session.commit()
    return Created(_batch_out(session, batch, entries), to_parse)


def _batch_out(session: Session, batch: Batch, entries: list[BatchEntry]) -> BatchOut:
    statuses = q.statuses(session, sorted({e.report_id for e in entries if e.report_id}))
    counts = BatchCounts()
    out = []
    seen: set[str] = set()
    for e in entries:
        status = "refused" if e.report_id is None else statuses.get(e.report_id, "deleted")
        if e.report_id is None or e.report_id not in seen:  # a report named twice is counted once
            setattr(counts, status, getattr(counts, status) + 1)
        if e.report_id:
            seen.add(e.report_id)
        out.append(BatchEntryOut(filename=e.filename, report_id=e.report_id, created=e.created,
                                 status=status,  # type: ignore[arg-type]
                                 problem=EntryProblem(**e.problem) if e.problem else None))
    return BatchOut(id=batch.id, created_at=iso(batch.created_at), files=batch.files,
                    done=counts.queued == 0 and counts.parsing == 0, counts=counts, entries=out)


def get_batch(session: Session, *, batch_id: str) -> BatchOut:
    session.expire_all()  # the reports' status as the jobs left it
    batch = q.get_batch(session, batch_id)
    if batch is None:
        raise BatchNotFound(f"no batch with id {batch_id!r}")
    return _batch_out(session, batch, list(q.entries_of(session, batch_id)))
