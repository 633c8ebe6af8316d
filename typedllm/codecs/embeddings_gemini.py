"""The Gemini API embeddings wire: ``POST /models/{model}:batchEmbedContents``.

https://ai.google.dev/api/embeddings : each request of the batch is an ``EmbedContentRequest``
(``model`` as ``models/{model}``, ``content.parts[].text``, optional ``taskType`` and
``outputDimensionality``, which truncates the vector); the answer's ``embeddings[i].values``
are in the order of the requests. A batch takes at most 100 requests: the reference does not
say so, the API does ("BatchEmbedContentsRequest.requests: at most 100 requests can be in one
batch", https://github.com/langchain-ai/langchainjs/issues/4491). The answer reports no
token usage, so a Gemini :class:`~typedllm.Embeddings` has no usage and no cost.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import orjson

from .._wire import EncodedRequest, WireResponse
from ._embeddings import (
    DecodedEmbeddings,
    EmbeddingCodec,
    EmbeddingRequest,
    check_count,
    json_object,
    vector_of,
)

__all__ = ["CODECS", "decode", "encode"]


def encode(request: EmbeddingRequest) -> EncodedRequest:
    """The ``batchEmbedContents`` request of one batch."""
    name = f"models/{request.model}"
    items: list[dict[str, Any]] = []
    for text in request.texts:
        item: dict[str, Any] = {"model": name, "content": {"parts": [{"text": text}]}}
        if request.input_type is not None:
            item["taskType"] = request.input_type
        if request.dimensions is not None:
            item["outputDimensionality"] = request.dimensions
        items.append(item)
    path = f"/models/{quote(request.model, safe='')}:batchEmbedContents"
    return EncodedRequest(
        "embeddings",
        path,
        orjson.dumps({"requests": items}),
        {"content-type": "application/json", "accept": "application/json"},
    )


def decode(provider: str, response: WireResponse, count: int) -> DecodedEmbeddings:
    """The vectors of a batch of ``count`` texts."""
    body = json_object(provider, response)
    raw = body.get("embeddings")
    items: list[Any] = raw if isinstance(raw, list) else []  # pyright: ignore[reportUnknownVariableType]
    vectors = tuple(
        vector_of(provider, response, item.get("values") if isinstance(item, dict) else None)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        for item in items
    )
    check_count(provider, response, vectors, count)
    return DecodedEmbeddings(vectors, None)


CODECS = {"gemini-embeddings": EmbeddingCodec("gemini-embeddings", encode, decode, 100)}
