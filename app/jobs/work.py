"""What runs inside a worker process: pure parse + validate, under memory limits."""

from __future__ import annotations

import resource

from app.parsing import parse_pdf
from app.parsing.model import ParsedReport
from app.validation import ValidationReport, validate


def limit_memory(megabytes: int) -> None:
    """Pool initializer: cap the address space so a hostile PDF fails its own report only."""
    limit = megabytes * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):  # not permitted here: run without the cap
        pass


def parse_and_validate(data: bytes, max_pages: int) -> tuple[ParsedReport, ValidationReport]:
    parsed = parse_pdf(data, max_pages=max_pages)
    return parsed, validate(parsed)
