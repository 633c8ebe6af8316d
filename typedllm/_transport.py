"""httpx drivers: the only code that performs HTTP.

A driver runs a flow (see :mod:`typedllm._flow` and :mod:`typedllm._stream_flow`): it performs
each effect the flow yields and sends the result back. The effects are few and small
(:mod:`typedllm._wire`): send a request, open a streamed response, read a chunk or the rest of
the body, close the response, hand a value to the caller; any other effect performs itself
(``run()``/``arun()``: sleeping, fetching a token). The sync and async drivers differ only in
how they wait; another HTTP library needs only another pair of these classes.
"""

from __future__ import annotations

import contextlib
import time
import weakref
from collections.abc import AsyncIterator, Awaitable, Generator, Iterator
from typing import TYPE_CHECKING, Any

import httpx

from ._config import ClientConfig
from ._effect_loop import AsyncEffectLoop
from ._wire import (
    END,
    CloseStream,
    CustomEffect,
    Emit,
    OpenStream,
    ReadBody,
    ReadChunk,
    ResponseHead,
    Send,
    TransportFailure,
    WireRequest,
    WireResponse,
    make_response,
)

if TYPE_CHECKING:
    import asyncio

__all__ = ["AsyncDriver", "SyncDriver"]


def _headers(response: httpx.Response) -> dict[str, str]:
    return {k.lower(): v for k, v in response.headers.items()}


def _failure(exc: httpx.RequestError) -> TransportFailure:
    kind: Any = (
        "timeout"
        if isinstance(exc, httpx.TimeoutException)
        else "decode"
        if isinstance(exc, httpx.DecodingError)
        else "connect"
    )
    return TransportFailure(kind, f"{type(exc).__name__}: {exc}")


def _past_deadline(received: int) -> TransportFailure:
    return TransportFailure(
        "deadline", f"the body was still arriving when the deadline passed ({received} bytes)"
    )


def _cap_read(response: httpx.Response, seconds: float) -> None:
    """Lower the read timeout of the rest of ``response`` to ``seconds``.

    httpcore looks the timeouts up in the request's extensions at every read, so shrinking
    the shared dict bounds a stalled read by what is left of the deadline (best effort: a
    transport that does not read the dict is still bounded between chunks)."""
    timeouts = response.request.extensions.get("timeout")
    if isinstance(timeouts, dict):
        read: Any = timeouts.get("read")  # pyright: ignore[reportUnknownMemberType,reportUnknownVariableType]
        timeouts["read"] = seconds if read is None else min(float(read), seconds)  # pyright: ignore[reportUnknownArgumentType]


def _build(
    client: httpx.Client | httpx.AsyncClient, request: WireRequest, timeout: float | None
) -> httpx.Request:
    return client.build_request(
        request.method,
        request.url,
        headers=dict(request.headers),
        content=request.body,
        timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
    )


def _unknown(effect: object) -> TypeError:
    return TypeError(f"a flow yielded {effect!r}, which is not an effect this driver knows")


class _Open:
    """The response a flow has open (at most one at a time)."""

    __slots__ = ("chunks", "response")

    def __init__(self, response: Any, chunks: Any) -> None:
        self.response = response
        self.chunks = chunks


class SyncDriver:
    """Runs flows with a (lazily created or user-supplied) ``httpx.Client``.

    It knows nothing of the call's configuration beyond how to make its HTTP client: the
    timeout of each request comes with the effect that sends it."""

    def __init__(
        self,
        *,
        client: httpx.Client | None = None,
        transport: Any = None,
        timeout: float = 60.0,
    ) -> None:
        self._client = client
        self._owns_client = client is None
        self._transport = transport
        self._timeout = timeout

    @classmethod
    def for_config(cls, config: ClientConfig) -> SyncDriver:
        """The driver for a client's HTTP settings (its own httpx client or transport)."""
        return cls(client=config.http_client, transport=config.transport, timeout=config.timeout)

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(transport=self._transport, timeout=self._timeout)
        return self._client

    def _build(self, request: WireRequest, timeout: float | None) -> httpx.Request:
        return _build(self._http(), request, timeout)

    def send(
        self, request: WireRequest, timeout: float | None = None, budget: float | None = None
    ) -> WireResponse | TransportFailure:
        """Perform one request (the whole exchange within ``budget`` seconds, if given)."""
        end = None if budget is None else time.monotonic() + budget
        try:
            response = self._http().send(self._build(request, timeout), stream=True)
            try:
                # Read into one growing buffer: each network chunk is freed as soon as it is
                # copied, so a huge body costs about its size (httpx's read() holds every
                # chunk and their join at once), and the deadline is checked between chunks.
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if end is not None:
                        left = end - time.monotonic()
                        if left <= 0:
                            return _past_deadline(len(body))
                        _cap_read(response, left)
            finally:
                response.close()
        except httpx.RequestError as exc:
            return _failure(exc)
        return WireResponse(response.status_code, _headers(response), bytes(body))

    def _perform(self, effect: Any, state: list[_Open]) -> Any:
        """Perform one effect other than :class:`Emit`; ``state`` holds the open response."""
        if isinstance(effect, Send):
            return self.send(effect.request, effect.timeout, effect.budget)
        if isinstance(effect, OpenStream):
            self._close(state)
            try:
                response = self._http().send(
                    self._build(effect.request, effect.timeout), stream=True
                )
            except httpx.RequestError as exc:
                return _failure(exc)
            state.append(_Open(response, response.iter_bytes()))
            return ResponseHead(response.status_code, _headers(response))
        if isinstance(effect, ReadChunk):
            chunks: Iterator[bytes] = state[-1].chunks
            if effect.budget is not None:
                _cap_read(state[-1].response, max(effect.budget, 0.001))
            try:
                return next(chunks, END)
            except httpx.RequestError as exc:
                return _failure(exc)
        if isinstance(effect, ReadBody):
            try:
                return b"".join(state[-1].chunks)
            except httpx.RequestError as exc:
                return _failure(exc)
        if isinstance(effect, CloseStream):
            self._close(state)
            return None
        if isinstance(effect, CustomEffect):
            return effect.run()
        raise _unknown(effect)

    @staticmethod
    def _close(state: list[_Open]) -> None:
        while state:
            state.pop().response.close()

    def run(self, flow: Generator[Any, Any, Any]) -> Any:
        """Drive a flow to completion (dropping anything it hands out); return its result."""
        events = self.drive(flow)
        while True:
            try:
                next(events)
            except StopIteration as stop:
                return stop.value

    def drive(self, flow: Generator[Any, Any, Any]) -> Generator[Any, None, Any]:
        """Drive a flow, yielding what it hands to the caller (:class:`Emit`); return its
        result. Closing this generator closes the open response and the flow."""
        state: list[_Open] = []
        reply: Any = None
        try:
            while True:
                try:
                    effect = flow.send(reply)
                except StopIteration as stop:
                    return stop.value
                if isinstance(effect, Emit):
                    reply = None
                    yield effect.value
                else:
                    reply = self._perform(effect, state)
        finally:
            self._close(state)
            flow.close()

    def close(self) -> None:
        """Close the HTTP client if this driver created it."""
        if self._client is not None and self._owns_client:
            self._client.close()
            self._client = None


class AsyncDriver(AsyncEffectLoop[_Open]):
    """Runs flows with an ``httpx.AsyncClient``: one per event loop, created lazily (a client's
    connections belong to the loop that opened them)."""

    def __init__(
        self,
        *,
        client: httpx.AsyncClient | None = None,
        transport: Any = None,
        timeout: float = 60.0,
    ) -> None:
        self._client = client
        self._transport = transport
        self._timeout = timeout
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
            weakref.WeakKeyDictionary()
        )

    @classmethod
    def for_config(cls, config: ClientConfig) -> AsyncDriver:
        """The driver for a client's HTTP settings (its own httpx client or transport)."""
        return cls(
            client=config.async_http_client, transport=config.transport, timeout=config.timeout
        )

    def _http(self) -> httpx.AsyncClient:
        if self._client is not None:
            return self._client
        import asyncio

        loop = asyncio.get_running_loop()
        client_for_loop = self._clients.get(loop)
        if client_for_loop is None:
            client_for_loop = httpx.AsyncClient(transport=self._transport, timeout=self._timeout)
            self._clients[loop] = client_for_loop
        return client_for_loop

    def _build(self, request: WireRequest, timeout: float | None) -> httpx.Request:
        return _build(self._http(), request, timeout)

    async def send(
        self, request: WireRequest, timeout: float | None = None, budget: float | None = None
    ) -> WireResponse | TransportFailure:
        """Perform one request (the whole exchange within ``budget`` seconds, if given)."""
        import asyncio

        try:
            if budget is None:
                response = await self._http().send(self._build(request, timeout))
            else:
                response = await asyncio.wait_for(
                    self._http().send(self._build(request, timeout)), max(budget, 0.001)
                )
        except httpx.RequestError as exc:
            return _failure(exc)
        except asyncio.TimeoutError:
            return _past_deadline(0)
        return make_response(response.status_code, _headers(response), response.content)

    def _perform(self, effect: Any, state: list[_Open]) -> Awaitable[Any]:
        if isinstance(effect, Send):  # the exchange itself: no coroutine around it
            return self.send(effect.request, effect.timeout, effect.budget)
        return self._perform_other(effect, state)

    async def _perform_other(self, effect: Any, state: list[_Open]) -> Any:
        if isinstance(effect, OpenStream):
            await self._close(state)
            try:
                request = self._build(effect.request, effect.timeout)
                response = await self._http().send(request, stream=True)
            except httpx.RequestError as exc:
                return _failure(exc)
            state.append(_Open(response, response.aiter_bytes()))
            return ResponseHead(response.status_code, _headers(response))
        if isinstance(effect, ReadChunk):
            import asyncio

            chunks: AsyncIterator[bytes] = state[-1].chunks
            try:
                if effect.budget is None:
                    return await chunks.__anext__()
                return await asyncio.wait_for(chunks.__anext__(), max(effect.budget, 0.001))
            except StopAsyncIteration:
                return END
            except httpx.RequestError as exc:
                return _failure(exc)
            except asyncio.TimeoutError:
                return _past_deadline(0)
        if isinstance(effect, ReadBody):
            try:
                return b"".join([chunk async for chunk in state[-1].chunks])
            except httpx.RequestError as exc:
                return _failure(exc)
        if isinstance(effect, CloseStream):
            await self._close(state)
            return None
        if isinstance(effect, CustomEffect):
            return await effect.arun()
        raise _unknown(effect)

    @staticmethod
    async def _close(state: list[_Open]) -> None:
        while state:
            await state.pop().response.aclose()

    async def _release(self, state: list[_Open]) -> None:
        await _close_quietly(state)

    async def aclose(self) -> None:
        """Close the HTTP client this driver created for the running loop."""
        import asyncio

        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover - aclose is always awaited in a loop
            return
        client = self._clients.pop(loop, None)
        if client is not None:
            await client.aclose()


async def _close_quietly(state: list[_Open]) -> None:
    """Close the open response even while the task is being cancelled."""
    while state:
        response = state.pop().response
        with contextlib.suppress(Exception):
            await response.aclose()
