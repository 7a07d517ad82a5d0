"""What runs inside a parser process: pure parse + validate, under a memory cap. Failures the
worker must tell apart leave here as ParseErrors with their own codes."""

from __future__ import annotations

import io
import logging
import re
import resource
import time
import traceback
import zlib
from types import TracebackType
from typing import Any

from app.parsing import parse_pdf
from app.parsing.errors import ParseError
from app.parsing.model import ParsedReport
from app.validation import ValidationReport, validate

log = logging.getLogger(__name__)
_CHUNK = 1 << 16
_limit_bytes = 0


class ParserOutOfMemory(ParseError):
    code = "parser_out_of_memory"
    title = "Parsing needed more memory than the per-report limit"


class PdfTooComplex(ParseError):
    code = "pdf_too_complex"
    title = "A stream of the PDF expands beyond any sane size (a decompression bomb)"


def limit_memory(megabytes: int) -> None:
    """Pool initializer: cap the address space so a hostile PDF fails its own report only."""
    global _limit_bytes
    _limit_bytes = megabytes * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (_limit_bytes, _limit_bytes))
    except (ValueError, OSError):  # not permitted here: run without the cap
        pass


def count_pages(data: bytes, max_pages: int) -> int:
    """The page count (and the page limit) before the expensive parse starts."""
    from app.parsing.guard import open_pdf

    try:
        with open_pdf(data, max_pages=max_pages) as pdf:
            return len(pdf)
    except Exception as exc:
        memory = _memory_error(exc)
        if memory is None:
            raise
        raise _classify(memory) from None


_STREAM = re.compile(rb"stream\r?\n")


def bomb_stream(data: bytes, limit_bytes: int) -> str | None:
    """Why the file is a decompression bomb (a stream that inflates beyond `limit_bytes`), or None.
    Used after a parser process died: a reader in C (pdfium) aborts on such a stream where the
    Python reader raised a MemoryError. Inflation runs in bounded chunks and keeps nothing."""
    for match in _STREAM.finditer(data):
        start = match.end()
        end = data.find(b"endstream", start)
        raw = data[start:end if end >= 0 else len(data)]
        if raw[:1] in {b"x", b"X", b"h", b"H"} and _inflates_beyond(raw, limit_bytes):  # a zlib header
            return (f"a compressed stream of {len(raw)} bytes expands beyond the "
                    f"{limit_bytes >> 20} MB parse memory limit")
    return None


class PageProgress:
    """Writes a job's pages_done (and pages_ocr, those of them read by OCR) from inside the parser
    process, at most every `every` seconds (so whichever worker parses, GET /jobs shows how far it is)."""

    def __init__(self, database_url: str, job_id: int, every: float = 0.5) -> None:
        self.database_url, self.job_id, self.every = database_url, job_id, every
        self._engine: Any = None
        self._last = 0.0

    def __call__(self, pages_done: int, pages_ocr: int) -> None:
        now = time.monotonic()
        if now - self._last < self.every:
            return
        self._last = now
        from app.jobs import state
        from app.store.db import make_engine, session_scope

        try:
            if self._engine is None:
                self._engine = make_engine(self.database_url)
            with session_scope(self._engine) as session:
                state.progress(session, self.job_id, pages_done=pages_done, pages_ocr=pages_ocr)
        except Exception:  # progress is best effort: the parse goes on
            log.warning("could not write the progress of job %s", self.job_id, exc_info=True)

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()


def parse_and_validate(data: bytes, max_pages: int,
                       progress: tuple[str, int] | None = None) -> tuple[ParsedReport, ValidationReport]:
    """Parse and validate; `progress` (database URL, job id) has pages_done written as pages are read."""
    reporter = PageProgress(*progress) if progress is not None else None
    try:
        parsed = parse_pdf(data, max_pages=max_pages, on_page=reporter)
        return parsed, validate(parsed)
    except Exception as exc:  # MemoryError included, bare or wrapped by a library
        memory = _memory_error(exc)
        if memory is None:
            raise
        raise _classify(memory) from None
    finally:
        if reporter is not None:
            reporter.close()


def _memory_error(exc: BaseException) -> MemoryError | None:
    """The MemoryError behind a library's wrapper (pdfplumber wraps pdfminer's errors)."""
    seen: set[int] = set()
    cur: BaseException | None = exc
    while cur is not None and id(cur) not in seen:
        if isinstance(cur, MemoryError):
            return cur
        seen.add(id(cur))
        cur = cur.__cause__ or cur.__context__
    return None


def _classify(exc: MemoryError) -> ParseError:
    """A stream whose decompressed size alone exceeds the whole memory budget is a bomb;
    anything else that ran out of memory is a report too big for the limit."""
    compressed = _inflating(exc.__traceback__)
    traceback.clear_frames(exc.__traceback__)  # let the half-built parse go before measuring
    try:
        bomb = compressed is not None and _inflates_beyond(compressed, _limit_bytes or 3 << 30)
    except MemoryError:  # even a small buffer is too much now: the report itself filled the limit
        bomb = False
    if bomb and compressed is not None:
        return PdfTooComplex(f"a compressed stream of {len(compressed)} bytes expands beyond the "
                             f"{(_limit_bytes or 0) >> 20} MB parse memory limit")
    return ParserOutOfMemory("parsing exceeded the per-report memory limit (PARSE_MEMORY_MB)")


def _inflating(tb: TracebackType | None) -> bytes | None:
    """The compressed bytes being inflated when the allocation failed, if it failed there."""
    found: bytes | None = None
    while tb is not None:
        frame = tb.tb_frame
        if frame.f_code.co_name == "decode" and frame.f_code.co_filename.endswith("pdftypes.py"):
            data = frame.f_locals.get("data")
            if isinstance(data, bytes):
                found = data
        tb = tb.tb_next
    return found


def _inflates_beyond(compressed: bytes, limit: int) -> bool:
    """Inflate in bounded chunks, keeping nothing, until `limit` bytes came out (or the end)."""
    d = zlib.decompressobj()
    src = io.BytesIO(compressed)
    total = 0
    try:
        while not d.eof and (chunk := src.read(_CHUNK)):
            while chunk and not d.eof:
                out = d.decompress(chunk, _CHUNK)
                total += len(out)
                if total > limit:
                    return True
                if not out and d.unconsumed_tail == chunk:  # no progress (bytes past the stream's end)
                    return False
                chunk = d.unconsumed_tail
    except zlib.error:
        return False
    return False
