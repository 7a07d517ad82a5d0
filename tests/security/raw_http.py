"""An HTTP/1.1 request over a plain socket that stops sending its body as soon as the server answers
(httpx would insist on sending the whole body first): to see when an oversized upload is refused."""

from __future__ import annotations

import select
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class RawResponse:
    status: int
    headers: dict[str, str]
    body: bytes
    sent: int  # body bytes sent before the answer came
    seconds: float  # from the first byte sent to the answer's arrival


def request(base: str, method: str, path: str, headers: dict[str, str], body: Iterable[bytes],
            timeout: float = 120.0) -> RawResponse:
    url = urlsplit(base)
    head = f"{method} {path} HTTP/1.1\r\nHost: {url.netloc}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    start = time.perf_counter()
    sent = 0
    with socket.create_connection((url.hostname or "127.0.0.1", url.port or 80), timeout=timeout) as sock:
        sock.sendall((head + "\r\n").encode("latin-1"))
        for chunk in body:
            if select.select([sock], [], [], 0)[0]:
                break  # the server has answered
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(chunk)
        data = b""
        deadline = start + timeout
        while b"\r\n\r\n" not in data and time.perf_counter() < deadline:
            part = sock.recv(65536)
            if not part:
                break
            data += part
        seconds = time.perf_counter() - start
        head_bytes, _, rest = data.partition(b"\r\n\r\n")
        lines = head_bytes.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        parsed = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = int(parsed.get("content-length", "0"))
        while len(rest) < length and time.perf_counter() < deadline:
            part = sock.recv(65536)
            if not part:
                break
            rest += part
    return RawResponse(status, parsed, rest[:length], sent, seconds)


def zeros(total: int, chunk: int = 1024 * 1024, prefix: bytes = b"") -> Iterable[bytes]:
    """`total` bytes: `prefix`, then zeros."""
    if prefix:
        yield prefix
    block = b"\0" * chunk
    for _ in range((total - len(prefix)) // chunk):
        yield block
    if rest := (total - len(prefix)) % chunk:
        yield b"\0" * rest


FILE_PART = b'--x\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\n\r\n%PDF-1.7\n'


def chunked(total: int, chunk: int = 256 * 1024, prefix: bytes = b"") -> Iterable[bytes]:
    """A chunked body: `prefix`, then zeros."""
    if prefix:
        yield b"%x\r\n" % len(prefix) + prefix + b"\r\n"
    block = b"%x\r\n" % chunk + b"\0" * chunk + b"\r\n"
    for _ in range(total // chunk):
        yield block
    yield b"0\r\n\r\n"
