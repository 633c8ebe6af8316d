"""The fake's models endpoints (``GET .../models``, Ollama's ``GET /api/tags``), in each
provider's response shape, listing the catalog's models of that provider (or the fake's own
``models=``).

Pages hold at most :data:`PAGE_SIZE` models (whatever page size the request asks for), so a
client must follow the pagination of Anthropic (``has_more`` / ``after_id``), Gemini
(``nextPageToken``) and Cohere (``next_page_token``) to see them all; OpenAI and Ollama answer
everything at once, as the real services do. Which provider a ``/v1/models`` request is for
is read from what only that provider's requests carry: ``anthropic-version``, Gemini's
``pageSize`` / ``x-goog-api-key``, Cohere's ``page_size``.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

import orjson

from .._catalog import ANTHROPIC_MODELS, COHERE_MODELS, GEMINI_MODELS, OPENAI_MODELS
from .._wire import redact_headers
from . import _anthropic_wire, _cohere_wire, _gemini_wire, _ollama_wire, _openai_wire
from ._keys import authorized
from ._replies import FakeReply, RecordedRequest

__all__ = ["OLLAMA_MODELS", "PAGE_SIZE", "route"]

Rendered = tuple[int, dict[str, str], bytes]

PAGE_SIZE = 5
"""The most models one page of a paginated listing holds."""

OLLAMA_MODELS = ("llama3.2:latest", "qwen2.5:7b", "nomic-embed-text:latest")
"""What the fake Ollama server has pulled (Ollama has no catalog of its own)."""

_CREATED = 1_735_689_600  # 2025-01-01T00:00:00Z: a fixed, deterministic creation time
_CREATED_TEXT = "2025-01-01T00:00:00Z"


class _Fake(Protocol):
    requests: list[RecordedRequest]
    models: tuple[str, ...] | None
    _lock: threading.Lock
    _api_key: str | None


def _provider(path: str, headers: dict[str, str], query: dict[str, list[str]]) -> str | None:
    if path.endswith("/api/tags"):
        return "ollama"
    if not path.endswith("/models"):
        return None
    if "anthropic-version" in headers:
        return "anthropic"
    if "pageSize" in query or "pageToken" in query or "x-goog-api-key" in headers:
        return "gemini"
    if "page_size" in query or "page_token" in query:
        return "cohere"
    return "openai"


_WIRES: dict[str, Any] = {
    "openai": _openai_wire,
    "anthropic": _anthropic_wire,
    "gemini": _gemini_wire,
    "cohere": _cohere_wire,
    "ollama": _ollama_wire,
}
_CATALOGS: dict[str, Sequence[str]] = {
    "openai": tuple(OPENAI_MODELS),
    "anthropic": tuple(ANTHROPIC_MODELS),
    "gemini": tuple(GEMINI_MODELS),
    "cohere": tuple(COHERE_MODELS),
    "ollama": OLLAMA_MODELS,
}


def _window(provider: str, name: str) -> int | None:
    catalog: dict[str, Any] = {
        "anthropic": ANTHROPIC_MODELS,
        "gemini": GEMINI_MODELS,
        "cohere": COHERE_MODELS,
    }.get(provider, {})
    info = catalog.get(name)
    return info.context_window if info is not None else None


def _page(names: Sequence[str], start: int) -> tuple[Sequence[str], int | None]:
    chunk = names[start : start + PAGE_SIZE]
    end = start + len(chunk)
    return chunk, end if end < len(names) else None


def _body(provider: str, names: Sequence[str], query: dict[str, list[str]]) -> dict[str, Any]:
    def first(key: str) -> str | None:
        values = query.get(key)
        return values[0] if values else None

    if provider == "openai":
        data = [
            {"id": n, "object": "model", "created": _CREATED, "owned_by": "system"} for n in names
        ]
        return {"object": "list", "data": data}
    if provider == "ollama":
        models = [
            {
                "name": n,
                "model": n,
                "modified_at": "2025-01-01T00:00:00.000000000Z",
                "size": 2_019_393_189,
                "digest": hashlib.sha256(n.encode()).hexdigest(),
                "details": {"format": "gguf", "family": n.split(":")[0]},
            }
            for n in names
        ]
        return {"models": models}
    if provider == "anthropic":
        after = first("after_id")
        start = names.index(after) + 1 if after in names else 0
        chunk, _ = _page(names, start)
        data = [
            {"type": "model", "id": n, "display_name": n, "created_at": _CREATED_TEXT}
            for n in chunk
        ]
        more = start + len(chunk) < len(names)
        return {
            "data": data,
            "has_more": more,
            "first_id": chunk[0] if chunk else None,
            "last_id": chunk[-1] if chunk else None,
        }
    token = first("pageToken" if provider == "gemini" else "page_token")
    start = int(token) if token and token.isdigit() else 0
    chunk, following = _page(names, start)
    if provider == "gemini":
        gemini: dict[str, Any] = {
            "models": [
                {
                    "name": f"models/{n}",
                    "displayName": n,
                    "inputTokenLimit": _window("gemini", n) or 1_048_576,
                    "outputTokenLimit": 65_536,
                    "supportedGenerationMethods": ["generateContent", "countTokens"],
                }
                for n in chunk
            ]
        }
        if following is not None:
            gemini["nextPageToken"] = str(following)
        return gemini
    cohere: dict[str, Any] = {
        "models": [
            {
                "name": n,
                "endpoints": ["chat"],
                "finetuned": False,
                "context_length": _window("cohere", n) or 128_000,
            }
            for n in chunk
        ]
    }
    if following is not None:
        cohere["next_page_token"] = str(following)
    return cohere


def route(fake: _Fake, method: str, url: str, headers: dict[str, str]) -> Rendered | None:
    """The fake's answer to a models-listing request, or ``None`` when ``url`` is not one
    (recorded like any request; a wrong key gets the provider's 401)."""
    if method != "GET":
        return None
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    provider = _provider(parts.path, headers, query)
    if provider is None:
        return None

    wire = _WIRES[provider]
    with fake._lock:  # pyright: ignore[reportPrivateUsage]
        fake.requests.append(RecordedRequest(method, parts.path, redact_headers(headers), None))
        key = fake._api_key  # pyright: ignore[reportPrivateUsage]
    if key is not None and not authorized(headers, key):
        reply = FakeReply.error(401, "invalid x-api-key / API key provided.")
        rendered: Rendered = wire.render_reply({}, reply, 0)
        return rendered
    names = fake.models if fake.models is not None else _CATALOGS[provider]
    body = orjson.dumps(_body(provider, names, query))
    return 200, {"content-type": "application/json"}, body
