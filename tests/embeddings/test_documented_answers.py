"""Answers in the shapes the providers' API references show (no embeddings recordings exist
in the conformance corpus), decoded by each wire."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from typedllm._wire import WireResponse
from typedllm.codecs._embeddings import embedding_codec

# https://developers.openai.com/api/reference/resources/embeddings
OPENAI = {
    "object": "list",
    "data": [{"object": "embedding", "embedding": [0.0023, -0.0093, 0.0152], "index": 0}],
    "model": "text-embedding-3-small",
    "usage": {"prompt_tokens": 8, "total_tokens": 8},
}
# https://ai.google.dev/api/embeddings (batchEmbedContents: ``embeddings[].values``)
GEMINI = {"embeddings": [{"values": [0.01, -0.02, 0.03]}]}
# https://docs.ollama.com/api/embed
OLLAMA = {
    "model": "embeddinggemma",
    "embeddings": [[0.0100, -0.0017, 0.0500]],
    "total_duration": 14143917,
    "load_duration": 1019500,
    "prompt_eval_count": 8,
}
# https://docs.cohere.com/reference/embed
COHERE = {
    "id": "da6e531f-54c6-4a73-bf92-f60566d8d753",
    "embeddings": {"float": [[0.016, -0.008, 0.031]]},
    "texts": ["hello"],
    "meta": {"api_version": {"version": "2"}, "billed_units": {"input_tokens": 8}},
    "response_type": "embeddings_by_type",
}


@pytest.mark.parametrize(
    ("wire", "body", "tokens"),
    [
        ("openai-embeddings", OPENAI, 8),
        ("azure-embeddings", OPENAI, 8),
        ("mistral-embeddings", OPENAI, 8),
        ("gemini-embeddings", GEMINI, None),
        ("ollama-embeddings", OLLAMA, 8),
        ("cohere-embeddings", COHERE, 8),
    ],
)
def test_documented_answer_decodes(wire: str, body: Any, tokens: int | None) -> None:
    response = WireResponse(200, {"content-type": "application/json"}, orjson.dumps(body))
    decoded = embedding_codec(wire).decode("p", response, 1)
    assert len(decoded.vectors) == 1 and len(decoded.vectors[0]) == 3
    assert all(isinstance(v, float) for v in decoded.vectors[0])
    assert decoded.input_tokens == tokens
