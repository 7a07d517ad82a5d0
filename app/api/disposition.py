"""Upload file names made safe to store, and sent back as RFC 6266 / RFC 5987 `filename*`."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
MAX_NAME = 200


def safe_filename(name: str | None, default: str = "upload.pdf") -> str:
    """The last path component, NFC, without control characters, at most 200 characters."""
    name = unicodedata.normalize("NFC", name or "")
    name = UNSAFE.sub("", name.replace("\\", "/").rsplit("/", 1)[-1]).strip().strip(".")
    name = "".join(ch for ch in name if not 0xD800 <= ord(ch) <= 0xDFFF)
    return name[:MAX_NAME] or default


def content_disposition(name: str, disposition: str = "attachment") -> str:
    """`attachment; filename="ascii fallback"; filename*=UTF-8''percent-encoded`."""
    name = safe_filename(name, "report.pdf")
    fallback = "".join(ch if 0x20 <= ord(ch) < 0x7F and ch not in '"\\;' else "_" for ch in name)
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"
