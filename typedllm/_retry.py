"""Transport retry policy (pure): which answers are retried, and how long to wait."""

from __future__ import annotations

import random
from collections.abc import Mapping

__all__ = ["RETRYABLE_STATUSES", "backoff_delay", "should_retry_status"]

RETRYABLE_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504, 529})
"""Statuses retried automatically (timeouts, conflicts, rate limits, server errors)."""

_BASE_DELAY = 0.5
_MAX_DELAY = 8.0
_MAX_RETRY_AFTER = 60.0


def should_retry_status(status: int, headers: Mapping[str, str]) -> bool:
    """Whether an error status is worth retrying (``x-should-retry`` overrides the table)."""
    hint = headers.get("x-should-retry")
    if hint == "true":
        return True
    if hint == "false":
        return False
    return status in RETRYABLE_STATUSES or status >= 500


def backoff_delay(retry_index: int, retry_after: float | None = None) -> float:
    """Seconds to wait before retry number ``retry_index`` (0-based).

    A server's ``Retry-After`` wins when it is given (capped at 60 s); otherwise jittered
    exponential backoff: 0.5 s, 1 s, 2 s ... capped at 8 s, each scaled by a factor in
    [0.75, 1.0] so that many clients do not retry in lockstep.
    """
    if retry_after is not None:
        return min(retry_after, _MAX_RETRY_AFTER)
    delay = min(_BASE_DELAY * (2**retry_index), _MAX_DELAY)
    jitter: float = random.random()
    return float(delay * (1.0 - 0.25 * jitter))
