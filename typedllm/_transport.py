"""httpx drivers: the only code that performs HTTP.

A driver runs a flow (see :mod:`typedllm._flow`): it sends each yielded ``WireRequest`` and feeds
back a ``WireResponse`` (or a ``TransportFailure``), and sleeps on ``Sleep``. The sync and async
drivers differ only in how they wait and send.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import weakref
from typing import Any

import httpx

from ._config import ClientConfig
from ._flow import Flow, Reply
from ._wire import Sleep, TransportFailure, WireRequest, WireResponse

__all__ = ["AsyncDriver", "SyncDriver"]


def _to_httpx(request: WireRequest) -> tuple[str, str, dict[str, str], bytes]:
    return request.method, request.url, dict(request.headers), request.body


def _from_httpx(response: httpx.Response) -> WireResponse:
    headers = {k.lower(): v for k, v in response.headers.items()}
    return WireResponse(response.status_code, headers, response.content)


def _failure(exc: httpx.TransportError) -> TransportFailure:
    kind: Any = "timeout" if isinstance(exc, httpx.TimeoutException) else "connect"
    return TransportFailure(kind, f"{type(exc).__name__}: {exc}")


class SyncDriver:
    """Runs flows with a (lazily created or user-supplied) ``httpx.Client``."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config
        self._client: httpx.Client | None = config.http_client
        self._owns_client = config.http_client is None

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                transport=self._config.transport, timeout=self._config.timeout
            )
        return self._client

    def send(self, request: WireRequest) -> WireResponse | TransportFailure:
        """Perform one request."""
        method, url, headers, body = _to_httpx(request)
        try:
            response = self._http().request(method, url, headers=headers, content=body)
        except httpx.TransportError as exc:
            return _failure(exc)
        return _from_httpx(response)

    def run(self, flow: Flow) -> Any:
        """Drive ``flow`` to completion and return its result."""
        reply: Reply = None
        try:
            while True:
                effect = flow.send(reply)
                if isinstance(effect, Sleep):
                    time.sleep(effect.seconds)
                    reply = None
                else:
                    reply = self.send(effect)
        except StopIteration as stop:
            return stop.value
        finally:
            flow.close()

    def open_stream(
        self, request: WireRequest
    ) -> contextlib.AbstractContextManager[httpx.Response]:
        """Open a streaming response (closed when the context exits)."""
        method, url, headers, body = _to_httpx(request)
        return self._http().stream(method, url, headers=headers, content=body)

    def close(self) -> None:
        """Close the HTTP client if this driver created it."""
        if self._client is not None and self._owns_client:
            self._client.close()
            self._client = None


class AsyncDriver:
    """Runs flows with an ``httpx.AsyncClient``: one per event loop, created lazily (a client's
    connections belong to the loop that opened them)."""

    def __init__(self, config: ClientConfig) -> None:
        self._config = config
        self._clients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, httpx.AsyncClient] = (
            weakref.WeakKeyDictionary()
        )

    def _http(self) -> httpx.AsyncClient:
        if self._config.async_http_client is not None:
            client: httpx.AsyncClient = self._config.async_http_client
            return client
        loop = asyncio.get_running_loop()
        client_for_loop = self._clients.get(loop)
        if client_for_loop is None:
            client_for_loop = httpx.AsyncClient(
                transport=self._config.transport, timeout=self._config.timeout
            )
            self._clients[loop] = client_for_loop
        return client_for_loop

    async def send(self, request: WireRequest) -> WireResponse | TransportFailure:
        """Perform one request."""
        method, url, headers, body = _to_httpx(request)
        try:
            response = await self._http().request(method, url, headers=headers, content=body)
        except httpx.TransportError as exc:
            return _failure(exc)
        return _from_httpx(response)

    async def run(self, flow: Flow) -> Any:
        """Drive ``flow`` to completion and return its result."""
        reply: Reply = None
        try:
            while True:
                effect = flow.send(reply)
                if isinstance(effect, Sleep):
                    await asyncio.sleep(effect.seconds)
                    reply = None
                else:
                    reply = await self.send(effect)
        except StopIteration as stop:
            return stop.value
        finally:
            flow.close()

    def open_stream(
        self, request: WireRequest
    ) -> contextlib.AbstractAsyncContextManager[httpx.Response]:
        """Open a streaming response (closed when the context exits)."""
        method, url, headers, body = _to_httpx(request)
        return self._http().stream(method, url, headers=headers, content=body)

    async def aclose(self) -> None:
        """Close the HTTP client this driver created for the running loop."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover - aclose is always awaited in a loop
            return
        client = self._clients.pop(loop, None)
        if client is not None:
            await client.aclose()
