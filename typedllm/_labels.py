"""A short, secret-free label per client, for the wrappers that choose or guard clients
(fallback, circuit breaker, router) and their errors."""

from __future__ import annotations

from ._client import Client
from ._protocol import ClientWrapper, Completer

__all__ = ["label_of"]


def label_of(client: Completer) -> str:
    """A short, secret-free name for a client: ``"openai:gpt-4o-mini"`` for a
    :class:`~typedllm.Client`, the inner client's label for a :class:`~typedllm.ClientWrapper`,
    a ``label`` attribute for other completers that have one (fallbacks and routers), else the
    class name."""
    while isinstance(client, ClientWrapper):
        client = client.inner
    if isinstance(client, Client):
        return f"{client.config.provider}:{client.model}"
    label = getattr(client, "label", None)
    return label if isinstance(label, str) else type(client).__name__
