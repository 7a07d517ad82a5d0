"""The PDFs of a zip upload (`POST /batches`), bounded: member count, total uncompressed bytes, each
member's size (read, not trusted from its header), no path leaving the archive, no archive inside.
A member that breaks a rule gets its own problem; the others go on."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from app.core.errors import AppError, ArchiveTooLarge, InvalidArchive, NestedArchive, PayloadTooLarge, UnsafePath
from app.parsing.guard import CONTAINERS

MAX_MEMBERS = 500
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3


@dataclass(frozen=True)
class Member:
    path: str  # as the archive names it
    data: bytes | None
    problem: AppError | None = None


def _too_large(limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(f"the member is larger than the {limit}-byte upload limit")


def is_zip(data: bytes) -> bool:
    return data[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _is_container(data: bytes) -> bool:
    return any(data.startswith(magic) for magic, _ in CONTAINERS) or data[257:262] == b"ustar"


def _unsafe(path: str) -> bool:
    p = path.replace("\\", "/")
    return p.startswith("/") or (len(p) > 1 and p[1] == ":") or ".." in p.split("/")


def members(data: bytes, *, max_member_bytes: int, max_members: int = MAX_MEMBERS,
            max_total_bytes: int = MAX_UNCOMPRESSED_BYTES) -> Iterator[Member]:
    """Each file of the zip, read under the bounds; InvalidArchive/ArchiveTooLarge refuse the whole zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise InvalidArchive(f"the zip cannot be read: {exc}") from exc
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        if len(infos) > max_members:
            raise ArchiveTooLarge(f"the zip holds {len(infos)} files; at most {max_members} are accepted")
        declared = sum(i.file_size for i in infos)
        if declared > max_total_bytes:
            raise ArchiveTooLarge(f"the zip unpacks to {declared} bytes; at most {max_total_bytes} are accepted")
        total = 0
        for info in infos:
            name = info.filename
            if _unsafe(name):
                yield Member(name, None, UnsafePath(f"the member {name!r} names a path outside the archive"))
                continue
            if info.file_size > max_member_bytes:
                yield Member(name, None, _too_large(max_member_bytes))
                continue
            try:
                with archive.open(info) as f:
                    body = f.read(max_member_bytes + 1)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, zlib.error, EOFError, OSError) as exc:
                yield Member(name, None, InvalidArchive(f"the member {name!r} cannot be unpacked: {exc}"))
                continue
            if len(body) > max_member_bytes:  # the header understated it
                yield Member(name, None, _too_large(max_member_bytes))
                continue
            total += len(body)
            if total > max_total_bytes:
                raise ArchiveTooLarge(f"the zip unpacks to more than {max_total_bytes} bytes")
            if _is_container(body):
                yield Member(name, None, NestedArchive(f"the member {name!r} is an archive; archives inside an archive "
                                                       "are not unpacked"))
                continue
            yield Member(name, body)
