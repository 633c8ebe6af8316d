"""Embeddings: an :class:`Embedder` (what an embedding-model builder's ``build()`` returns)
turns texts into vectors, as a typed :class:`Embeddings` record.

A large input is split into batches within the provider's limits (the most texts and the most
estimated tokens one request may carry, see :mod:`typedllm.codecs._embeddings`); the batches
are sent one after the other by ``embed`` and concurrently (at most ``max_concurrency`` at a
time) by ``aembed``, and the vectors come back in input order with the usage summed. Every
batch request goes through the same machinery as a ``complete`` call (:mod:`typedllm._flow`):
the host places it, the auth step signs it, the :class:`~typedllm.RetryPolicy` retries
connection failures and retryable statuses within the call's deadline, an error status becomes
the typed error of the provider's chat codec (the error bodies are the same), and the hooks
see every request, retry and failure.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Generator, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from ._catalog._embedding_models import EmbeddingModelInfo
from ._client import Client
from ._config import ClientConfig
from ._errors import ConfigurationError, TransportError
from ._events import Finished
from ._flow import CallContext, authenticate, new_context, observed, send_request
from ._usage import Usage
from ._wire import WireRequest
from .codecs._embeddings import (
    DecodedEmbeddings,
    EmbeddingCodec,
    EmbeddingRequest,
    embedding_codec,
)

__all__ = ["Embedder", "EmbedderSettings", "Embeddings", "check_texts", "plan_batches"]


@dataclass(frozen=True, slots=True)
class Embeddings:
    """The vectors of one ``embed`` call.

    Attributes:
        vectors: one vector per input text, in input order.
        model: the model that produced them (as the provider names it, where it says).
        dimensions: the size of each vector.
        usage: the input tokens billed, summed over the batches (0 when the provider does not
            report them: Gemini).
        cost: USD, from the catalog's price (``None`` when the price or the usage is unknown).
        requests: how many HTTP requests (batches) the call took.
    """

    vectors: list[list[float]]
    model: str
    dimensions: int
    usage: Usage
    cost: float | None
    requests: int

    def __len__(self) -> int:
        return len(self.vectors)

    def __iter__(self) -> Iterator[list[float]]:
        return iter(self.vectors)

    def __getitem__(self, index: int) -> list[float]:
        return self.vectors[index]


@dataclass(frozen=True, slots=True)
class EmbedderSettings:
    """What an :class:`Embedder` sends besides the texts.

    Attributes:
        wire: the embeddings wire (``openai-embeddings`` ...).
        model: the model (or Azure deployment) name sent.
        info: the catalog entry of the model (``None`` for models the catalog does not list).
        dimensions: the requested vector size (``None``: the model's default).
        input_type: Cohere's ``input_type`` or Gemini's ``taskType``.
        batch_size: the most texts per request (``None``: the wire's limit).
        batch_tokens: the most estimated tokens per request (``None``: the wire's limit).
        max_concurrency: the most batches ``aembed`` sends at once.
    """

    wire: str
    model: str
    info: EmbeddingModelInfo | None = None
    dimensions: int | None = None
    input_type: str | None = None
    batch_size: int | None = None
    batch_tokens: int | None = None
    max_concurrency: int = 4


def estimate_tokens(text: str) -> int:
    """A deliberately high estimate of a text's tokens (one per 3 UTF-8 bytes, where real
    tokenizers average about 4 characters per token on English), so a batch planned under a
    token limit stays under it."""
    return max(1, math.ceil(len(text.encode("utf-8")) / 3))


def check_texts(texts: object) -> tuple[str, ...]:
    """The texts of an ``embed`` call, checked: a non-empty sequence of non-empty strings (a
    bad item is named by its index)."""
    if isinstance(texts, str):
        raise ConfigurationError(
            "embed() takes a list of texts, got a single str: wrap it in a list, or use "
            "embed_one(text)"
        )
    if isinstance(texts, (bytes, bytearray)) or not isinstance(texts, Sequence):
        raise ConfigurationError(f"embed() takes a list of strings, got {type(texts).__name__}")
    items = tuple(cast("Sequence[object]", texts))
    if not items:
        raise ConfigurationError("embed() got an empty list: there is nothing to embed")
    for index, item in enumerate(items):
        if not isinstance(item, str):
            raise ConfigurationError(f"text {index} is a {type(item).__name__}, not a str")
        if not item.strip():
            raise ConfigurationError(
                f"text {index} is empty or only whitespace (providers reject empty inputs)"
            )
    return cast("tuple[str, ...]", items)


def plan_batches(
    texts: Sequence[str], max_items: int, max_tokens: int | None
) -> list[tuple[int, int]]:
    """``(start, end)`` slices of ``texts``, in order, each with at most ``max_items`` texts
    and at most ``max_tokens`` estimated tokens (a text over the token limit alone goes in a
    batch of its own: the provider decides about it)."""
    batches: list[tuple[int, int]] = []
    start, tokens = 0, 0
    for index, text in enumerate(texts):
        size = estimate_tokens(text) if max_tokens is not None else 0
        full = index - start >= max_items or (
            max_tokens is not None and index > start and tokens + size > max_tokens
        )
        if full:
            batches.append((start, index))
            start, tokens = index, 0
        tokens += size
    batches.append((start, len(texts)))
    return batches


class Embedder:
    """An embedding model, configured. Make one with a builder, e.g.
    ``tl.openai().embedding_model("text-embedding-3-small").build()``.

    * ``embed(texts)`` -> :class:`Embeddings` (vectors in input order, usage, cost);
    * ``embed_one(text)`` -> ``list[float]``;
    * ``aembed``/``aembed_one``: the same, asynchronous (batches sent concurrently).

    Like a :class:`~typedllm.Client` it is picklable (configuration only) and a (sync or
    async) context manager; ``close()``/``aclose()`` release its connections.
    """

    __slots__ = ("_client", "_codec", "_settings")

    def __init__(self, client: Client, settings: EmbedderSettings) -> None:
        self._client = client
        self._settings = settings
        self._codec: EmbeddingCodec = embedding_codec(settings.wire)

    def __repr__(self) -> str:
        config = self._client.config
        return (
            f"Embedder(provider={config.provider!r}, model={self._settings.model!r}, "
            f"dimensions={self.dimensions!r})"
        )

    def __getstate__(self) -> tuple[ClientConfig, EmbedderSettings]:
        return self._client.__getstate__(), self._settings

    def __setstate__(self, state: tuple[ClientConfig, EmbedderSettings]) -> None:
        config, settings = state
        self.__init__(Client(config), settings)  # type: ignore[misc]

    @property
    def provider(self) -> str:
        """The provider (or host) the requests go to."""
        return self._client.config.provider

    @property
    def model(self) -> str:
        """The model (or Azure deployment) name requests are sent with."""
        return self._settings.model

    @property
    def model_info(self) -> EmbeddingModelInfo | None:
        """The catalog entry of the model (``None`` for models the catalog does not list)."""
        return self._settings.info

    @property
    def dimensions(self) -> int | None:
        """The vector size: the requested one, else the catalog's default (``None`` when
        neither is known: it is then read from the first answer)."""
        s = self._settings
        if s.dimensions is not None:
            return s.dimensions
        return s.info.dimensions if s.info is not None else None

    @property
    def settings(self) -> EmbedderSettings:
        """What this embedder sends besides the texts."""
        return self._settings

    # -- calls ------------------------------------------------------------------------------

    def embed(self, texts: Sequence[str]) -> Embeddings:
        """The vectors of ``texts`` (in order), batched within the provider's limits."""
        checked = check_texts(texts)
        driver = self._client._sync()  # pyright: ignore[reportPrivateUsage]
        ctx = self._context()
        results = [driver.run(self._batch_flow(ctx, checked[a:b])) for a, b in self._plan(checked)]
        return self._finish(ctx, results)

    async def aembed(self, texts: Sequence[str]) -> Embeddings:
        """The vectors of ``texts`` (in order); the batches are sent concurrently, at most
        ``max_concurrency`` at a time."""
        checked = check_texts(texts)
        driver = self._client._async()  # pyright: ignore[reportPrivateUsage]
        ctx = self._context()
        gate = asyncio.Semaphore(self._settings.max_concurrency)

        async def one(batch: tuple[str, ...]) -> DecodedEmbeddings:
            async with gate:
                result: DecodedEmbeddings = await driver.run(self._batch_flow(ctx, batch))
                return result

        results = await asyncio.gather(*(one(checked[a:b]) for a, b in self._plan(checked)))
        return self._finish(ctx, list(results))

    def embed_one(self, text: str) -> list[float]:
        """The vector of one text."""
        return self.embed(_one(text)).vectors[0]

    async def aembed_one(self, text: str) -> list[float]:
        """The vector of one text, asynchronously."""
        return (await self.aembed(_one(text))).vectors[0]

    def request_for(self, texts: Sequence[str]) -> WireRequest:
        """The first HTTP request ``embed(texts)`` would send, without sending it (its
        ``repr`` hides credential headers); an auth step that must fetch a token first is a
        :class:`~typedllm.ConfigurationError` here.

        >>> import typedllm as tl
        >>> embedder = tl.openai().api_key("sk-test").embedding_model(
        ...     "text-embedding-3-small").build()
        >>> embedder.request_for(["hello"]).url
        'https://api.openai.com/v1/embeddings'
        """
        checked = check_texts(texts)
        start, end = self._plan(checked)[0]
        s, ctx = self._settings, self._context()
        request = EmbeddingRequest(s.model, checked[start:end], s.dimensions, s.input_type)
        steps = authenticate(ctx, self._codec.encode(request), ctx.config.defaults)
        try:
            effect = next(steps)
        except StopIteration as done:
            placed: WireRequest = done.value
            return placed
        steps.close()
        raise ConfigurationError(
            f"the auth step needs I/O ({type(effect).__name__}) to build the request"
        )

    # -- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        """Close the synchronous HTTP client (if this embedder created it)."""
        self._client.close()

    async def aclose(self) -> None:
        """Close the asynchronous HTTP client."""
        await self._client.aclose()

    def __enter__(self) -> Embedder:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def __aenter__(self) -> Embedder:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    # -- internals ----------------------------------------------------------------------------

    def _plan(self, texts: tuple[str, ...]) -> list[tuple[int, int]]:
        s, codec = self._settings, self._codec
        items = min(s.batch_size or codec.max_batch_items, codec.max_batch_items)
        limit = codec.max_batch_tokens
        tokens = s.batch_tokens if limit is None else min(s.batch_tokens or limit, limit)
        return plan_batches(texts, items, tokens)

    def _context(self) -> CallContext:
        # One context per embed() call: its deadline bounds every batch together.
        client = self._client
        return new_context(client.config, client._codec, "complete", time.monotonic)  # pyright: ignore[reportPrivateUsage]

    def _batch_flow(
        self, ctx: CallContext, texts: tuple[str, ...]
    ) -> Generator[Any, Any, DecodedEmbeddings]:
        s = self._settings
        request = EmbeddingRequest(s.model, texts, s.dimensions, s.input_type)
        return observed(ctx, self._send(ctx, request))

    def _send(
        self, ctx: CallContext, request: EmbeddingRequest
    ) -> Generator[Any, Any, DecodedEmbeddings]:
        config = ctx.config
        encoded = self._codec.encode(request)
        response = yield from send_request(ctx, encoded, config.defaults)
        try:
            return self._codec.decode(config.provider, response, len(request.texts))
        except TransportError as error:
            raise ctx.scrub(error) from None

    def _finish(self, ctx: CallContext, results: list[DecodedEmbeddings]) -> Embeddings:
        vectors = [list(v) for result in results for v in result.vectors]
        counts = [r.input_tokens for r in results]
        reported = all(c is not None for c in counts)
        tokens = sum(c or 0 for c in counts)
        info = self._settings.info
        cost = info.cost(tokens) if info is not None and reported else None
        usage = Usage(input_tokens=tokens)
        model = next((r.model for r in results if r.model), None) or self._settings.model
        ctx.emit(Finished(ctx.call, usage, "stop", cost, ctx.elapsed(), len(results)))
        return Embeddings(vectors, model, len(vectors[0]), usage, cost, len(results))


def _one(text: str) -> list[str]:
    if not isinstance(text, str):  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError(f"embed_one() takes a str, got {type(text).__name__}")
    return [text]
