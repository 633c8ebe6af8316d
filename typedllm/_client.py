"""The client a builder's ``build()`` returns: one object for sync and async calls."""

from __future__ import annotations

from typing import Any, TypeVar, overload

from typing_extensions import Self, TypeForm

from ._catalog import ModelInfo
from ._config import ClientConfig
from ._flow import Codec, complete_flow
from ._messages import Completion, Prompt
from ._stream_session import Partial, StreamSession
from ._streams import AsyncStream, Stream
from ._transport import AsyncDriver, SyncDriver
from .codecs.anthropic import CODEC as ANTHROPIC
from .codecs.gemini import CODEC as GEMINI
from .codecs.openai_chat import CODEC as OPENAI_CHAT

__all__ = ["Client"]

T = TypeVar("T")

_CODECS: dict[str, Codec] = {
    "openai": OPENAI_CHAT,
    "openai_compatible": OPENAI_CHAT,
    "anthropic": ANTHROPIC,
    "gemini": GEMINI,
}


class Client:
    """A configured model. Make one with a builder, e.g.
    ``tl.openai().model("gpt-4o-mini").build()``.

    * ``complete(prompt)`` -> ``str``; ``complete(prompt, schema=T)`` -> ``T``.
    * ``completion(...)`` -> :class:`~typedllm.Completion` (output, usage, finish reason,
      model, request id, raw body, attempts).
    * ``acomplete``/``acompletion``: the same, awaitable.

    The client is picklable (its HTTP clients are created lazily and never pickled), so it can
    be shipped to worker processes. Use it as a context manager, or call ``close()``/``aclose()``,
    to release connections.
    """

    __slots__ = ("_async_driver", "_codec", "_config", "_sync_driver")

    def __init__(self, config: ClientConfig) -> None:
        self._config = config
        self._codec = _CODECS[config.provider]
        self._sync_driver: SyncDriver | None = None
        self._async_driver: AsyncDriver | None = None

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
            f"base_url={self._config.base_url!r})"
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

    def _sync(self) -> SyncDriver:
        if self._sync_driver is None:
            self._sync_driver = SyncDriver(self._config)
        return self._sync_driver

    def _async(self) -> AsyncDriver:
        if self._async_driver is None:
            self._async_driver = AsyncDriver(self._config)
        return self._async_driver

    def close(self) -> None:
        """Close the synchronous HTTP client (if this client created it)."""
        if self._sync_driver is not None:
            self._sync_driver.close()

    async def aclose(self) -> None:
        """Close the asynchronous HTTP client of the running event loop."""
        if self._async_driver is not None:
            await self._async_driver.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- calls ---------------------------------------------------------------------------------

    @overload
    def complete(self, prompt: Prompt, *, schema: None = None) -> str: ...
    @overload
    def complete(self, prompt: Prompt, *, schema: TypeForm[T]) -> T: ...
    def complete(self, prompt: Prompt, *, schema: Any = None) -> Any:
        """Ask the model; return its text, or a validated instance of ``schema``.

        ``schema`` is any pydantic-validatable type: a model, ``list[M]``, ``M | None``, a
        TypedDict, a dataclass, ``Literal[...]``, an enum, ``bool``... Raises
        :class:`~typedllm.RefusalError`, :class:`~typedllm.TruncatedOutputError` or
        :class:`~typedllm.OutputValidationError` instead of returning something invalid.

        >>> invoice = llm.complete("ACME, invoice 42, 99.50 EUR", schema=Invoice)  # doctest: +SKIP
        """
        return self.completion(prompt, schema=schema).output

    @overload
    async def acomplete(self, prompt: Prompt, *, schema: None = None) -> str: ...
    @overload
    async def acomplete(self, prompt: Prompt, *, schema: TypeForm[T]) -> T: ...
    async def acomplete(self, prompt: Prompt, *, schema: Any = None) -> Any:
        """Async :meth:`complete`."""
        return (await self.acompletion(prompt, schema=schema)).output

    @overload
    def completion(self, prompt: Prompt, *, schema: None = None) -> Completion[str]: ...
    @overload
    def completion(self, prompt: Prompt, *, schema: TypeForm[T]) -> Completion[T]: ...
    def completion(self, prompt: Prompt, *, schema: Any = None) -> Completion[Any]:
        """Like :meth:`complete`, but return the full :class:`~typedllm.Completion` record."""
        flow = complete_flow(
            self._config, self._codec, prompt, schema, has_schema=schema is not None
        )
        result: Completion[Any] = self._sync().run(flow)
        return result

    @overload
    def stream(self, prompt: Prompt, *, schema: None = None) -> Stream[str, str]: ...
    @overload
    def stream(self, prompt: Prompt, *, schema: TypeForm[T]) -> Stream[Partial[T], T]: ...
    def stream(self, prompt: Prompt, *, schema: Any = None) -> Stream[Any, Any]:
        """Stream the answer. Without a schema, iterate text deltas; with one, iterate
        :class:`~typedllm.Partial` snapshots; ``final()`` returns the validated result, and
        ``items()`` yields each validated item of a ``list[M]`` as soon as it is complete.

        >>> with llm.stream("Tell a story") as s:  # doctest: +SKIP
        ...     for delta in s:
        ...         print(delta, end="")
        """
        session = StreamSession(
            self._config, self._codec, prompt, schema, has_schema=schema is not None
        )
        return Stream(session, self._sync())

    @overload
    def astream(self, prompt: Prompt, *, schema: None = None) -> AsyncStream[str, str]: ...
    @overload
    def astream(self, prompt: Prompt, *, schema: TypeForm[T]) -> AsyncStream[Partial[T], T]: ...
    def astream(self, prompt: Prompt, *, schema: Any = None) -> AsyncStream[Any, Any]:
        """Async :meth:`stream` (``async with`` / ``async for`` / ``await s.final()``)."""
        session = StreamSession(
            self._config, self._codec, prompt, schema, has_schema=schema is not None
        )
        return AsyncStream(session, self._async())

    @overload
    async def acompletion(self, prompt: Prompt, *, schema: None = None) -> Completion[str]: ...
    @overload
    async def acompletion(self, prompt: Prompt, *, schema: TypeForm[T]) -> Completion[T]: ...
    async def acompletion(self, prompt: Prompt, *, schema: Any = None) -> Completion[Any]:
        """Async :meth:`completion`."""
        flow = complete_flow(
            self._config, self._codec, prompt, schema, has_schema=schema is not None
        )
        result: Completion[Any] = await self._async().run(flow)
        return result
