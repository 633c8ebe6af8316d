"""Ollama's native embeddings wire: ``POST /api/embed``.

https://docs.ollama.com/api/embed : ``input`` is a string or a list of strings, ``dimensions``
truncates the vectors (on models that support it); the answer has ``embeddings`` (one list per
input, in order) and ``prompt_eval_count``, the tokens read. No batch limit is documented: a
batch is bounded here so a large input does not become one request of unbounded size.
"""

from __future__ import annotations

from typing import Any

import orjson

from .._wire import EncodedRequest, WireResponse
from ._embeddings import (
    DecodedEmbeddings,
    EmbeddingCodec,
    EmbeddingRequest,
    check_count,
    int_or_none,
    json_object,
    vector_of,
)

__all__ = ["CODECS", "decode", "encode"]


def encode(request: EmbeddingRequest) -> EncodedRequest:
    """The ``/api/embed`` request of one batch."""
    body: dict[str, Any] = {"model": request.model, "input": list(request.texts)}
    if request.dimensions is not None:
        body["dimensions"] = request.dimensions
    return EncodedRequest(
        "embeddings",
        "/api/embed",
        orjson.dumps(body),
        {"content-type": "application/json", "accept": "application/json"},
    )


def decode(provider: str, response: WireResponse, count: int) -> DecodedEmbeddings:
    """The vectors of a batch of ``count`` texts."""
    body = json_object(provider, response)
    raw = body.get("embeddings")
    items: list[Any] = raw if isinstance(raw, list) else []  # pyright: ignore[reportUnknownVariableType]
    vectors = tuple(vector_of(provider, response, item) for item in items)
    check_count(provider, response, vectors, count)
    model = body.get("model")
    return DecodedEmbeddings(
        vectors,
        int_or_none(body.get("prompt_eval_count")),
        model if isinstance(model, str) else None,
    )


CODECS = {"ollama-embeddings": EmbeddingCodec("ollama-embeddings", encode, decode, 256)}
