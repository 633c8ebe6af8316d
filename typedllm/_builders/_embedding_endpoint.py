"""Where a provider serves embeddings: the record each chat builder returns from its
``_embedding_endpoint(model)``, so that the embedding builder needs no provider of its own."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..hosts import Auth, Host

__all__ = ["EmbeddingEndpoint", "env_url"]


@dataclass(frozen=True, slots=True)
class EmbeddingEndpoint:
    """Where a provider serves embeddings: each chat builder says so in its
    ``_embedding_endpoint(model)`` (the embedding builder knows no provider itself)."""

    provider: str
    wire: str
    error_wire: str  # the chat wire whose decode_error reads this host's error bodies
    model: str
    host: Host
    auth: Auth | None


def env_url(name: str) -> str | None:
    """A base URL from the environment variable ``name`` (``None`` when unset)."""
    value = os.environ.get(name, "").strip()
    return value.rstrip("/") or None
