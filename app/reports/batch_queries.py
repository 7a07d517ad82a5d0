"""The SQL of batches."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select
from sqlmodel import Session, col

from app.store.models import Batch, BatchEntry, Report


def add_batch(session: Session, batch: Batch, entries: Sequence[BatchEntry]) -> None:
    session.add(batch)
    session.flush()
    if entries:
        session.execute(insert(BatchEntry), [e.model_dump() for e in entries])


def get_batch(session: Session, batch_id: str) -> Batch | None:
    return session.get(Batch, batch_id)


def entries_of(session: Session, batch_id: str) -> Sequence[BatchEntry]:
    q = select(BatchEntry).where(col(BatchEntry.batch_id) == batch_id).order_by(col(BatchEntry.pos))
    return session.execute(q).scalars().all()


def statuses(session: Session, report_ids: Sequence[str]) -> dict[str, str]:
    if not report_ids:
        return {}
    q = select(col(Report.id), col(Report.status)).where(col(Report.id).in_(report_ids))
    return {str(rid): str(status) for rid, status in session.execute(q).all()}
