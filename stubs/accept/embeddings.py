"""Accepted: embedding-model builders and the typed Embeddings record."""

from __future__ import annotations

from typing_extensions import assert_type

import typedllm as tl

openai_builder = tl.openai().api_key("k").embedding_model("text-embedding-3-small")
assert_type(openai_builder, tl.EmbeddingBuilder)
assert_type(openai_builder.dimensions(256).batch_size(100), tl.EmbeddingBuilder)
assert_type(
    tl.openai().embedding_model("my-embedder", like="text-embedding-3-large"),
    tl.EmbeddingBuilder,
)
assert_type(openai_builder.timeout(5).deadline(30).max_retries(1), tl.EmbeddingBuilder)

embedder = openai_builder.build()
assert_type(embedder, tl.Embedder)
result = embedder.embed(["a", "b"])
assert_type(result, tl.Embeddings)
assert_type(result.vectors, list[list[float]])
assert_type(result.usage, tl.Usage)
assert_type(result.cost, float | None)
assert_type(result.dimensions, int)
assert_type(embedder.embed_one("a"), list[float])
assert_type(embedder.dimensions, int | None)


async def run() -> None:
    """The async side returns the same records."""
    assert_type(await embedder.aembed(["a"]), tl.Embeddings)
    assert_type(await embedder.aembed_one("a"), list[float])


cohere_builder = tl.cohere().embedding_model("embed-v4.0")
assert_type(cohere_builder, tl.CohereEmbeddingBuilder)
assert_type(cohere_builder.input_type("search_query").dimensions(512), tl.CohereEmbeddingBuilder)
gemini_builder = tl.gemini().embedding_model("gemini-embedding-001")
assert_type(gemini_builder.task_type("RETRIEVAL_QUERY"), tl.GeminiEmbeddingBuilder)
assert_type(tl.ollama().embedding_model("nomic-embed-text").build(), tl.Embedder)
assert_type(tl.mistral().embedding_model("mistral-embed"), tl.EmbeddingBuilder)
assert_type(tl.vllm().embedding_model("BAAI/bge-m3"), tl.EmbeddingBuilder)
assert_type(tl.azure_openai().embedding_model("text-embedding-3-small"), tl.EmbeddingBuilder)
assert_type(
    tl.openai_compatible("http://127.0.0.1:8000/v1").embedding_model("bge"), tl.EmbeddingBuilder
)
