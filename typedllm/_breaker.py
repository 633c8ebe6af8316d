"""Circuit breakers: stop calling a client that keeps failing, and probe it again later.

Theory of operation (one small state machine, one lock)::

    closed ──N consecutive failures (within `window`)──▶ open
    open ──`cooldown` elapsed, next call is the probe──▶ half-open
    half-open ──probe succeeds──▶ closed      half-open ──probe fails──▶ open (cooldown again)

* **closed**: calls go through. A failure is an error of one of the ``on`` types (default
  ``Fallback.TRANSIENT_ERRORS``: rate limits, server errors, connection failures); a success,
  or any other typed error (a 400 or an invalid answer means the provider *answered*), resets
  the count. With ``window`` set, failures older than ``window`` seconds are forgotten, so the
  circuit opens after N consecutive failures that all happened within ``window`` seconds.
* **open**: calls fail fast with :class:`~typedllm.CircuitOpenError` (nothing is sent), which
  says when a probe will be let through. A fallback moves on to its next client at once.
* **half-open**: after ``cooldown`` seconds, exactly one call (the probe) goes through; the
  others fail fast until it ends. Its success closes the circuit, its failure re-opens it.

A call that ends without a verdict (cancelled, interrupted, a stream closed before its first
event) changes nothing, except that a probe gives its turn to the next call. A stream closed
early after it delivered events counts as a success (the provider answered).

The state changes under a :class:`threading.Lock` that is never held across I/O or an ``await``,
so one breaker is safe to share between threads and between asyncio tasks. The clock is
injectable (``clock=``, default :func:`time.monotonic`) for tests.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Generator
from contextlib import contextmanager
from typing import Any, Literal

from ._completion import Completion
from ._errors import AllFailedError, CircuitOpenError, ConfigurationError, TypedLLMError
from ._fallback import TRANSIENT_ERRORS, ErrorTypes, error_types
from ._labels import label_of
from ._protocol import Call, ClientWrapper, Completer
from ._relay import (
    AsyncEvents,
    AsyncRelayStream,
    Events,
    Finish,
    RelayStream,
    aevents_of,
    events_of,
)
from ._streams import AsyncStream, Stream

__all__ = ["BreakerClient", "BreakerState", "CircuitBreaker"]

BreakerState = Literal["closed", "open", "half_open"]
"""A circuit breaker's state: ``"closed"`` (calls go through), ``"open"`` (calls fail fast with
:class:`~typedllm.CircuitOpenError`) or ``"half_open"`` (one probe call is let through)."""
_Verdict = Literal["success", "failure", "none"]


def _positive(name: str, value: object, *, allow_zero: bool = False) -> float:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    if not ok or not (value >= 0 if allow_zero else value > 0):  # type: ignore[operator]
        bound = "non-negative" if allow_zero else "positive"
        raise ConfigurationError(f"{name} must be a {bound} number of seconds, got {value!r}")
    return float(value)  # type: ignore[arg-type]


class _Call:
    """One admitted call: whether it is the half-open probe, and whether it delivered output."""

    __slots__ = ("answered", "probe")

    def __init__(self, probe: bool) -> None:
        self.probe = probe
        self.answered = False


class CircuitBreaker:
    """One circuit: open after ``failure_threshold`` consecutive failures, fail fast for
    ``cooldown`` seconds, then let one probe call decide.

    >>> breaker = tl.CircuitBreaker(failure_threshold=3, cooldown=30)   # doctest: +SKIP
    >>> llm = breaker.wrap(client)          # the same typed surface as ``client``

    Wrap one client per breaker: every client wrapped by the same breaker shares its circuit
    (useful when several models sit behind one endpoint). A pickled breaker keeps its settings
    and starts closed in the receiving process (clock readings do not travel).

    Args:
        failure_threshold: consecutive failures that open the circuit.
        window: if set, only failures within the last ``window`` seconds count.
        cooldown: seconds the circuit stays open before a probe call is let through.
        on: the error types that count as failures (default ``Fallback.TRANSIENT_ERRORS``).
        clock: a monotonic clock in seconds (inject a fake one in tests).
    """

    def __init__(
        self,
        failure_threshold: int = 5,
        *,
        window: float | None = None,
        cooldown: float = 30.0,
        on: ErrorTypes = TRANSIENT_ERRORS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if (
            isinstance(failure_threshold, bool)
            or not isinstance(failure_threshold, int)  # pyright: ignore[reportUnnecessaryIsInstance]
            or failure_threshold < 1
        ):
            raise ConfigurationError(
                f"failure_threshold must be a positive int, got {failure_threshold!r}"
            )
        self.failure_threshold = failure_threshold
        self.window = None if window is None else _positive("window", window)
        self.cooldown = _positive("cooldown", cooldown, allow_zero=True)
        self.on = error_types(on)
        self.clock = clock
        self._reset_state()

    def _reset_state(self) -> None:
        self._lock = threading.Lock()
        self._failures: deque[float] = deque()  # times of the consecutive failures counted
        self._opened_at: float | None = None  # None: closed
        self._tripped = 0  # the failures that opened the circuit (for the error message)
        self._probing = False

    # -- pickling: settings only -------------------------------------------------------------

    def __getstate__(self) -> dict[str, Any]:
        return {
            "failure_threshold": self.failure_threshold,
            "window": self.window,
            "cooldown": self.cooldown,
            "on": self.on,
            "clock": self.clock,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._reset_state()

    # -- reading the state -------------------------------------------------------------------

    @property
    def state(self) -> BreakerState:
        """``"closed"``, ``"open"`` or ``"half_open"`` (cool-down over, or a probe in flight)."""
        with self._lock:
            if self._opened_at is None:
                return "closed"
            if self._probing or self.clock() >= self._opened_at + self.cooldown:
                return "half_open"
            return "open"

    @property
    def failures(self) -> int:
        """The consecutive failures counted so far while closed (within ``window``)."""
        with self._lock:
            self._forget_old(self.clock())
            return len(self._failures)

    def reset(self) -> None:
        """Close the circuit and forget every failure."""
        with self._lock:
            self._failures.clear()
            self._opened_at = None
            self._probing = False

    def wrap(self, client: Completer) -> BreakerClient:
        """``client`` guarded by this breaker: the same typed surface, failing fast with
        :class:`~typedllm.CircuitOpenError` while the circuit is open."""
        return BreakerClient(client, self)

    def __repr__(self) -> str:
        return (
            f"CircuitBreaker(failure_threshold={self.failure_threshold}, window={self.window}, "
            f"cooldown={self.cooldown}, state={self.state!r})"
        )

    # -- the state machine -------------------------------------------------------------------

    def _forget_old(self, now: float) -> None:
        if self.window is not None:
            while self._failures and now - self._failures[0] > self.window:
                self._failures.popleft()

    def _admit(self, label: str) -> _Call:
        """Let a call through, or raise :class:`CircuitOpenError`."""
        with self._lock:
            if self._opened_at is None:
                return _Call(probe=False)
            wait = self._opened_at + self.cooldown - self.clock()
            if wait > 0:
                raise CircuitOpenError(label, wait, self._tripped)
            if self._probing:
                raise CircuitOpenError(label, 0.0, self._tripped)
            self._probing = True
            return _Call(probe=True)

    def _verdict(self, error: BaseException | None, call: _Call) -> _Verdict:
        if error is None:
            return "success"
        if isinstance(error, (CircuitOpenError, AllFailedError)):
            return "none"  # about other circuits, not this one
        if isinstance(error, self.on):
            return "failure"
        if isinstance(error, TypedLLMError):
            return "success"  # the provider answered; the answer was wrong or refused
        # Cancelled, interrupted, or a stream closed early: only output delivered tells.
        return "success" if call.answered else "none"

    def _settle(self, call: _Call, verdict: _Verdict) -> None:
        with self._lock:
            if call.probe:
                self._probing = False
            if verdict == "none":
                return
            if verdict == "success":
                # A late success from a call admitted before the circuit opened does not
                # close it: only the probe decides.
                if call.probe or self._opened_at is None:
                    self._opened_at = None
                    self._failures.clear()
                return
            now = self.clock()
            if call.probe:
                self._opened_at = now  # the probe failed: another full cool-down
                return
            if self._opened_at is not None:
                return  # already open
            self._failures.append(now)
            self._forget_old(now)
            if len(self._failures) >= self.failure_threshold:
                self._opened_at = now
                self._tripped = len(self._failures)
                self._failures.clear()

    @contextmanager
    def _guard(self, label: str) -> Generator[_Call, None, None]:
        """Admit a call, run the body, settle with its outcome. The body never runs under the
        lock, so it may do I/O and ``await``."""
        call = self._admit(label)
        try:
            yield call
        except BaseException as error:
            self._settle(call, self._verdict(error, call))
            raise
        self._settle(call, "success")


class BreakerClient(ClientWrapper):
    """A client guarded by a :class:`CircuitBreaker` (make one with
    :meth:`CircuitBreaker.wrap`). Streams are admitted when they are first read, and their
    outcome is known when they end.

    Attributes:
        inner: the guarded client.
        breaker: its breaker.
    """

    __slots__ = ("_label", "breaker")

    def __init__(self, inner: Completer, breaker: CircuitBreaker) -> None:
        super().__init__(inner)
        if not isinstance(inner, Completer):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise ConfigurationError(f"CircuitBreaker.wrap() takes a client, got {inner!r}")
        self.breaker = breaker
        self._label = label_of(inner)

    def __repr__(self) -> str:
        return f"BreakerClient({self.inner!r}, breaker={self.breaker!r})"

    def _completion(self, call: Call) -> Completion[Any]:
        with self.breaker._guard(self._label):  # pyright: ignore[reportPrivateUsage]
            return super()._completion(call)

    async def _acompletion(self, call: Call) -> Completion[Any]:
        with self.breaker._guard(self._label):  # pyright: ignore[reportPrivateUsage]
            return await super()._acompletion(call)

    def _stream(self, call: Call) -> Stream[Any, Any]:
        def relay(finish: Finish) -> Events:
            with self.breaker._guard(self._label) as admitted:  # pyright: ignore[reportPrivateUsage]
                stream = self.inner._stream(call)  # pyright: ignore[reportPrivateUsage]
                try:
                    for event in events_of(stream):
                        admitted.answered = True
                        yield event
                finally:
                    stream.close()
            finish(stream.completion)

        return RelayStream(relay)

    def _astream(self, call: Call) -> AsyncStream[Any, Any]:
        async def relay(finish: Finish) -> AsyncEvents:
            with self.breaker._guard(self._label) as admitted:  # pyright: ignore[reportPrivateUsage]
                stream = self.inner._astream(call)  # pyright: ignore[reportPrivateUsage]
                try:
                    async for event in aevents_of(stream):
                        admitted.answered = True
                        yield event
                finally:
                    await stream.aclose()
            finish(stream.completion)

        return AsyncRelayStream(relay)
