"""The fake provider's embeddings endpoints: OpenAI-style ``/embeddings`` (OpenAI, Azure,
Mistral, the compatible hosts), Gemini ``:embedContent``/``:batchEmbedContents``, Ollama
``/api/embed`` and Cohere ``/v2/embed``.

Vectors are deterministic: each text's vector is drawn from a generator seeded with a hash of
the text, then unit-normalised, so the same text always gets the same vector and different
texts get (almost surely) different ones. The size is the request's own (``dimensions``,
``output_dimension``, ``outputDimensionality``), else the catalog's default for the model,
else 16. A scripted ``FakeReply.of_json([[...], ...])`` answers those vectors instead; error
replies and raw bodies render as the provider's chat responder renders them.
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from dataclasses import dataclass
from typing import Any

import orjson

from .._catalog._embedding_models import embedding_models
from .._jsonutil import as_dict
from . import _cohere_wire, _gemini_wire, _ollama_wire, _openai_wire
from ._replies import FakeReply

__all__ = ["DEFAULT_DIMENSIONS", "EmbeddingResponder", "fake_vector", "responder_for"]

DEFAULT_DIMENSIONS = 16
"""The size of the fake's vectors for a model the catalog does not list."""


def fake_vector(text: str, dimensions: int) -> list[float]:
    """The fake's deterministic unit vector of ``text``."""
    seed = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    rng = random.Random(seed)
    values = [rng.gauss(0.0, 1.0) for _ in range(dimensions)]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


def _tokens(text: str) -> int:
    return max(1, math.ceil(len(text) / 4))


def _catalog_size(model: str) -> int:
    name = model.removeprefix("models/")
    for provider in ("openai", "gemini", "cohere", "mistral"):
        info = embedding_models(provider).get(name)
        if info is not None:
            return info.dimensions
    return DEFAULT_DIMENSIONS


def _size(value: object, model: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    return _catalog_size(model)


def _scripted(reply: FakeReply, count: int) -> list[list[float]] | None:
    if reply.text is None:
        return None
    try:
        value = orjson.loads(reply.text)
    except orjson.JSONDecodeError:
        return None
    if isinstance(value, list) and len(value) == count and all(isinstance(v, list) for v in value):  # pyright: ignore[reportUnknownArgumentType, reportUnknownVariableType]
        return value  # pyright: ignore[reportUnknownVariableType]
    return None


@dataclass(frozen=True)
class EmbeddingResponder:
    """One embeddings endpoint of the fake (the responder interface of ``_fake``)."""

    kind: str  # openai, gemini, ollama, cohere
    errors: Any  # the chat responder module whose error bodies this provider uses

    def auto_reply(self, body: dict[str, Any]) -> FakeReply:
        """The auto-mode answer: vectors computed from the request at render time."""
        return FakeReply()

    def _texts(self, body: dict[str, Any], path_model: str) -> tuple[list[str], str, int]:
        if self.kind == "gemini":
            requests: list[Any] = body.get("requests") or [body]
            texts: list[str] = []
            size = 0
            for item in requests:
                entry = as_dict(item)
                parts: list[Any] = as_dict(entry.get("content")).get("parts") or []
                texts.append("".join(str(as_dict(p).get("text", "")) for p in parts))
                size = _size(entry.get("outputDimensionality"), path_model)
            return texts, path_model, size
        model = str(body.get("model") or path_model)
        key = "texts" if self.kind == "cohere" else "input"
        raw = body.get(key)
        items: list[Any] = raw if isinstance(raw, list) else [raw] if raw is not None else []  # pyright: ignore[reportUnknownVariableType]
        texts = [str(t) for t in items]
        wanted = body.get("dimensions", body.get("output_dimension"))
        return texts, model, _size(wanted, model)

    def render(
        self, body: dict[str, Any], reply: FakeReply, index: int, path: str
    ) -> tuple[int, dict[str, str], bytes]:
        """Render ``reply`` as this endpoint's HTTP response."""
        if reply.raw_body is not None or reply.status >= 400:
            rendered: tuple[int, dict[str, str], bytes] = self.errors.render_reply(
                body, reply, index
            )
            return rendered
        match = re.search(r"/models/([^/:]+):", path)
        deployment = re.search(r"/deployments/([^/]+)/", path)
        path_model = match.group(1) if match else deployment.group(1) if deployment else "fake"
        texts, model, size = self._texts(body, path_model)
        vectors = _scripted(reply, len(texts)) or [fake_vector(t, size) for t in texts]
        tokens = sum(_tokens(t) for t in texts)
        headers = {"content-type": "application/json", **reply.headers}
        return 200, headers, orjson.dumps(self._body(path, model, vectors, tokens))

    def _body(self, path: str, model: str, vectors: list[list[float]], tokens: int) -> Any:
        if self.kind == "gemini":
            if path.endswith(":embedContent"):
                return {"embedding": {"values": vectors[0]}}
            return {"embeddings": [{"values": v} for v in vectors]}
        if self.kind == "ollama":
            return {"model": model, "embeddings": vectors, "prompt_eval_count": tokens}
        if self.kind == "cohere":
            return {
                "id": "fake-embed",
                "embeddings": {"float": vectors},
                "texts": [],
                "meta": {"billed_units": {"input_tokens": tokens}},
            }
        return {
            "object": "list",
            "data": [
                {"object": "embedding", "index": i, "embedding": v} for i, v in enumerate(vectors)
            ],
            "model": model,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }


_GEMINI_EMBED = re.compile(
    r"(?:/[^/]+)*/(?:v1|v1beta|v1alpha)/models/[^/:]+:(?:embedContent|batchEmbedContents)"
)
_RESPONDERS = {
    "openai": EmbeddingResponder("openai", _openai_wire),
    "gemini": EmbeddingResponder("gemini", _gemini_wire),
    "ollama": EmbeddingResponder("ollama", _ollama_wire),
    "cohere": EmbeddingResponder("cohere", _cohere_wire),
}


def responder_for(path: str) -> EmbeddingResponder | None:
    """The embeddings endpoint at ``path``, or ``None``."""
    if path.endswith("/api/embed"):
        return _RESPONDERS["ollama"]
    if path.endswith("/v2/embed"):
        return _RESPONDERS["cohere"]
    if path.endswith("/embeddings"):
        return _RESPONDERS["openai"]
    if _GEMINI_EMBED.fullmatch(path):
        return _RESPONDERS["gemini"]
    return None
