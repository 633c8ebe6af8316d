"""Rate limits shared by every worker of a run: requests per minute, tokens per minute, and a
pause that stops everyone when the provider says "slow down".

Theory of operation. Each limit is a token bucket that refills continuously (a minute's
allowance over a minute) and starts full. A worker *acquires* one request and its estimated
input tokens before sending; when the answer comes back the estimate is *settled* against the
real usage (input and output tokens), so a bucket neither starves on pessimistic estimates nor
overruns on optimistic ones. A 429 with ``Retry-After`` anywhere in the run *pauses* the
limiter: no worker acquires until the pause ends, not only the one that was told.

The limiter is asyncio-only (one run, one event loop); the clock and the sleep are injectable
so tests run on a fake clock.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from .._errors import ConfigurationError

__all__ = ["RateLimit", "RateLimiter"]

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class RateLimit:
    """The provider limits a run must stay under (``None``: no limit of that kind).

    Attributes:
        requests_per_minute: requests sent per minute, by every worker together.
        tokens_per_minute: tokens per minute (input tokens estimated before sending, corrected
            with the usage each answer reports, output tokens included).
    """

    requests_per_minute: float | None = None
    tokens_per_minute: float | None = None

    def __post_init__(self) -> None:
        for name in ("requests_per_minute", "tokens_per_minute"):
            value = getattr(self, name)
            bad = isinstance(value, bool) or not isinstance(value, (int, float))
            if value is not None and (bad or math.isnan(value) or value <= 0):
                raise ConfigurationError(f"{name} must be a positive number, got {value!r}")


class _Bucket:
    """A token bucket of ``per_minute`` capacity, refilled continuously."""

    __slots__ = ("capacity", "level", "rate", "stamp")

    def __init__(self, per_minute: float, now: float) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.level = self.capacity
        self.stamp = now

    def refill(self, now: float) -> None:
        self.level = min(self.capacity, self.level + (now - self.stamp) * self.rate)
        self.stamp = now

    def wait_for(self, amount: float) -> float:
        """Seconds until ``amount`` is available (after a refill)."""
        missing = min(amount, self.capacity) - self.level
        return 0.0 if missing <= 0 else missing / self.rate


class RateLimiter:
    """The live state of a :class:`RateLimit` for one run (shared by all its workers)."""

    def __init__(
        self, limit: RateLimit, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.limit = limit
        self._clock = clock
        self._sleep = sleep
        now = clock()
        self._requests = (
            _Bucket(limit.requests_per_minute, now) if limit.requests_per_minute else None
        )
        self._tokens = _Bucket(limit.tokens_per_minute, now) if limit.tokens_per_minute else None
        self._paused_until = 0.0
        self._lock = asyncio.Lock()
        self.pauses = 0
        """How many times the run was paused by a provider's ``Retry-After``."""

    def pause(self, seconds: float) -> None:
        """Stop every worker from acquiring for ``seconds`` (a 429's ``Retry-After``)."""
        until = self._clock() + max(0.0, seconds)
        if until > self._paused_until:
            self._paused_until = until
            self.pauses += 1

    async def acquire(self, tokens: int) -> None:
        """Wait until one request and ``tokens`` estimated tokens may be sent, and take them.

        Workers are served in turn (the lock), so a large request is not starved by small
        ones."""
        async with self._lock:
            while True:
                now = self._clock()
                wait = self._paused_until - now
                for bucket, amount in ((self._requests, 1.0), (self._tokens, float(tokens))):
                    if bucket is not None:
                        bucket.refill(now)
                        wait = max(wait, bucket.wait_for(amount))
                if wait <= 0:
                    break
                await self._sleep(wait)
            if self._requests is not None:
                self._requests.level -= 1.0
            if self._tokens is not None:
                self._tokens.level -= min(float(tokens), self._tokens.capacity)

    def settle(self, estimated: int, used: int) -> None:
        """Correct the token bucket once the real usage is known (may go negative: the next
        acquirers wait for the overrun to refill)."""
        if self._tokens is not None:
            self._tokens.refill(self._clock())
            self._tokens.level += min(float(estimated), self._tokens.capacity) - float(used)
