"""The OpenAI embeddings wire (``POST /embeddings``), also served by Azure OpenAI (on a
deployment path), Mistral and the OpenAI-compatible servers (vLLM, llama.cpp, LM Studio ...).

OpenAI: https://developers.openai.com/api/reference/resources/embeddings : ``input`` is a
string or an array of strings (at most 2048 per request, none empty), each input at most 8192
tokens and at most 300,000 tokens summed over one request; ``dimensions`` only on
``text-embedding-3`` and later; the answer's ``data[i].index`` says which input a vector is
for, ``usage.prompt_tokens`` what was billed.

Mistral: https://docs.mistral.ai/api/endpoint/embeddings : the same shape; the output size is
``output_dimension`` (codestral-embed, https://docs.mistral.ai/capabilities/embeddings/), not
``dimensions``; floats are its default output (``output_dtype``), so none is asked for.
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

__all__ = ["CODECS", "decode", "encode", "encode_azure_deployment", "encode_mistral"]

_HEADERS = {"content-type": "application/json", "accept": "application/json"}


def _body(request: EmbeddingRequest, dimensions_field: str) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": request.model,
        "input": list(request.texts),
        "encoding_format": "float",
    }
    if request.dimensions is not None:
        body[dimensions_field] = request.dimensions
    return body


def encode(request: EmbeddingRequest) -> EncodedRequest:
    """The OpenAI embeddings request of one batch."""
    body = orjson.dumps(_body(request, "dimensions"))
    return EncodedRequest("embeddings", "/embeddings", body, _HEADERS)


def encode_mistral(request: EmbeddingRequest) -> EncodedRequest:
    """Mistral's embeddings request of one batch (``output_dimension``; the default float
    output, so neither ``encoding_format`` nor ``output_dtype``)."""
    body = _body(request, "output_dimension")
    del body["encoding_format"]
    return EncodedRequest("embeddings", "/embeddings", orjson.dumps(body), _HEADERS)


def encode_azure_deployment(request: EmbeddingRequest) -> EncodedRequest:
    """Azure OpenAI's request on a deployment URL: the path names the deployment, so the body
    has no ``model``
    (https://learn.microsoft.com/azure/ai-foundry/openai/reference#embeddings)."""
    body = _body(request, "dimensions")
    del body["model"]
    return EncodedRequest("embeddings", "/embeddings", orjson.dumps(body), _HEADERS)


def decode(provider: str, response: WireResponse, count: int) -> DecodedEmbeddings:
    """The vectors of a batch of ``count`` texts, put in input order by their ``index``."""
    body = json_object(provider, response)
    data = body.get("data")
    items: list[Any] = data if isinstance(data, list) else []  # pyright: ignore[reportUnknownVariableType]
    placed: dict[int, tuple[float, ...]] = {}
    for position, item in enumerate(items):
        entry: dict[str, Any] = item if isinstance(item, dict) else {}  # pyright: ignore[reportUnknownVariableType]
        index = int_or_none(entry.get("index"))
        placed[position if index is None else index] = vector_of(
            provider, response, entry.get("embedding")
        )
    vectors = tuple(placed[i] for i in sorted(placed))
    check_count(provider, response, vectors, count)
    if sorted(placed) != list(range(count)):
        check_count(provider, response, (), count)
    usage = body.get("usage")
    usage_map: dict[str, Any] = usage if isinstance(usage, dict) else {}  # pyright: ignore[reportUnknownVariableType]
    tokens = int_or_none(usage_map.get("prompt_tokens"))
    if tokens is None:
        tokens = int_or_none(usage_map.get("total_tokens"))
    model = body.get("model")
    return DecodedEmbeddings(vectors, tokens, model if isinstance(model, str) else None)


CODECS = {
    "openai-embeddings": EmbeddingCodec(
        "openai-embeddings", encode, decode, max_batch_items=2048, max_batch_tokens=300_000
    ),
    # https://learn.microsoft.com/azure/ai-foundry/openai/reference#embeddings : the same
    # limits as OpenAI's on current API versions (2048 inputs per request).
    "azure-embeddings": EmbeddingCodec(
        "azure-embeddings",
        encode_azure_deployment,
        decode,
        max_batch_items=2048,
        max_batch_tokens=300_000,
    ),
    # https://docs.mistral.ai/capabilities/embeddings/ : the pages read document no
    # per-request limits; 512 texts and 8192 estimated tokens per request are conservative
    # bounds of ours (8192 is the models' input length).
    "mistral-embeddings": EmbeddingCodec(
        "mistral-embeddings", encode_mistral, decode, max_batch_items=512, max_batch_tokens=8192
    ),
}
