"""One timer for the read timeouts of every request in flight on an event loop.

A timeout per request costs an asyncio timer per request, and asyncio's timers are a heap of
Python objects ordered by a Python ``__lt__``: with 64 requests in flight, arming, moving and
cancelling the read timer of one request costs more CPU than the rest of its HTTP exchange
(measured with aiohttp's ``sock_read``: about 35k machine instructions per call, the share of
a request that the whole of typedllm's flow takes). The aiohttp driver bounds its plain
(non-streamed) exchanges here instead: each is a :class:`Watch` in a set, and one timer per
loop, armed only while something is watched, looks at them every ``tick`` seconds.

What a watch bounds, as httpx's read timeout does: no progress for ``seconds``. Until the
response head arrives (the request sent, the server thinking) that is the time since the
exchange began; while the body arrives, each tick that finds new bytes starts the wait again.
A watch that runs out cancels its task, and the exchange turns that cancellation into a
timeout failure (:meth:`Watch.timed_out`), the way ``asyncio.timeout`` tells its own
cancellation from anyone else's: a cancellation that does not come from the watchdog (the
caller's, an outer timeout's) is never swallowed.

The timer ticks at a whole second, the granularity aiohttp itself gives timeouts of five
seconds and more (it rounds their deadlines up to the next second); shorter timeouts keep a
timer of their own (:data:`WATCHED_FROM`). Needs ``Task.uncancel`` (Python 3.11).
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any, Protocol

__all__ = ["WATCHED_FROM", "Watch", "Watchdog"]

WATCHED_FROM = 5.0
"""Seconds: timeouts from this long on are watched here; shorter ones need a finer timer."""

TICK = 1.0
"""Seconds between two looks at the watches (a timeout fires up to this much late)."""

AVAILABLE = sys.version_info >= (3, 11)
"""Whether a task's cancellation can be told apart (``Task.uncancel``, Python 3.11)."""

if sys.version_info >= (3, 11):

    def _cancelling(task: asyncio.Task[Any]) -> int:
        return task.cancelling()

    def _uncancel(task: asyncio.Task[Any]) -> int:
        return task.uncancel()

else:  # pragma: no cover - nothing is watched before 3.11 (see Watchdog.watch)

    def _cancelling(task: asyncio.Task[Any]) -> int:
        return 0

    def _uncancel(task: asyncio.Task[Any]) -> int:
        return 0


class Body(Protocol):
    """What a watch reads of a body that is arriving: how much of it came so far."""

    @property
    def total_bytes(self) -> int: ...


class Watch:
    """One exchange under the watchdog (made by :meth:`Watchdog.watch`)."""

    __slots__ = ("body", "cancelling", "deadline", "expired", "received", "seconds", "task")

    def __init__(self, task: asyncio.Task[Any], seconds: float, now: float) -> None:
        self.task = task
        self.seconds = seconds
        self.deadline = now + seconds
        self.cancelling = _cancelling(task)
        self.expired = False
        self.body: Body | None = None
        self.received = 0

    def reading(self, body: Body) -> None:
        """The head arrived: from now on, bytes of ``body`` arriving count as progress."""
        self.body = body
        self.received = body.total_bytes

    def timed_out(self) -> bool:
        """In an ``except CancelledError``: whether the cancellation is this watch's own (its
        time ran out, and nobody else cancelled the task meanwhile); the task is then no
        longer cancelled, and the exchange reports a timeout instead."""
        return self.expired and _uncancel(self.task) <= self.cancelling


class Watchdog:
    """The watches of one event loop, and the one timer that looks at them."""

    __slots__ = ("_handle", "_loop", "_tick", "_watches")

    def __init__(self, loop: asyncio.AbstractEventLoop, tick: float | None = None) -> None:
        self._loop = loop
        self._tick = TICK if tick is None else tick
        self._watches: set[Watch] = set()
        self._handle: asyncio.TimerHandle | None = None

    def watch(self, seconds: float) -> Watch | None:
        """Watch the running task's exchange for ``seconds`` without progress; ``None`` when
        it cannot be (no running task, or a Python without ``Task.uncancel``)."""
        task = asyncio.current_task(self._loop) if AVAILABLE else None
        if task is None:
            return None
        watch = Watch(task, seconds, self._loop.time())
        self._watches.add(watch)
        if self._handle is None:
            self._handle = self._loop.call_later(self._tick, self._look)
        return watch

    def done(self, watch: Watch) -> None:
        """The exchange of ``watch`` ended (however it ended)."""
        self._watches.discard(watch)

    def __len__(self) -> int:
        return len(self._watches)

    def _look(self) -> None:
        self._handle = None
        now = self._loop.time()
        for watch in self._watches:
            body = watch.body
            if body is not None and body.total_bytes != watch.received:
                watch.received = body.total_bytes
                watch.deadline = now + watch.seconds  # progress: the wait starts again
            elif now >= watch.deadline and not watch.expired:
                watch.expired = True
                watch.task.cancel()
        if self._watches:
            self._handle = self._loop.call_later(self._tick, self._look)
