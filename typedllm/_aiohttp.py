"""The aiohttp driver: the asynchronous side of a client on ``aiohttp`` instead of httpx.

It performs the same effects as :class:`~typedllm._transport.AsyncDriver` (see
:mod:`typedllm._wire`) and reports the same :class:`~typedllm._wire.TransportFailure` kinds,
so every decision (retries, re-asks, the deadline, the typed errors) stays in the flows and a
call behaves the same on either driver; it is only cheaper per request (see
``docs/throughput.md``). aiohttp is an optional extra (``pip install 'typedllm[aiohttp]'``);
choose the driver with ``.async_driver("aiohttp")`` on a builder or
:func:`typedllm.with_async_driver` on a built client.

aiohttp is imported on first use only and never named in a type the checkers must resolve: the
few objects this module touches are described by the protocols below, so the package and its
type checks are the same with or without aiohttp installed.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import importlib.util
import sys
from collections.abc import AsyncGenerator, Awaitable, Iterable, Mapping
from types import ModuleType
from typing import Any, Literal, Protocol, TypeVar, cast

from ._config import ClientConfig
from ._effect_loop import AsyncEffectLoop
from ._errors import ConfigurationError
from ._watchdog import WATCHED_FROM, Body, Watchdog
from ._wire import (
    END,
    CloseStream,
    CustomEffect,
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

__all__ = [
    "AiohttpDriver",
    "AsyncDriverName",
    "aiohttp_available",
    "check_async_driver",
]

AsyncDriverName = Literal["httpx", "aiohttp"]
"""The HTTP libraries the asynchronous side of a client can run on."""


# -- the parts of aiohttp this driver uses ----------------------------------------------------


class _Content(Protocol):
    async def readany(self) -> bytes: ...


class _Response(Protocol):
    @property
    def status(self) -> int: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def content(self) -> _Content: ...
    async def read(self) -> bytes: ...
    def close(self) -> None: ...


class _Session(Protocol):
    @property
    def closed(self) -> bool: ...
    def request(self, method: str, url: str, **kwargs: Any) -> Awaitable[_Response]: ...
    async def close(self) -> None: ...


def aiohttp_available() -> bool:
    """Whether aiohttp can be imported here (without importing it)."""
    # find_spec answers from sys.modules when aiohttp is imported (None there: blocked).
    return sys.modules.get("aiohttp") is not None or importlib.util.find_spec("aiohttp") is not None


def _aiohttp() -> ModuleType:
    try:
        return importlib.import_module("aiohttp")
    except ImportError as exc:
        raise ConfigurationError(
            "the aiohttp async driver needs aiohttp: pip install 'typedllm[aiohttp]' "
            "(or build the client without .async_driver('aiohttp'))"
        ) from exc


class _HttpSettings(Protocol):
    """What a builder's settings and a ClientConfig both say of their httpx objects."""

    @property
    def transport(self) -> object: ...
    @property
    def async_http_client(self) -> object: ...


def check_async_driver(name: object, config: _HttpSettings | None = None) -> AsyncDriverName:
    """``name`` if it is a driver this process can run (with ``config``'s HTTP settings: a
    builder's or a :class:`~typedllm._config.ClientConfig`), else a
    :class:`~typedllm.ConfigurationError` saying why."""
    if name == "httpx":
        return "httpx"
    if name != "aiohttp":
        raise ConfigurationError(f"async_driver takes 'httpx' or 'aiohttp', got {name!r}")
    if not aiohttp_available():
        _aiohttp()  # raises the ConfigurationError that says how to install it
    if config is None:
        return "aiohttp"
    what = (
        ".transport()"
        if config.transport is not None
        else ".async_http_client()"
        if config.async_http_client is not None
        else None
    )
    if what is not None:
        raise ConfigurationError(
            f"the aiohttp async driver cannot use the httpx objects given with {what}: "
            "drop .async_driver('aiohttp') to keep them, or drop them to run on aiohttp "
            "(a loopback typedllm.testing.serve() replaces FakeProvider as a transport)"
        )
    return "aiohttp"


# -- failures ---------------------------------------------------------------------------------


class _Errors:
    """aiohttp's exception classes, looked up once."""

    def __init__(self, aiohttp: ModuleType) -> None:
        self.client: type[BaseException] = aiohttp.ClientError
        self.payload: type[BaseException] = aiohttp.ClientPayloadError
        encoding: Any = importlib.import_module("aiohttp.http_exceptions")
        self.encoding: type[BaseException] = encoding.ContentEncodingError
        # What a request can raise besides asyncio's TimeoutError: aiohttp's errors, and a
        # socket error that slipped past its wrapping (a reset while writing the body).
        self.caught: tuple[type[BaseException], ...] = (self.client, OSError)

    def failure(self, exc: BaseException) -> TransportFailure:
        # aiohttp's timeouts (ServerTimeoutError and its socket/connect subclasses) are
        # asyncio.TimeoutError; everything else that is not a bad body is a lost connection.
        kind: Literal["connect", "timeout", "decode"]
        if isinstance(exc, asyncio.TimeoutError):
            kind = "timeout"
        elif isinstance(exc, self.payload) and (
            isinstance(exc.__cause__, self.encoding) or "content-encoding" in str(exc)
        ):
            kind = "decode"
        else:
            kind = "connect"
        text = " ".join(str(exc).split())  # aiohttp's messages span lines
        return TransportFailure(kind, f"{type(exc).__name__}: {text}")


T = TypeVar("T")


async def _within(seconds: float, awaitable: Awaitable[T]) -> T:
    """``awaitable`` bounded by ``seconds`` (asyncio's bare TimeoutError when they pass).

    ``asyncio.timeout`` (3.11+) cancels the waiting task in place; ``wait_for`` runs the
    awaitable in a task of its own, which costs about as much as the request's own overhead
    on this driver (measured: ~10-50 us of CPU per call)."""
    if sys.version_info >= (3, 11):
        async with asyncio.timeout(max(seconds, 0.001)):
            return await awaitable
    return await asyncio.wait_for(awaitable, max(seconds, 0.001))  # pragma: no cover


def _no_progress(seconds: float) -> TransportFailure:
    return TransportFailure("timeout", f"no progress from the server for {seconds:g}s")


def _past_deadline(received: int) -> TransportFailure:
    return TransportFailure(
        "deadline", f"the body was still arriving when the deadline passed ({received} bytes)"
    )


def _headers(response: _Response) -> dict[str, str]:
    # Lower-cased like the httpx driver's, repeated headers joined as httpx joins them.
    headers: dict[str, str] = {}
    for name, value in response.headers.items():
        key = name.lower()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return headers


def _unknown(effect: object) -> TypeError:
    return TypeError(f"a flow yielded {effect!r}, which is not an effect this driver knows")


async def _keeper(session: _Session) -> AsyncGenerator[None, None]:
    """Closes ``session`` when its loop shuts down.

    An async generator the loop has seen is finalised by ``loop.shutdown_asyncgens()``, which
    ``asyncio.run`` (and every ``asyncio.Runner``) awaits before closing the loop, and by the
    loop's finaliser hook if it is dropped earlier: so a session whose client was never
    closed is still closed on its own loop, instead of warning "Unclosed client session" when
    it is garbage-collected and holding its loop alive."""
    try:
        yield
    finally:
        await session.close()


class _PerLoop:
    __slots__ = ("keeper", "loop", "session", "watchdog")

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        session: _Session,
        keeper: AsyncGenerator[None, None],
    ) -> None:
        self.loop = loop
        self.session = session
        self.keeper = keeper
        self.watchdog = Watchdog(loop)


class AiohttpDriver(AsyncEffectLoop["_Response"]):
    """Runs flows with an ``aiohttp.ClientSession``: one per event loop, created lazily (a
    session's connections belong to the loop that opened them). The same interface as
    :class:`~typedllm._transport.AsyncDriver`: ``run(flow)``, ``drive(flow, result)``,
    ``aclose()``."""

    def __init__(self, *, timeout: float = 60.0) -> None:
        self._aiohttp = _aiohttp()
        self._errors = _Errors(self._aiohttp)
        self._timeout = timeout
        self._timeouts: dict[tuple[float, bool], Any] = {}
        self._sessions: dict[asyncio.AbstractEventLoop, _PerLoop] = {}
        self._last: _PerLoop | None = None

    @classmethod
    def for_config(cls, config: ClientConfig) -> AiohttpDriver:
        """The driver for a client's HTTP settings (refused with httpx-only objects)."""
        check_async_driver("aiohttp", config)
        return cls(timeout=config.timeout)

    # -- the session of the running loop ------------------------------------------------------

    def _open_entry(self) -> _PerLoop | None:
        """The running loop's session (and watchdog) when it is the one used last and still
        open (every call after a loop's first), else ``None``: :meth:`_entry` finds or makes
        it."""
        last = self._last
        if last is None or last.loop is not asyncio.get_running_loop() or last.session.closed:
            return None
        return last

    async def _entry(self) -> _PerLoop:
        entry = self._open_entry()
        if entry is not None:
            return entry
        loop = asyncio.get_running_loop()
        entry = self._sessions.get(loop)
        if entry is None or entry.session.closed:
            # Entries of loops that shut down (their sessions closed by the keeper) would
            # keep those loops alive: drop them whenever a new session is made.
            for old in [k for k, e in self._sessions.items() if e.session.closed or k.is_closed()]:
                del self._sessions[old]
            entry = await self._open(loop)
            self._sessions[loop] = entry
        self._last = entry
        return entry

    async def _open(self, loop: asyncio.AbstractEventLoop) -> _PerLoop:
        aiohttp = self._aiohttp
        import urllib.request

        # aiohttp reads the proxy variables per request when trust_env is on (a cost on every
        # call); httpx honours them, so turn it on only when one is set.
        proxies = {k for k in urllib.request.getproxies() if k != "no"}
        session: _Session = aiohttp.ClientSession(
            # API calls authenticate with headers: no cookie jar to filter on every request.
            cookie_jar=aiohttp.DummyCookieJar(),
            trust_env=bool(proxies),
            timeout=self._client_timeout(self._timeout),
        )
        keeper = _keeper(session)
        await keeper.__anext__()  # the loop now tracks it (see _keeper)
        return _PerLoop(loop, session, keeper)

    def _client_timeout(self, seconds: float | None, *, reads: bool = True) -> Any:
        # httpx's timeout bounds connecting (pool wait included), and each read: aiohttp's
        # connect and sock_read are the same two bounds. A watched exchange (reads=False)
        # has its reads bounded by the loop's watchdog instead of a timer of its own.
        seconds = self._timeout if seconds is None else seconds
        timeout = self._timeouts.get((seconds, reads))
        if timeout is None:
            timeout = self._aiohttp.ClientTimeout(
                total=None,
                connect=seconds,
                sock_connect=seconds,
                sock_read=seconds if reads else None,
            )
            self._timeouts[seconds, reads] = timeout
        return timeout

    def _request(self, request: WireRequest, timeout: float | None) -> Awaitable[_Response]:
        """The awaitable response of ``request``. With the loop's session open already (every
        call after the first) this is aiohttp's own awaitable: no coroutine of ours around it."""
        entry = self._open_entry()
        if entry is None:
            return self._request_opening(request, timeout)
        return self._send_on(entry.session, request, self._client_timeout(timeout))

    async def _request_opening(self, request: WireRequest, timeout: float | None) -> _Response:
        entry = await self._entry()
        return await self._send_on(entry.session, request, self._client_timeout(timeout))

    def _send_on(
        self, session: _Session, request: WireRequest, timeout: Any
    ) -> Awaitable[_Response]:
        url: Any = request.url
        if "%" in url:
            # yarl would decode an escape such as %3A (in Bedrock model ids) before sending:
            # send the URL as encoded, as httpx does (AWS SigV4 signs the path as sent).
            url = importlib.import_module("yarl").URL(url, encoded=True)
        response: Awaitable[_Response] = session.request(
            request.method,
            url,
            headers=request.headers,  # aiohttp copies them into its own multidict
            data=request.body or None,
            timeout=timeout,
            allow_redirects=False,  # httpx does not follow redirects either
        )
        return response

    # -- effects --------------------------------------------------------------------------------

    async def _exchange(
        self, request: WireRequest, timeout: float | None
    ) -> WireResponse | TransportFailure:
        errors = self._errors
        seconds = self._timeout if timeout is None else timeout
        entry = self._open_entry() or await self._entry()
        watchdog = entry.watchdog
        # A timeout of whole seconds is watched by the loop's watchdog (one timer for every
        # request in flight); a short one keeps aiohttp's own read timer.
        watch = watchdog.watch(seconds) if seconds >= WATCHED_FROM else None
        limits = self._client_timeout(seconds, reads=watch is None)
        try:
            response = await self._send_on(entry.session, request, limits)
            try:
                if watch is not None:
                    watch.reading(cast(Body, response.content))
                body = await response.read()  # read() returns the connection to the pool
            except BaseException:
                response.close()
                raise
        except asyncio.CancelledError:
            if watch is not None and watch.timed_out():
                return _no_progress(seconds)
            raise
        except asyncio.TimeoutError as exc:
            return errors.failure(exc)
        except errors.caught as exc:
            return errors.failure(exc)
        finally:
            if watch is not None:
                watchdog.done(watch)
        return make_response(response.status, _headers(response), body)

    def send(
        self, request: WireRequest, timeout: float | None = None, budget: float | None = None
    ) -> Awaitable[WireResponse | TransportFailure]:
        """Perform one request (the whole exchange within ``budget`` seconds, if given).
        Without a budget this is the exchange itself: no coroutine around it."""
        if budget is None:
            return self._exchange(request, timeout)
        return self._send_within(request, timeout, budget)

    async def _send_within(
        self, request: WireRequest, timeout: float | None, budget: float
    ) -> WireResponse | TransportFailure:
        try:
            return await _within(budget, self._exchange(request, timeout))
        except asyncio.TimeoutError:
            # Only the budget's own timer reaches here: _exchange turns aiohttp's into a
            # failure of kind "timeout".
            return _past_deadline(0)

    async def _open_stream(self, effect: OpenStream, state: list[_Response]) -> Any:
        self._close(state)
        errors = self._errors
        try:
            response = await self._request(effect.request, effect.timeout)
        except asyncio.TimeoutError as exc:
            return errors.failure(exc)
        except errors.caught as exc:
            return errors.failure(exc)
        state.append(response)
        return ResponseHead(response.status, _headers(response))

    async def _read_chunk(self, effect: ReadChunk, response: _Response) -> Any:
        errors = self._errors
        try:
            if effect.budget is None:
                chunk = await response.content.readany()
            else:
                chunk = await _within(effect.budget, response.content.readany())
        except asyncio.TimeoutError as exc:
            # aiohttp's read timeout is one of its errors; a bare TimeoutError is the budget's.
            if effect.budget is not None and not isinstance(exc, errors.client):
                return _past_deadline(0)
            return errors.failure(exc)
        except errors.caught as exc:
            return errors.failure(exc)
        return chunk if chunk else END

    async def _read_body(self, response: _Response) -> Any:
        errors = self._errors
        try:
            return await response.read()
        except asyncio.TimeoutError as exc:
            return errors.failure(exc)
        except errors.caught as exc:
            return errors.failure(exc)

    def _perform(self, effect: Any, state: list[_Response]) -> Awaitable[Any]:
        if isinstance(effect, Send):  # the exchange itself: no coroutine around it
            return self.send(effect.request, effect.timeout, effect.budget)
        return self._perform_other(effect, state)

    async def _perform_other(self, effect: Any, state: list[_Response]) -> Any:
        if isinstance(effect, ReadChunk):
            return await self._read_chunk(effect, state[-1])
        if isinstance(effect, OpenStream):
            return await self._open_stream(effect, state)
        if isinstance(effect, ReadBody):
            return await self._read_body(state[-1])
        if isinstance(effect, CloseStream):
            self._close(state)
            return None
        if isinstance(effect, CustomEffect):
            return await effect.arun()
        raise _unknown(effect)

    @staticmethod
    def _close(state: list[_Response]) -> None:
        # A body read to its end has already given its connection back to the pool; close()
        # closes the connection of a body still open (the server may go on sending it), as
        # httpx's aclose() does.
        while state:
            state.pop().close()

    # -- the driver interface (run, drive: AsyncEffectLoop) -----------------------------------

    async def _release(self, state: list[_Response]) -> None:
        _close_quietly(state)

    async def aclose(self) -> None:
        """Close the session this driver created for the running loop."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # pragma: no cover - aclose is always awaited in a loop
            return
        entry = self._sessions.pop(loop, None)
        if self._last is entry:
            self._last = None
        if entry is not None:
            await entry.keeper.aclose()  # its finally closes the session

    def sessions(self) -> Iterable[object]:
        """The open sessions, one per event loop (for tests and diagnostics)."""
        return [e.session for e in self._sessions.values() if not e.session.closed]


def _close_quietly(state: list[_Response]) -> None:
    """Close the open response, even while the task is being cancelled (closing an aiohttp
    response does not await)."""
    while state:
        with contextlib.suppress(Exception):
            state.pop().close()
