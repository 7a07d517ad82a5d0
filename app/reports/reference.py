"""The reference data the API lists beside the reports: the validation rule catalog and the
subject-code catalog, as contract models."""

from __future__ import annotations

from app.catalog import subjects
from app.core.problems import InvalidCursor
from app.reports.schemas import RuleList, RuleOut, SubjectList, SubjectOut
from app.reports.service import decode_cursor, encode_cursor
from app.validation import RULES


def list_rules() -> RuleList:
    return RuleList(data=[RuleOut(id=r.id, family=r.family, severity=r.severity,
                                  description_zh=r.description_zh, description_en=r.description_en,
                                  inputs=list(r.inputs), ties=list(r.ties)) for r in RULES.values()], next_cursor=None)


def list_subjects(*, code: str | None, classification: str | None, level: int | None, cursor: str | None,
                  limit: int) -> SubjectList:
    rows = [s for s in subjects()
            if (not code or s.code.startswith(code)) and (not classification or s.classification == classification)
            and (level is None or s.level == level)]
    after = decode_cursor(cursor)
    start = 0
    if after:
        if not isinstance(after[0], int) or after[0] < 0:
            raise InvalidCursor("the cursor was not produced by this API")
        start = after[0]
    page = rows[start:start + limit]
    nxt = encode_cursor(start + limit) if start + limit < len(rows) else None
    return SubjectList(data=[SubjectOut(code=s.code, name=s.name, classification=s.classification,  # type: ignore[arg-type]
                                        level=s.level, years=list(s.years), names=list(s.names)) for s in page],
                       next_cursor=nxt)
