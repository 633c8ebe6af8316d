"""Plumbing shared by the wrappers that choose or guard clients (fallback, circuit breaker,
router): streams that relay another client's stream (the label of a client is in
:mod:`typedllm._labels`).

A :class:`RelayStream` is an ordinary :class:`~typedllm.Stream` whose events come from a
generator the wrapper writes instead of from a flow: that generator pulls the ``(kind, value)``
events of the inner stream, so the wrapper sees the first event (where a fallback commits to a
client), the end and any error (a breaker's verdict), while the caller reads the stream exactly
as it reads a client's. :class:`AsyncRelayStream` is the asynchronous twin.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Callable, Generator
from typing import Any

from ._completion import Completion
from ._streams import AsyncStream, Stream

__all__ = [
    "AsyncEvents",
    "AsyncRelayStream",
    "Events",
    "Finish",
    "RelayStream",
    "aevents_of",
    "events_of",
]

Events = Generator[tuple[str, Any], None, None]
AsyncEvents = AsyncGenerator[tuple[str, Any], None]
Finish = Callable[[Completion[Any]], None]
"""Hands the relay stream its final completion (the relay cannot return it: async generators
return nothing)."""


def events_of(stream: Stream[Any, Any]) -> Events:
    """The raw ``(kind, value)`` events of a stream (updates and items, in order)."""
    return stream._pump  # pyright: ignore[reportPrivateUsage]


def aevents_of(stream: AsyncStream[Any, Any]) -> AsyncEvents:
    """The raw ``(kind, value)`` events of an async stream."""
    return stream._pump  # pyright: ignore[reportPrivateUsage]


class RelayStream(Stream[Any, Any]):
    """A stream whose events come from ``relay(finish)``; the relay calls ``finish`` with the
    completion before it ends."""

    def __init__(self, relay: Callable[[Finish], Events]) -> None:
        # Only the base state (completion, closed): there is no flow or driver of our own.
        super(Stream, self).__init__()
        self._pump = relay(self._finish)

    def _finish(self, completion: Completion[Any]) -> None:
        self._completion = completion


class AsyncRelayStream(AsyncStream[Any, Any]):
    """The asynchronous twin of :class:`RelayStream`."""

    def __init__(self, relay: Callable[[Finish], AsyncEvents]) -> None:
        super(AsyncStream, self).__init__()
        self._pump = relay(self._finish)

    def _finish(self, completion: Completion[Any]) -> None:
        self._completion = completion
