"""The codec registry: wire names to codecs (replaces a provider-string table in the client).

The built-in wires are imported on first use, so ``import typedllm`` does not pay for every
wire; a new wire registers itself with :func:`register_codec` and is then usable by any host.
"""

from __future__ import annotations

import importlib
import threading

from .._errors import ConfigurationError
from ._base import Codec

__all__ = ["codec_names", "get_codec", "register_codec"]

_BUILTIN: dict[str, str] = {
    "openai-chat": "typedllm.codecs.openai_chat",
    "openai-responses": "typedllm.codecs.openai_responses",
    "anthropic-messages": "typedllm.codecs.anthropic",
    "anthropic-bedrock": "typedllm.codecs.anthropic_bedrock",
    "anthropic-vertex": "typedllm.codecs.anthropic_vertex",
    "gemini-generate-content": "typedllm.codecs.gemini",
    "azure-openai-chat": "typedllm.codecs.azure_openai",
    "ollama-chat": "typedllm.codecs.ollama",
    "cohere-chat": "typedllm.codecs.cohere",
}
_codecs: dict[str, Codec] = {}
_lock = threading.Lock()


def register_codec(codec: Codec, *, replace: bool = False) -> None:
    """Make ``codec`` available under ``codec.name``.

    Registering a name twice is an error unless ``replace=True`` (tests, forks of a wire)."""
    with _lock:
        if not replace and (codec.name in _codecs or codec.name in _BUILTIN):
            raise ConfigurationError(f"a codec named {codec.name!r} is already registered")
        _codecs[codec.name] = codec


def get_codec(name: str) -> Codec:
    """The codec registered under ``name``."""
    codec = _codecs.get(name)
    if codec is not None:
        return codec
    module_name = _BUILTIN.get(name)
    if module_name is None:
        raise ConfigurationError(f"no codec named {name!r}; known: {codec_names()}")
    loaded: Codec = importlib.import_module(module_name).CODEC
    with _lock:
        return _codecs.setdefault(name, loaded)


def codec_names() -> list[str]:
    """Every registered and built-in wire name, sorted."""
    return sorted({*_codecs, *_BUILTIN})
