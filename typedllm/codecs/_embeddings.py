"""What every embeddings wire shares: the request and decoded-answer records, the codec record
and the registry of the embeddings wires.

An embeddings codec is pure, like a chat codec: ``encode`` turns one batch of texts into an
:class:`~typedllm._wire.EncodedRequest` (the host places it, the auth step signs it) and
``decode`` turns the successful response into vectors. Error responses are decoded by the chat
codec of the same host (the error bodies of a provider do not depend on the endpoint).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .._errors import ProtocolError
from .._wire import EncodedRequest, WireResponse
from ._base import answer_body

__all__ = [
    "DecodedEmbeddings",
    "EmbeddingCodec",
    "EmbeddingRequest",
    "embedding_codec",
    "json_object",
    "vector_of",
]


@dataclass(frozen=True, slots=True)
class EmbeddingRequest:
    """One batch to embed.

    Attributes:
        model: the model (or deployment) name.
        texts: the batch's texts, in order.
        dimensions: the requested output size (``None``: the model's default).
        input_type: Cohere's ``input_type`` or Gemini's ``taskType`` (``None``: not sent).
    """

    model: str
    texts: tuple[str, ...]
    dimensions: int | None = None
    input_type: str | None = None


@dataclass(frozen=True, slots=True)
class DecodedEmbeddings:
    """The vectors of one batch, in the batch's order, and the tokens it was billed for
    (``None`` when the wire does not report them: Gemini)."""

    vectors: tuple[tuple[float, ...], ...]
    input_tokens: int | None
    model: str | None = None


@dataclass(frozen=True, slots=True)
class EmbeddingCodec:
    """One embeddings wire: its name, its pure encoder and decoder, and its batch limits.

    Attributes:
        name: the wire's name (``openai-embeddings`` ...).
        encode: one batch -> the request to send.
        decode: ``(provider, response, batch size)`` -> the batch's vectors.
        max_batch_items: the most texts one request may carry.
        max_batch_tokens: the most (estimated) tokens one request may carry (``None``: none
            documented).
    """

    name: str
    encode: Callable[[EmbeddingRequest], EncodedRequest]
    decode: Callable[[str, WireResponse, int], DecodedEmbeddings]
    max_batch_items: int
    max_batch_tokens: int | None = None


_BUILTIN = {
    "openai-embeddings": ".embeddings_openai",
    "mistral-embeddings": ".embeddings_openai",
    "azure-embeddings": ".embeddings_openai",
    "gemini-embeddings": ".embeddings_gemini",
    "ollama-embeddings": ".embeddings_ollama",
    "cohere-embeddings": ".embeddings_cohere",
}


def embedding_codec(name: str) -> EmbeddingCodec:
    """The embeddings codec called ``name``."""
    module = _BUILTIN.get(name)
    if module is None:
        from .._errors import ConfigurationError

        raise ConfigurationError(f"no embeddings wire named {name!r}; known: {sorted(_BUILTIN)}")
    codecs: dict[str, EmbeddingCodec] = importlib.import_module(module, __package__).CODECS
    return codecs[name]


def _bad(provider: str, response: WireResponse, what: str) -> ProtocolError:
    return ProtocolError(
        f"{provider} answered an embeddings request with {what}",
        provider=provider,
        status_code=response.status,
        body=response.body[:500].decode("utf-8", errors="replace"),
    )


def json_object(provider: str, response: WireResponse) -> dict[str, Any]:
    """The JSON object of a successful embeddings response (else a ProtocolError)."""
    body = answer_body(provider, response)
    if not isinstance(body, dict):
        raise _bad(provider, response, "a body that is not a JSON object")
    return body  # pyright: ignore[reportUnknownVariableType]


def vector_of(provider: str, response: WireResponse, value: object) -> tuple[float, ...]:
    """A list of numbers as a vector of floats (anything else is a ProtocolError)."""
    if not isinstance(value, list) or not value:
        raise _bad(provider, response, "an embedding that is not a non-empty list of numbers")
    items: list[object] = value  # pyright: ignore[reportUnknownVariableType]
    if not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in items):
        raise _bad(provider, response, "an embedding with a value that is not a number")
    return tuple(float(x) for x in items)  # type: ignore[arg-type]


def check_count(
    provider: str, response: WireResponse, vectors: tuple[tuple[float, ...], ...], expected: int
) -> None:
    """One vector per text, or a ProtocolError (a vector lost would shift every later one)."""
    if len(vectors) != expected:
        raise _bad(provider, response, f"{len(vectors)} embeddings for {expected} texts")


def int_or_none(value: object) -> int | None:
    """``value`` if it is a token count, else ``None``."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None
