"""Request rate and daily upload quota per key (per client address when AUTH=off), by `limits`.

Storage is in memory by default (per process); RATE_LIMIT_STORAGE=redis://host:6379 shares the
counters between processes."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, RateLimitItemPerDay, parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter


@dataclass(frozen=True)
class Refusal:
    code: str
    detail: str
    retry_after: int  # seconds


class Limiter:
    def __init__(self, rate: str, uploads_per_day: int, storage_url: str = "memory://") -> None:
        self.storage = storage_from_string(storage_url)
        self.rate: RateLimitItem = parse(rate)
        self.quota: RateLimitItem = RateLimitItemPerDay(uploads_per_day)
        self._moving = MovingWindowRateLimiter(self.storage)
        self._fixed = FixedWindowRateLimiter(self.storage)

    def hit(self, identity: str, *, upload: bool) -> Refusal | None:
        """Count one request (and one upload); a Refusal when a limit is already reached."""
        if not self._moving.hit(self.rate, "rate", identity):
            reset = self._moving.get_window_stats(self.rate, "rate", identity).reset_time
            return Refusal("rate_limited", f"requests are limited to {self.rate}", _seconds_until(reset))
        if upload and not self._fixed.hit(self.quota, "uploads", identity):
            reset = self._fixed.get_window_stats(self.quota, "uploads", identity).reset_time
            return Refusal("upload_quota_exceeded", f"uploads are limited to {self.quota.amount} a day",
                           _seconds_until(reset))
        return None


def _seconds_until(reset: float) -> int:
    return max(1, math.ceil(reset - time.time()))


def check_rate(rate: str) -> str:
    parse(rate)  # raises ValueError for a string `limits` cannot read
    return rate
