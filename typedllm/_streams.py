"""Stream objects returned by ``Client.stream``/``astream``: they move bytes, nothing more.

All decoding and checking is in :class:`~typedllm._stream_session.StreamSession`; these classes
open the HTTP response (retrying connection failures and retryable statuses before the first
byte, like ``complete``), feed its chunks to the session and hand out what it produces. Leaving
the ``with`` block early, breaking out of the loop or cancelling the task closes the response.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncGenerator, AsyncIterator, Generator, Iterator
from typing import Any, Generic, TypeVar

import httpx

from ._errors import APIConnectionError, APITimeoutError
from ._messages import Completion
from ._retry import backoff_delay, should_retry_status
from ._stream_session import StreamSession
from ._transport import AsyncDriver, SyncDriver
from ._wire import WireResponse

__all__ = ["AsyncStream", "Stream"]

E = TypeVar("E")
T = TypeVar("T")


def _headers(response: httpx.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items()}


def _connection_error(session: StreamSession, exc: httpx.TransportError) -> APIConnectionError:
    cls = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    return cls(f"{type(exc).__name__}: {exc}", provider=session.config.provider)


class _Base(Generic[E, T]):
    def __init__(self, session: StreamSession) -> None:
        self._session = session
        self._completion: Completion[T] | None = None
        self._items: list[Any] = []

    @property
    def completion(self) -> Completion[T]:
        """The full record, once the stream has ended (after iterating or ``final()``)."""
        if self._completion is None:
            raise RuntimeError("the stream has not finished yet: iterate it or call final()")
        return self._completion


class Stream(_Base[E, T]):
    """A synchronous stream: iterate for deltas (``str``) or partial values (``Partial[T]``);
    ``final()`` returns the validated result; ``items()`` yields the validated items of a
    ``list[M]`` schema as each one completes."""

    def __init__(self, session: StreamSession, driver: SyncDriver) -> None:
        super().__init__(session)
        self._driver = driver
        self._pump = self._run()

    def _run(self) -> Generator[tuple[str, Any], None, None]:
        session = self._session
        request = session.request
        retries = session.config.max_retries
        for retry in range(retries + 1):
            try:
                with self._driver.open_stream(request) as response:
                    if response.status_code >= 400:
                        body = response.read()
                        wire = WireResponse(response.status_code, _headers(response), body)
                        error = session.error_for(wire)
                        if retry < retries and should_retry_status(wire.status, wire.headers):
                            time.sleep(backoff_delay(retry, error.retry_after))
                            continue
                        raise error
                    session.start(_headers(response))
                    for chunk in response.iter_bytes():
                        for update in session.feed(chunk):
                            yield ("update", update)
                        for item in session.new_items():
                            yield ("item", item)
                    for update in session.flush():
                        yield ("update", update)
                    for item in session.new_items():
                        yield ("item", item)
            except httpx.TransportError as exc:
                if retry < retries and session.state.raw_events == 0 and not session.state.texts:
                    time.sleep(backoff_delay(retry))
                    continue
                raise _connection_error(session, exc) from exc
            self._completion = session.finish()
            return

    def __iter__(self) -> Iterator[E]:
        for kind, value in self._pump:
            if kind == "update":
                yield value

    def items(self) -> Iterator[Any]:
        """Validated items of a ``list[M]`` answer, each as soon as it is complete."""
        for kind, value in self._pump:
            if kind == "item":
                yield value

    def final(self) -> T:
        """Read the rest of the stream and return the validated result."""
        for _ in self._pump:
            pass
        return self.completion.output

    def close(self) -> None:
        """Stop reading and close the HTTP response."""
        self._pump.close()

    def __enter__(self) -> Stream[E, T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncStream(_Base[E, T]):
    """The asynchronous twin of :class:`Stream` (``async for``, ``await final()``)."""

    def __init__(self, session: StreamSession, driver: AsyncDriver) -> None:
        super().__init__(session)
        self._driver = driver
        self._pump = self._run()

    async def _run(self) -> AsyncGenerator[tuple[str, Any], None]:
        session = self._session
        request = session.request
        retries = session.config.max_retries
        for retry in range(retries + 1):
            try:
                async with self._driver.open_stream(request) as response:
                    if response.status_code >= 400:
                        body = await response.aread()
                        wire = WireResponse(response.status_code, _headers(response), body)
                        error = session.error_for(wire)
                        if retry < retries and should_retry_status(wire.status, wire.headers):
                            await asyncio.sleep(backoff_delay(retry, error.retry_after))
                            continue
                        raise error
                    session.start(_headers(response))
                    async for chunk in response.aiter_bytes():
                        for update in session.feed(chunk):
                            yield ("update", update)
                        for item in session.new_items():
                            yield ("item", item)
                    for update in session.flush():
                        yield ("update", update)
                    for item in session.new_items():
                        yield ("item", item)
            except httpx.TransportError as exc:
                if retry < retries and not session.state.texts:
                    await asyncio.sleep(backoff_delay(retry))
                    continue
                raise _connection_error(session, exc) from exc
            self._completion = session.finish()
            return

    async def __aiter__(self) -> AsyncIterator[E]:
        async for kind, value in self._pump:
            if kind == "update":
                yield value

    async def items(self) -> AsyncIterator[Any]:
        """Validated items of a ``list[M]`` answer, each as soon as it is complete."""
        async for kind, value in self._pump:
            if kind == "item":
                yield value

    async def final(self) -> T:
        """Read the rest of the stream and return the validated result."""
        async for _ in self._pump:
            pass
        return self.completion.output

    async def aclose(self) -> None:
        """Stop reading and close the HTTP response."""
        await self._pump.aclose()

    async def __aenter__(self) -> AsyncStream[E, T]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
