"""Cohere's embeddings wire: ``POST /v2/embed``.

https://docs.cohere.com/reference/embed : ``texts`` (at most 96 per call), ``input_type``
(``search_document``, ``search_query``, ``classification``, ``clustering``; required by the
v3 models and later), ``embedding_types`` (``["float"]`` here), ``output_dimension``
(embed-v4.0: 256, 512, 1024 or 1536); the answer's ``embeddings.float`` is one list per text,
in order, and ``meta.billed_units.input_tokens`` what was billed.
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
    """The ``/v2/embed`` request of one batch."""
    body: dict[str, Any] = {
        "model": request.model,
        "texts": list(request.texts),
        "input_type": request.input_type or "search_document",
        "embedding_types": ["float"],
    }
    if request.dimensions is not None:
        body["output_dimension"] = request.dimensions
    return EncodedRequest(
        "embeddings",
        "/v2/embed",
        orjson.dumps(body),
        {"content-type": "application/json", "accept": "application/json"},
    )


def decode(provider: str, response: WireResponse, count: int) -> DecodedEmbeddings:
    """The vectors of a batch of ``count`` texts."""
    body = json_object(provider, response)
    embeddings = body.get("embeddings")
    by_type: dict[str, Any] = embeddings if isinstance(embeddings, dict) else {}  # pyright: ignore[reportUnknownVariableType]
    raw = by_type.get("float")
    items: list[Any] = raw if isinstance(raw, list) else []  # pyright: ignore[reportUnknownVariableType]
    vectors = tuple(vector_of(provider, response, item) for item in items)
    check_count(provider, response, vectors, count)
    meta = body.get("meta")
    billed = meta.get("billed_units") if isinstance(meta, dict) else None  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    tokens = int_or_none(billed.get("input_tokens")) if isinstance(billed, dict) else None  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    return DecodedEmbeddings(vectors, tokens)


CODECS = {"cohere-embeddings": EmbeddingCodec("cohere-embeddings", encode, decode, 96)}
