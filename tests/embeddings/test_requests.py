"""Request shapes of every embeddings wire, as the providers document them, and the decoding
of their answers."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

import typedllm as tl
from typedllm._errors import ProtocolError
from typedllm._wire import WireResponse
from typedllm.codecs._embeddings import EmbeddingRequest, embedding_codec
from typedllm.testing import FakeProvider


def _sent(builder: Any, texts: list[str]) -> tuple[FakeProvider, Any, tl.Embeddings]:
    fake = FakeProvider()
    embedder = builder.transport(fake).build()
    result = embedder.embed(texts)
    assert len(fake.requests) == 1
    return fake, fake.requests[0], result


def test_openai_request_shape() -> None:
    builder = tl.openai().api_key("sk-test").embedding_model("text-embedding-3-small")
    _fake, request, result = _sent(builder.dimensions(64), ["a", "b"])
    assert request.method == "POST" and request.path == "/v1/embeddings"
    assert request.json == {
        "model": "text-embedding-3-small",
        "input": ["a", "b"],
        "encoding_format": "float",
        "dimensions": 64,
    }
    assert request.headers["authorization"] == "***"  # redacted, but sent
    assert result.dimensions == 64 and all(len(v) == 64 for v in result.vectors)


def test_openai_without_dimensions_sends_none_and_gets_the_catalog_size() -> None:
    builder = tl.openai().api_key("sk-test").embedding_model("text-embedding-3-large")
    _fake, request, result = _sent(builder, ["x"])
    assert "dimensions" not in request.json
    assert result.dimensions == 3072


def test_azure_deployment_path_and_api_version() -> None:
    fake = FakeProvider()
    builder = (
        tl.azure_openai()
        .endpoint("https://res.openai.azure.com")
        .api_key("azure-key")
        .deployment("emb-prod")
        .embedding_model("text-embedding-3-small")
        .transport(fake)
    )
    builder.build().embed(["hi"])
    request = fake.requests[0]
    assert request.path == "/openai/deployments/emb-prod/embeddings"
    assert "model" not in request.json  # the path names the deployment
    assert request.json["input"] == ["hi"]
    assert request.headers["api-key"] == "***"


def test_azure_v1_api_sends_the_deployment_as_model() -> None:
    fake = FakeProvider()
    builder = (
        tl.azure_openai()
        .endpoint("https://res.openai.azure.com")
        .api_key("azure-key")
        .v1()
        .embedding_model("text-embedding-3-small")
        .transport(fake)
    )
    builder.build().embed(["hi"])
    assert fake.requests[0].path == "/openai/v1/embeddings"
    assert fake.requests[0].json["model"] == "text-embedding-3-small"


def test_gemini_batch_embed_contents_shape() -> None:
    builder = (
        tl.gemini()
        .api_key("g-key")
        .embedding_model("gemini-embedding-001")
        .task_type("RETRIEVAL_DOCUMENT")
        .dimensions(768)
    )
    _fake, request, result = _sent(builder, ["one", "two"])
    assert request.path == "/v1beta/models/gemini-embedding-001:batchEmbedContents"
    assert request.json == {
        "requests": [
            {
                "model": "models/gemini-embedding-001",
                "content": {"parts": [{"text": text}]},
                "taskType": "RETRIEVAL_DOCUMENT",
                "outputDimensionality": 768,
            }
            for text in ("one", "two")
        ]
    }
    assert request.headers["x-goog-api-key"] == "***"
    assert result.dimensions == 768
    # Gemini reports no token usage: no cost is invented.
    assert result.usage.input_tokens == 0 and result.cost is None


def test_gemini_on_vertex_is_refused_clearly() -> None:
    builder = tl.gemini().vertex(project="p", location="us-central1").api_key("tok")
    with pytest.raises(tl.ConfigurationError, match="Vertex AI"):
        builder.embedding_model("gemini-embedding-001").build()


def test_ollama_shape() -> None:
    builder = tl.ollama().embedding_model("nomic-embed-text").dimensions(32)
    _fake, request, result = _sent(builder, ["a"])
    assert request.path == "/api/embed"
    assert request.json == {"model": "nomic-embed-text", "input": ["a"], "dimensions": 32}
    assert result.usage.input_tokens > 0 and result.cost is None  # local: no price


def test_cohere_shape_with_input_type() -> None:
    builder = (
        tl.cohere()
        .api_key("co-key")
        .embedding_model("embed-v4.0")
        .input_type("search_query")
        .dimensions(512)
    )
    _fake, request, result = _sent(builder, ["q"])
    assert request.path == "/v2/embed"
    assert request.json == {
        "model": "embed-v4.0",
        "texts": ["q"],
        "input_type": "search_query",
        "embedding_types": ["float"],
        "output_dimension": 512,
    }
    assert result.dimensions == 512


def test_cohere_default_input_type_is_search_document() -> None:
    builder = tl.cohere().api_key("co-key").embedding_model("embed-english-v3.0")
    _fake, request, _result = _sent(builder, ["d"])
    assert request.json["input_type"] == "search_document"
    assert "output_dimension" not in request.json


def test_mistral_uses_output_dimension() -> None:
    builder = tl.mistral().api_key("m-key").embedding_model("codestral-embed").dimensions(256)
    _fake, request, result = _sent(builder, ["def f(): pass"])
    assert request.path == "/v1/embeddings"
    assert request.json == {
        "model": "codestral-embed",
        "input": ["def f(): pass"],
        "output_dimension": 256,
    }
    assert result.dimensions == 256


@pytest.mark.parametrize("entry", ["vllm", "llamacpp", "lmstudio", "together", "fireworks"])
def test_compatible_hosts_with_embeddings(entry: str) -> None:
    builder = getattr(tl, entry)().api_key("k").embedding_model("some/embedder")
    _fake, request, _result = _sent(builder, ["a"])
    assert request.path.endswith("/embeddings")
    assert request.json["model"] == "some/embedder"


def test_hosts_without_embeddings_refuse() -> None:
    with pytest.raises(tl.ConfigurationError, match="no embeddings endpoint"):
        tl.groq().embedding_model("x")


def test_openai_compatible_base_url() -> None:
    builder = tl.openai_compatible("http://127.0.0.1:8000/v1").embedding_model("bge")
    _fake, request, _result = _sent(builder, ["a"])
    assert request.path == "/v1/embeddings"


def _response(body: Any, status: int = 200) -> WireResponse:
    return WireResponse(status, {"content-type": "application/json"}, orjson.dumps(body))


def test_openai_decode_orders_by_index() -> None:
    codec = embedding_codec("openai-embeddings")
    body = {
        "data": [
            {"index": 1, "embedding": [0.0, 1.0]},
            {"index": 0, "embedding": [1.0, 0.0]},
        ],
        "model": "text-embedding-3-small",
        "usage": {"prompt_tokens": 7, "total_tokens": 7},
    }
    decoded = codec.decode("openai", _response(body), 2)
    assert decoded.vectors == ((1.0, 0.0), (0.0, 1.0))
    assert decoded.input_tokens == 7 and decoded.model == "text-embedding-3-small"


@pytest.mark.parametrize(
    ("wire", "body"),
    [
        ("openai-embeddings", {"data": [{"index": 0, "embedding": [1.0]}]}),
        ("openai-embeddings", {"data": [{"index": 0, "embedding": ["x"]}, {"index": 1}]}),
        ("gemini-embeddings", {"embeddings": [{"values": [1.0]}]}),
        ("ollama-embeddings", {"embeddings": []}),
        ("cohere-embeddings", {"embeddings": {"int8": [[1], [2]]}}),
        ("cohere-embeddings", ["not", "an", "object"]),
    ],
)
def test_decode_refuses_a_lost_or_bad_vector(wire: str, body: Any) -> None:
    with pytest.raises(ProtocolError):
        embedding_codec(wire).decode("p", _response(body), 2)


def test_codecs_are_pure_and_deterministic() -> None:
    request = EmbeddingRequest("m", ("a", "b"), 8, "search_query")
    for wire in (
        "openai-embeddings",
        "gemini-embeddings",
        "ollama-embeddings",
        "cohere-embeddings",
    ):
        codec = embedding_codec(wire)
        assert codec.encode(request) == codec.encode(request)
        assert codec.encode(request).operation == "embeddings"


def test_unknown_wire_is_a_configuration_error() -> None:
    with pytest.raises(tl.ConfigurationError, match="no embeddings wire"):
        embedding_codec("nope")


def test_request_for_builds_the_first_batch_without_sending() -> None:
    fake = FakeProvider()
    embedder = (
        tl.cohere()
        .api_key("co-secret-key")
        .transport(fake)
        .embedding_model("embed-v4.0")
        .input_type("clustering")
        .build()
    )
    request = embedder.request_for([f"t{i}" for i in range(200)])
    assert request.url == "https://api.cohere.com/v2/embed"
    assert request.headers["authorization"] == "Bearer co-secret-key"
    assert "co-secret-key" not in repr(request)
    body = orjson.loads(request.body)
    assert len(body["texts"]) == 96 and body["input_type"] == "clustering"
    assert fake.calls == 0
