"""Embedding-model builders: what ``.embedding_model(name)`` of a provider's builder returns.

The connection settings made before ``.embedding_model()`` (key, base URL, timeout, retries,
deadline, hooks, transport ...) carry over, and the same methods stay available after it; the
chat-only ones (``temperature``, ``max_tokens``, ``system`` ...) do not exist here, so calling
one is a type error. ``build()`` returns an :class:`~typedllm.Embedder`, placed on the same
host with the same auth step as the provider's chat client:

* OpenAI, Azure OpenAI (the OpenAI embeddings wire on the deployment's path, or the v1 API),
  Mistral and the OpenAI-compatible hosts whose preset says they serve embeddings;
* Gemini API (``batchEmbedContents``, with :meth:`GeminiEmbeddingBuilder.task_type`);
* Ollama (``/api/embed``);
* Cohere (``/v2/embed``, with :meth:`CohereEmbeddingBuilder.input_type`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Literal, get_args

import httpx
from typing_extensions import Self

from .._catalog import ModelInfo
from .._catalog._embedding_models import EmbeddingModelInfo, embedding_models
from .._embeddings import Embedder, EmbedderSettings
from .._errors import ConfigurationError
from .._events import Hook
from .._options import CallOptions
from .._retry import RetryPolicy
from ..hosts import Auth

if TYPE_CHECKING:
    from ._base import BaseBuilder

__all__ = [
    "CohereEmbeddingBuilder",
    "CohereInputType",
    "EmbeddingBuilder",
    "GeminiEmbeddingBuilder",
    "GeminiTaskType",
    "embedding_spec",
]

CohereInputType = Literal["search_document", "search_query", "classification", "clustering"]
"""Cohere's ``input_type`` (https://docs.cohere.com/reference/embed): documents stored for
search, the queries searched with, texts for a classifier, texts to cluster."""

GeminiTaskType = Literal[
    "SEMANTIC_SIMILARITY",
    "CLASSIFICATION",
    "CLUSTERING",
    "RETRIEVAL_DOCUMENT",
    "RETRIEVAL_QUERY",
    "CODE_RETRIEVAL_QUERY",
    "QUESTION_ANSWERING",
    "FACT_VERIFICATION",
]
"""Gemini's ``taskType`` (https://ai.google.dev/api/embeddings#tasktype)."""


@dataclass(frozen=True, slots=True)
class _Spec:
    """The embedding settings collected so far."""

    model: str
    info: EmbeddingModelInfo | None
    provider: str
    dimensions: int | None = None
    input_type: str | None = None
    batch_size: int | None = None
    batch_tokens: int | None = None
    max_concurrency: int = 4


def _positive_int(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigurationError(f"{name} must be a positive int, got {value!r}")
    return value


def embedding_spec(
    provider: str, name: str, like: str | None = None, *, listed_only: bool = False
) -> _Spec:
    """The spec of ``.embedding_model(name, like=...)``: the catalog entry of ``name``, or of
    ``like`` under the new name; an unlisted name without ``like`` has no entry (its
    dimensions are then read from the answers), unless ``listed_only``."""
    if not isinstance(name, str) or not name:  # pyright: ignore[reportUnnecessaryIsInstance]
        raise ConfigurationError("embedding model name must be a non-empty string")
    catalog = embedding_models(provider)
    if like is not None:
        if name in catalog:
            raise ConfigurationError(
                f"{name!r} is a listed {provider} embedding model: call "
                f".embedding_model({name!r}) without like="
            )
        base = catalog.get(like)
        if base is None:
            raise ConfigurationError(f"like={like!r} is not a listed {provider} embedding model")
        return _Spec(name, replace(base, name=name), provider)
    info = catalog.get(name)
    if info is None and listed_only:
        listed = ", ".join(sorted(catalog))
        raise ConfigurationError(
            f"unknown {provider} embedding model {name!r}: use a listed one ({listed}), or "
            f".embedding_model({name!r}, like='<listed model>') for newer models"
        )
    return _Spec(name, info, provider)


class EmbeddingBuilder:
    """Builder of an :class:`~typedllm.Embedder`. Start from a provider's builder:
    ``tl.openai().embedding_model("text-embedding-3-small")``.

    Immutable like every builder: each method returns a copy."""

    __slots__ = ("_parent", "_spec")

    def __init__(self, parent: BaseBuilder, spec: _Spec) -> None:
        self._parent = parent
        self._spec = spec

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(model={self._spec.model!r}, provider={self._spec.provider!r})"
        )

    def _copy(self, parent: BaseBuilder | None = None, **changes: Any) -> Self:
        spec = replace(self._spec, **changes) if changes else self._spec
        return type(self)(parent if parent is not None else self._parent, spec)

    # -- embedding options ------------------------------------------------------------------

    def dimensions(self, size: int) -> Self:
        """Ask for vectors of ``size`` numbers (OpenAI ``text-embedding-3``, Gemini
        ``outputDimensionality``, Cohere embed-v4.0 ``output_dimension``, Mistral
        codestral-embed, Ollama ``dimensions``); a listed model must accept the size."""
        _positive_int("dimensions", size)
        info = self._spec.info
        if info is not None and not info.accepts_dimensions(size):
            if not info.selectable_dimensions:
                raise ConfigurationError(
                    f"{self._spec.model} always produces {info.dimensions} dimensions"
                )
            accepted = (
                f"one of {list(info.dimension_choices)}"
                if info.dimension_choices
                else f"{info.dimensions_min} to {info.dimensions_max or info.dimensions}"
            )
            raise ConfigurationError(
                f"{self._spec.model} does not produce {size} dimensions; it accepts {accepted}"
            )
        return self._copy(dimensions=size)

    def batch_size(self, texts: int) -> Self:
        """At most ``texts`` texts per request (capped by the provider's own limit)."""
        return self._copy(batch_size=_positive_int("batch_size", texts))

    def batch_tokens(self, tokens: int) -> Self:
        """At most ``tokens`` estimated tokens per request (capped by the provider's limit)."""
        return self._copy(batch_tokens=_positive_int("batch_tokens", tokens))

    def max_concurrency(self, batches: int) -> Self:
        """At most ``batches`` requests at once in ``aembed`` (default 4)."""
        return self._copy(max_concurrency=_positive_int("max_concurrency", batches))

    # -- connection options (the provider builder's, carried over) ---------------------------

    def api_key(self, key: str, *, picklable: bool = False) -> Self:
        """Use this API key instead of the provider's environment variable."""
        return self._copy(self._parent.api_key(key, picklable=picklable))

    def base_url(self, url: str) -> Self:
        """Send requests to this base URL."""
        return self._copy(self._parent.base_url(url))

    def timeout(self, seconds: float) -> Self:
        """Per-request timeout in seconds (default 60)."""
        return self._copy(self._parent.timeout(seconds))

    def max_retries(self, retries: int) -> Self:
        """Transport retries on 408/409/429/5xx and connection errors (default 2)."""
        return self._copy(self._parent.max_retries(retries))

    def retry_policy(self, policy: RetryPolicy) -> Self:
        """The whole transport retry policy."""
        return self._copy(self._parent.retry_policy(policy))

    def deadline(self, seconds: float) -> Self:
        """Bound each whole ``embed`` call (every batch, retries included) to ``seconds``."""
        return self._copy(self._parent.deadline(seconds))

    def on_event(self, hook: Hook) -> Self:
        """Call ``hook`` with every event (requests, responses, retries, results, failures)."""
        return self._copy(self._parent.on_event(hook))

    def header(self, name: str, value: str) -> Self:
        """An extra HTTP header sent with every request."""
        return self._copy(self._parent.header(name, value))

    def auth(self, step: Auth) -> Self:
        """Authenticate requests with this auth step instead of an API key."""
        return self._copy(self._parent.auth(step))

    def transport(self, transport: httpx.BaseTransport | httpx.AsyncBaseTransport) -> Self:
        """Use this httpx transport, e.g. ``typedllm.testing.FakeProvider()``."""
        return self._copy(self._parent.transport(transport))

    def http_client(self, client: httpx.Client) -> Self:
        """Use this ``httpx.Client`` for synchronous calls."""
        return self._copy(self._parent.http_client(client))

    def async_http_client(self, client: httpx.AsyncClient) -> Self:
        """Use this ``httpx.AsyncClient`` for asynchronous calls."""
        return self._copy(self._parent.async_http_client(client))

    def async_driver(self, name: Literal["httpx", "aiohttp"]) -> Self:
        """The HTTP library of asynchronous calls (``"httpx"`` or ``"aiohttp"``)."""
        return self._copy(self._parent.async_driver(name))

    # -- build --------------------------------------------------------------------------------

    def build(self) -> Embedder:
        """The embedder, on the provider's host with its auth step."""
        spec = self._spec
        endpoint = self._parent._embedding_endpoint(spec.model)  # pyright: ignore[reportPrivateUsage]
        price = spec.info.input_price if spec.info is not None else None
        info = ModelInfo(
            name=spec.model,
            provider=spec.provider,
            family="embedding",
            temperature=False,
            structured_output="none",
            tools=False,
            input_price=price,
            output_price=0.0 if price is not None else None,
            apis=("embeddings",),
            modalities_out=("embedding",),
        )
        client = self._parent._client(  # pyright: ignore[reportPrivateUsage]
            provider=endpoint.provider,
            wire=endpoint.error_wire,
            model=endpoint.model,
            info=info,
            host=endpoint.host,
            auth=endpoint.auth,
            wire_options=None,
            defaults=CallOptions(),
        )
        settings = EmbedderSettings(
            wire=endpoint.wire,
            model=endpoint.model,
            info=spec.info,
            dimensions=spec.dimensions,
            input_type=spec.input_type,
            batch_size=spec.batch_size,
            batch_tokens=spec.batch_tokens,
            max_concurrency=spec.max_concurrency,
        )
        return Embedder(client, settings)


class CohereEmbeddingBuilder(EmbeddingBuilder):
    """Builder of a Cohere :class:`~typedllm.Embedder` (adds :meth:`input_type`)."""

    __slots__ = ()

    def input_type(self, kind: CohereInputType) -> Self:
        """What the texts are for (Cohere's ``input_type``; default ``search_document``):
        embed stored documents and search queries with their own types."""
        if kind not in get_args(CohereInputType):
            raise ConfigurationError(
                f"input_type must be one of {list(get_args(CohereInputType))}, got {kind!r}"
            )
        return self._copy(input_type=kind)


class GeminiEmbeddingBuilder(EmbeddingBuilder):
    """Builder of a Gemini :class:`~typedllm.Embedder` (adds :meth:`task_type`)."""

    __slots__ = ()

    def task_type(self, task: GeminiTaskType) -> Self:
        """What the vectors are for (Gemini's ``taskType``)."""
        if task not in get_args(GeminiTaskType):
            raise ConfigurationError(
                f"task_type must be one of {list(get_args(GeminiTaskType))}, got {task!r}"
            )
        return self._copy(input_type=task)


# -- where each provider's embeddings go ------------------------------------------------------
