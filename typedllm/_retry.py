"""The transport retry policy as a value (pure): which failures are retried, how long to wait,
and when to give up.

Flows ask the policy; drivers never see it. The defaults retry connection errors, timeouts and
the statuses 408/409/429/5xx/529 up to 3 attempts in all, with jittered exponential backoff
(0.5 s, 1 s, 2 s ... capped at 8 s), honouring a server's ``Retry-After`` up to a minute; a
``Retry-After`` above the cap fails the call at once rather than sleeping for it.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from ._errors import ConfigurationError

__all__ = ["DEFAULT_RETRY_STATUSES", "RetryPolicy"]

DEFAULT_RETRY_STATUSES = frozenset({408, 409, 429, *range(500, 600)})
"""Statuses retried by default: timeouts, conflicts, rate limits and every server error
(5xx, Anthropic's 529 overloaded included)."""


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not math.isnan(value)


def _statuses(statuses: frozenset[int]) -> str:
    """A compact rendering: ``408, 409, 429, 5xx``."""
    shown = sorted(s for s in statuses if not 500 <= s < 600)
    fives = sum(1 for s in statuses if 500 <= s < 600)
    text = [str(s) for s in shown]
    if fives == 100:
        text.append("5xx")
    else:
        text += [str(s) for s in sorted(statuses) if 500 <= s < 600]
    return "{" + ", ".join(text) + "}"


@dataclass(frozen=True, slots=True, repr=False)
class RetryPolicy:
    """How transport failures are retried (re-asks on invalid answers are separate).

    Attributes:
        max_attempts: attempts in all, the first included (``1`` never retries).
        statuses: HTTP statuses that are retried (``x-should-retry`` from the server overrides).
        retry_connection_errors: whether connection failures and timeouts are retried.
        backoff_base: the first backoff delay in seconds; each retry doubles it.
        backoff_cap: the longest backoff delay.
        jitter: each delay is scaled by a random factor in ``[1 - jitter, 1]``.
        retry_after_cap: the longest ``Retry-After`` honoured; a server asking for more fails
            the call at once with its error.
        deadline: seconds a whole call may take, retries included (``None``: no bound beyond
            the per-request timeout). No retry is scheduled that would end past it.
    """

    max_attempts: int = 3
    statuses: frozenset[int] = field(default=DEFAULT_RETRY_STATUSES)
    retry_connection_errors: bool = True
    backoff_base: float = 0.5
    backoff_cap: float = 8.0
    jitter: float = 0.25
    retry_after_cap: float = 60.0
    deadline: float | None = None

    def __post_init__(self) -> None:
        if isinstance(self.max_attempts, bool) or not isinstance(self.max_attempts, int):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"max_attempts must be an int, got {self.max_attempts!r}")
        if self.max_attempts < 1:
            raise ConfigurationError("max_attempts must be at least 1")
        for name in ("backoff_base", "backoff_cap", "retry_after_cap", "jitter"):
            value = getattr(self, name)
            if not _number(value) or value < 0:
                raise ConfigurationError(f"{name} must be a non-negative number, got {value!r}")
        if self.jitter > 1.0:
            raise ConfigurationError(f"jitter must be between 0 and 1, got {self.jitter!r}")
        if self.deadline is not None and (not _number(self.deadline) or not self.deadline > 0):
            raise ConfigurationError(f"deadline must be a positive number, got {self.deadline!r}")
        object.__setattr__(self, "statuses", frozenset(self.statuses))

    def __repr__(self) -> str:
        return (
            f"RetryPolicy(max_attempts={self.max_attempts}, statuses={_statuses(self.statuses)}, "
            f"retry_connection_errors={self.retry_connection_errors}, "
            f"backoff_base={self.backoff_base}, backoff_cap={self.backoff_cap}, "
            f"jitter={self.jitter}, retry_after_cap={self.retry_after_cap}, "
            f"deadline={self.deadline})"
        )

    @property
    def max_retries(self) -> int:
        """Retries after the first attempt."""
        return self.max_attempts - 1

    def retries_status(self, status: int, headers: Mapping[str, str]) -> bool:
        """Whether an error status is worth retrying (``x-should-retry`` overrides the table)."""
        hint = headers.get("x-should-retry")
        if hint == "true":
            return True
        if hint == "false":
            return False
        return status in self.statuses

    def backoff(self, retry_index: int, rng: random.Random | None = None) -> float:
        """The jittered exponential delay before retry number ``retry_index`` (0-based)."""
        delay = min(self.backoff_base * (2**retry_index), self.backoff_cap)
        jitter = (rng or random).random()
        return float(delay * (1.0 - self.jitter * jitter))

    def delay(
        self,
        retry_index: int,
        *,
        kind: Literal["status", "connection"],
        retry_after: float | None = None,
        elapsed: float = 0.0,
        rng: random.Random | None = None,
    ) -> float | None:
        """Seconds to wait before retry ``retry_index``, or ``None`` when the call must fail
        now: no attempts left, connection retries off, a ``Retry-After`` above the cap, or a
        wait that would end past the deadline."""
        if retry_index + 1 >= self.max_attempts:
            return None
        if kind == "connection" and not self.retry_connection_errors:
            return None
        if retry_after is not None:
            if retry_after > self.retry_after_cap:
                return None
            wait = retry_after
        else:
            wait = self.backoff(retry_index, rng)
        if self.deadline is not None and elapsed + wait >= self.deadline:
            return None
        return wait
