"""The client a builder's ``build()`` returns: one object for sync and async calls."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from typing_extensions import Self

from ._catalog import ModelInfo
from ._completion import Completion
from ._config import ClientConfig
from ._errors import ClientClosedError
from ._flow import complete_flow, dry_run
from ._messages import Prompt
from ._model_list import ListedModel, list_models_flow
from ._options import CallOptions
from ._protocol import Call, Completer
from ._stream_flow import stream_flow
from ._streams import AsyncStream, Stream
from ._transport import AsyncDriver, SyncDriver
from ._wire import WireRequest
from .codecs import Codec, get_codec
from .hosts._host import mask_url

if TYPE_CHECKING:
    from ._aiohttp import AiohttpDriver, AsyncDriverName
    from ._events import Hook

__all__ = ["Client", "pipeline_client", "prefer_aiohttp", "with_async_driver"]


class Client(Completer):
    """A configured model. Make one with a builder, e.g.
    ``tl.openai().model("gpt-4o-mini").build()``.

    * ``complete(prompt)`` -> ``str``; ``complete(prompt, schema=T)`` -> ``T``.
    * ``completion(...)`` -> :class:`~typedllm.Completion` (output, usage, finish reason,
      model, request id, raw body, attempts, the answer message, cost).
    * ``stream(...)`` -> :class:`~typedllm.Stream` of text deltas or partial values.
    * ``acomplete``/``acompletion``/``astream``: the same, asynchronous.
    * ``options=tl.CallOptions(...)`` overrides the builder's defaults for one call.

    The client is picklable (its HTTP clients are created lazily and never pickled), so it can
    be shipped to worker processes; an API key read from the environment is read again from
    the receiving process's environment, and an explicit ``.api_key()`` refuses to be pickled
    unless given ``picklable=True``. Use it as a context manager, or call
    ``close()``/``aclose()``, to release connections: after ``close()`` every synchronous
    call raises :class:`~typedllm.ClientClosedError`, after ``aclose()`` every asynchronous
    one (a closed side never reopens silently; the two sides close apart, so a client used
    in a sync ``with`` block can still serve ``async with`` later, and the other way round).
    """

    __slots__ = (
        "_async_closed",
        "_async_driver",
        "_codec",
        "_config",
        "_pipeline_driver",
        "_sync_closed",
        "_sync_driver",
    )

    def __init__(self, config: ClientConfig) -> None:
        self._config = config
        self._codec: Codec = get_codec(config.wire)
        self._sync_driver: SyncDriver | None = None
        self._async_driver: AsyncDriver | AiohttpDriver | None = None
        self._pipeline_driver: AiohttpDriver | None = None
        self._sync_closed = False
        self._async_closed = False

    @property
    def closed(self) -> bool:
        """Whether both sides are closed (``close()`` and ``aclose()`` were called)."""
        return self._sync_closed and self._async_closed

    @property
    def config(self) -> ClientConfig:
        """The frozen configuration this client runs on."""
        return self._config

    @property
    def model(self) -> str:
        """The model name requests are sent with."""
        return self._config.model

    @property
    def model_info(self) -> ModelInfo:
        """The model's catalog capabilities (borrowed ones for ``like=`` models)."""
        return self._config.model_info

    def __repr__(self) -> str:
        return (
            f"Client(provider={self._config.provider!r}, model={self._config.model!r}, "
            f"base_url={mask_url(self._config.base_url)!r})"
        )

    # -- pickling: configuration only --------------------------------------------------------

    def __getstate__(self) -> ClientConfig:
        if self._config.http_client is not None or self._config.async_http_client is not None:
            raise TypeError(
                "a Client with a user-supplied httpx client cannot be pickled; "
                "use .transport(...) or build the client in the worker"
            )
        return self._config

    def __setstate__(self, state: ClientConfig) -> None:
        self.__init__(state)  # type: ignore[misc]

    # -- drivers ------------------------------------------------------------------------------

    def _closed_error(self, method: str) -> ClientClosedError:
        return ClientClosedError(
            f"this client ({self._config.provider}:{self._config.model}) was closed with "
            f"{method}(); build a new one, or keep its `with` block around every call"
        )

    def _sync(self) -> SyncDriver:
        if self._sync_closed:
            raise self._closed_error("close")
        if self._sync_driver is None:
            self._sync_driver = SyncDriver.for_config(self._config)
        return self._sync_driver

    def _async(self) -> AsyncDriver | AiohttpDriver:
        if self._async_closed:
            raise self._closed_error("aclose")
        if self._async_driver is None:
            if self._config.async_driver == "aiohttp":
                from ._aiohttp import AiohttpDriver

                self._async_driver = AiohttpDriver.for_config(self._config)
            else:
                self._async_driver = AsyncDriver.for_config(self._config)
        return self._async_driver

    def _pipeline(self) -> AiohttpDriver | None:
        """The aiohttp driver pipeline runs (``amap``) call this client on, when it is
        installed and the client can use it (``None``: the run makes a copy of its own). The
        client's own when it is on aiohttp; else one made for pipelines and kept here, so each
        run after the first reuses its connections (one session per event loop), and
        ``aclose()`` closes it with the rest."""
        if self._async_closed:
            raise self._closed_error("aclose")
        config = self._config
        if config.async_driver == "aiohttp":
            from ._aiohttp import AiohttpDriver

            driver = self._async()
            return driver if isinstance(driver, AiohttpDriver) else None
        if self._pipeline_driver is None:
            if not _aiohttp_possible(config):
                return None
            from ._aiohttp import AiohttpDriver

            self._pipeline_driver = AiohttpDriver.for_config(
                replace(config, async_driver="aiohttp")
            )
        return self._pipeline_driver

    async def _release_loop(self) -> None:
        """Close the aiohttp sessions of the running loop (the loop is about to end: ``map``
        runs on one of its own), keeping the client open for the next loop."""
        from ._aiohttp import AiohttpDriver

        for driver in (self._pipeline_driver, self._async_driver):
            if isinstance(driver, AiohttpDriver):
                await driver.aclose()
        await asyncio.sleep(0)  # the transports finish closing while the loop still runs

    def close(self) -> None:
        """Close the synchronous HTTP client (if this client created it); no synchronous call
        is accepted after it."""
        self._sync_closed = True
        if self._sync_driver is not None:
            self._sync_driver.close()

    async def aclose(self) -> None:
        """Close the asynchronous HTTP client of the running event loop; no asynchronous call
        is accepted after it."""
        self._async_closed = True
        if self._async_driver is not None:
            await self._async_driver.aclose()
        if self._pipeline_driver is not None:
            await self._pipeline_driver.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def request_for(
        self,
        prompt: Prompt,
        *,
        schema: Any = None,
        options: CallOptions | None = None,
        stream: bool = False,
    ) -> WireRequest:
        """The HTTP request ``complete``/``stream`` would send first, without sending it: for
        debugging and tests (its ``repr`` hides credential headers).

        >>> import typedllm as tl
        >>> llm = tl.openai().model("gpt-4o-mini").api_key("sk-test").build()
        >>> llm.request_for("Hello").url
        'https://api.openai.com/v1/chat/completions'
        """
        return dry_run(
            self._config,
            self._codec,
            prompt,
            schema,
            has_schema=schema is not None,
            options=options,
            stream=stream,
        )

    # -- model listing ----------------------------------------------------------------------

    def list_models(self) -> list[ListedModel]:
        """The models the provider's models endpoint lists (every page followed), each marked
        with whether typedllm's catalog knows it; sent with the client's host, auth, headers
        and retry policy. See :class:`~typedllm.ListedModel` and ``docs/models.md``.

        >>> import typedllm as tl
        >>> from typedllm.testing import FakeProvider
        >>> llm = tl.openai().model("gpt-4o-mini").api_key("k").transport(FakeProvider()).build()
        >>> any(m.id == "gpt-4o-mini" and m.in_catalog for m in llm.list_models())
        True
        """
        result: list[ListedModel] = self._sync().run(list_models_flow(self._config))
        return result

    async def alist_models(self) -> list[ListedModel]:
        """:meth:`list_models`, asynchronously."""
        result: list[ListedModel] = await self._async().run(list_models_flow(self._config))
        return result

    # -- the primitives the typed surface (Completer) calls ------------------------------------

    def _flow(self, call: Call, *, stream: bool) -> Any:
        make = stream_flow if stream else complete_flow
        return make(
            self._config,
            self._codec,
            call.prompt,
            call.schema,
            has_schema=call.has_schema,
            options=call.options,
        )

    def _completion(self, call: Call) -> Completion[Any]:
        result: Completion[Any] = self._sync().run(self._flow(call, stream=False))
        return result

    def _acompletion(self, call: Call) -> Coroutine[Any, Any, Completion[Any]]:
        # complete_flow itself, not through _flow(): this is every async call's path. Not a
        # coroutine of its own: the driver's run() is what the caller awaits.
        flow = complete_flow(
            self._config,
            self._codec,
            call.prompt,
            call.schema,
            has_schema=call.has_schema,
            options=call.options,
        )
        return self._async().run(flow)

    def _stream(self, call: Call) -> Stream[Any, Any]:
        return Stream(self._flow(call, stream=True), self._sync())

    def _astream(self, call: Call) -> AsyncStream[Any, Any]:
        return AsyncStream(self._flow(call, stream=True), self._async())


def with_async_driver(client: Client, name: AsyncDriverName) -> Client:
    """A copy of ``client`` whose asynchronous calls run on the driver ``name`` (``"httpx"``
    or ``"aiohttp"``); the copy has HTTP connections of its own (close it with ``aclose()``).

    Raises :class:`~typedllm.ConfigurationError` when aiohttp is not installed, or when the
    client was built with httpx-only objects (``.transport()``, ``.async_http_client()``)."""
    config = client.config
    from ._aiohttp import check_async_driver

    check_async_driver(name, config)
    return Client(replace(config, async_driver=name))


def prefer_aiohttp(completer: Any) -> Any:
    """``completer`` on the aiohttp driver when that is possible (aiohttp installed, a plain
    :class:`~typedllm.Client` without httpx-only objects), else ``completer`` itself. A copy,
    when made, has connections of its own: whoever made it closes it. (``amap`` makes the
    same choice with :func:`pipeline_client`, whose connections outlive the run.)"""
    if not isinstance(completer, Client) or completer.config.async_driver == "aiohttp":
        return completer
    if not _aiohttp_possible(completer.config):
        return completer
    return with_async_driver(completer, "aiohttp")


def pipeline_client(client: Client, hooks: tuple[Hook, ...] = ()) -> tuple[Client, Client | None]:
    """The client a pipeline run calls for ``client``, with ``hooks`` added to its own, and
    the copy the run must close at its end (``None``: nothing to close).

    On the aiohttp driver when that is possible (see :func:`prefer_aiohttp`), the runner
    shares the driver ``client`` keeps for pipelines (:meth:`Client._pipeline`): successive
    runs reuse one pool of connections per event loop, and closing ``client`` closes them
    (``client`` itself when nothing differs). Otherwise (httpx-only objects, no aiohttp) the
    run gets a copy with HTTP connections of its own, closed with the run: an httpx client's
    connections belong to the loop that opened them, and a run may have a loop of its own."""
    driver = client._pipeline()  # pyright: ignore[reportPrivateUsage]
    config = client.config
    if hooks:
        config = replace(config, hooks=(*config.hooks, *hooks))
    if driver is None:
        copy = Client(config)
        return copy, copy
    if driver is client._async_driver and not hooks:  # pyright: ignore[reportPrivateUsage]
        return client, None
    runner = Client(replace(config, async_driver="aiohttp"))
    runner._async_driver = driver  # pyright: ignore[reportPrivateUsage]
    return runner, None


def _aiohttp_possible(config: ClientConfig) -> bool:
    """Whether a client of ``config`` could run on the aiohttp driver here (aiohttp installed,
    no httpx-only objects)."""
    if config.transport is not None or config.async_http_client is not None:
        return False
    from ._aiohttp import aiohttp_available

    return aiohttp_available()
