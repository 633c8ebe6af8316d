"""Stream objects returned by ``stream``/``astream``: thin adapters over one
:func:`~typedllm._stream_flow.stream_flow` run by a driver.

They hand out what the flow emits (updates to ``for``, validated list items to ``items()``,
updates and tool events to ``events()``) and keep the final :class:`~typedllm.Completion`.
Leaving the ``with`` block early, breaking out of the loop and ``close()`` close the HTTP
response; after that, ``final()`` raises :class:`~typedllm.StreamClosedError`.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, TypeVar, get_origin

from typing_extensions import Self

from ._completion import Completion
from ._effect_loop import AsyncEffectLoop
from ._errors import ConfigurationError, StreamClosedError
from ._transport import SyncDriver

if TYPE_CHECKING:
    from .tools._stream_events import ToolEvent

__all__ = ["AsyncStream", "Stream"]

E = TypeVar("E")
T = TypeVar("T")
I = TypeVar("I")  # noqa: E741  # the item type of a list[I] schema


class _Base(Generic[E, T]):
    def __init__(self) -> None:
        self._completion: Completion[T] | None = None
        self._closed = False
        self._schema: Any = None
        self._schema_known = False

    def _with_schema(self, schema: Any) -> Self:
        """Record the call's schema, so ``items()`` on a non-list schema fails clearly."""
        self._schema, self._schema_known = schema, True
        return self

    def _check_items(self) -> None:
        # Statically items() needs a Stream[..., list[I]]; this is the run-time mirror.
        if self._schema_known and get_origin(self._schema) is not list:
            raise ConfigurationError(
                "items() needs a list[...] schema (it yields each list item as it completes); "
                f"this stream was started with schema={self._schema!r}: iterate the stream "
                "or call final() instead"
            )

    @property
    def completion(self) -> Completion[T]:
        """The full record, once the stream has ended (after iterating or ``final()``)."""
        if self._completion is None:
            if self._closed:
                raise StreamClosedError("the stream was closed before it finished")
            raise StreamClosedError(
                "the stream has not finished yet: iterate it or call final() first"
            )
        return self._completion

    def _check_open(self) -> None:
        if self._closed and self._completion is None:
            raise StreamClosedError(
                "the stream was closed before it finished (the with block was left or "
                "close() was called): there is no final result"
            )


class Stream(_Base[E, T]):
    """A synchronous stream: iterate for deltas (``str``) or partial values (``Partial[T]``);
    ``final()`` returns the validated result; ``items()`` yields the validated items of a
    ``list[M]`` schema as each one completes; ``events()`` yields the deltas and, on a stream
    started with ``tools=``, the tool loop's events (:data:`~typedllm.ToolEvent`)."""

    def __init__(self, flow: Generator[Any, Any, Any], driver: SyncDriver) -> None:
        super().__init__()
        self._pump = self._run(driver.drive(flow))

    def _run(self, events: Generator[Any, None, Any]) -> Generator[tuple[str, Any], None, None]:
        completion = yield from events
        self._completion = completion

    def __iter__(self) -> Iterator[E]:
        self._check_open()
        for kind, value in self._pump:
            if kind == "update":
                yield value

    def events(self) -> Iterator[E | ToolEvent]:
        """What iterating yields (text deltas or ``Partial[T]`` snapshots) and, on a stream
        started with ``tools=``, the tool loop's events in order
        (:class:`~typedllm.ToolCallStarted`, :class:`~typedllm.ToolCallDelta`,
        :class:`~typedllm.ToolCallDone`, :class:`~typedllm.ToolResultEvent`,
        :class:`~typedllm.StepFinished`)."""
        self._check_open()
        for kind, value in self._pump:
            if kind in ("update", "event"):
                yield value

    def items(self: Stream[Any, list[I]]) -> Iterator[I]:
        """Validated items of a ``list[M]`` answer, each as soon as it is complete (only on a
        stream started with ``schema=list[M]``: elsewhere a type error and a
        :class:`~typedllm.ConfigurationError`)."""
        self._check_items()
        self._check_open()
        for kind, value in self._pump:
            if kind == "item":
                yield value

    def final(self) -> T:
        """Read the rest of the stream and return the validated result."""
        self._check_open()
        for _ in self._pump:
            pass
        return self.completion.output

    def close(self) -> None:
        """Stop reading and close the HTTP response."""
        self._closed = True
        self._pump.close()

    def __enter__(self) -> Stream[E, T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncStream(_Base[E, T]):
    """The asynchronous twin of :class:`Stream` (``async for``, ``await final()``)."""

    def __init__(self, flow: Generator[Any, Any, Any], driver: AsyncEffectLoop[Any]) -> None:
        super().__init__()
        self._result: list[Any] = []
        self._pump = self._run(driver.drive(flow, self._result))

    async def _run(
        self, events: AsyncGenerator[Any, None]
    ) -> AsyncGenerator[tuple[str, Any], None]:
        try:
            async for event in events:
                yield event
        finally:
            await events.aclose()
        if self._result:
            self._completion = self._result[0]

    async def __aiter__(self) -> AsyncIterator[E]:
        self._check_open()
        async for kind, value in self._pump:
            if kind == "update":
                yield value

    async def events(self) -> AsyncIterator[E | ToolEvent]:
        """What ``async for`` yields and, with ``tools=``, the tool loop's events (see
        :meth:`Stream.events`)."""
        self._check_open()
        async for kind, value in self._pump:
            if kind in ("update", "event"):
                yield value

    async def items(self: AsyncStream[Any, list[I]]) -> AsyncIterator[I]:
        """Validated items of a ``list[M]`` answer, each as soon as it is complete (only on a
        stream started with ``schema=list[M]``)."""
        self._check_items()
        self._check_open()
        async for kind, value in self._pump:
            if kind == "item":
                yield value

    async def final(self) -> T:
        """Read the rest of the stream and return the validated result."""
        self._check_open()
        async for _ in self._pump:
            pass
        return self.completion.output

    async def aclose(self) -> None:
        """Stop reading and close the HTTP response."""
        self._closed = True
        await self._pump.aclose()

    async def __aenter__(self) -> AsyncStream[E, T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
