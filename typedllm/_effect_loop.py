"""The effect loop every asynchronous driver shares (httpx's and aiohttp's): send the flow each
result, perform each effect, hand :class:`~typedllm._wire.Emit` values to the caller, and
close the open response however the flow ends. A driver supplies only how to perform one
effect and how to release what a flow left open."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncGenerator, Awaitable, Generator
from typing import Any, Generic, TypeVar

from ._wire import Emit

__all__ = ["AsyncEffectLoop"]

S = TypeVar("S")


class AsyncEffectLoop(ABC, Generic[S]):
    """``run``/``drive`` over a driver's ``_perform``; ``S`` is what it keeps open (the
    responses a flow has open)."""

    __slots__ = ()

    @abstractmethod
    def _perform(self, effect: Any, state: list[S]) -> Awaitable[Any]:
        """The awaitable result of one effect other than :class:`Emit`; ``state`` holds the
        open response. (An awaitable, not a coroutine of its own: a driver hands out the
        exchange's coroutine itself, one frame less on every resume of the call.)"""

    @abstractmethod
    async def _release(self, state: list[S]) -> None:
        """Close whatever ``state`` still holds, even while the task is being cancelled
        (called only when it holds something)."""

    async def run(self, flow: Generator[Any, Any, Any]) -> Any:
        """Drive a flow to completion (dropping anything it hands out); return its result."""
        # drive()'s loop without an async generator around it: the common, non-streamed call
        # pays for no generator machinery.
        state: list[S] = []
        reply: Any = None
        try:
            while True:
                try:
                    effect = flow.send(reply)
                except StopIteration as stop:
                    return stop.value
                if isinstance(effect, Emit):
                    reply = None
                    continue
                # The effect is dropped before the wait: only what the exchange needs stays
                # alive while the request is out (the collector walks it, per call in flight).
                pending, effect = self._perform(effect, state), None
                reply = await pending
        finally:
            if state:  # (a plain call has read its whole body: nothing is left open)
                await self._release(state)
            flow.close()

    async def drive(
        self, flow: Generator[Any, Any, Any], result: list[Any]
    ) -> AsyncGenerator[Any, None]:
        """Drive a flow, yielding what it hands to the caller; its result is appended to
        ``result``. Closing this generator (or cancelling the task) closes the response."""
        state: list[S] = []
        reply: Any = None
        try:
            while True:
                try:
                    effect = flow.send(reply)
                except StopIteration as stop:
                    result.append(stop.value)
                    return
                if isinstance(effect, Emit):
                    reply = None
                    yield effect.value
                else:
                    reply = await self._perform(effect, state)
        finally:
            await self._release(state)
            flow.close()
