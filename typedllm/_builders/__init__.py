"""Type-state builders, one module per provider; shared state markers in ``_states``."""

from __future__ import annotations

from ._states import ChatModel, CompatibleModel, NoModel, ReasoningModel
from .openai import (
    OpenAIBuilder,
    OpenAICompatibleBuilder,
    ReasoningEffort,
    openai,
    openai_compatible,
)

__all__ = [
    "ChatModel",
    "CompatibleModel",
    "NoModel",
    "OpenAIBuilder",
    "OpenAICompatibleBuilder",
    "ReasoningEffort",
    "ReasoningModel",
    "openai",
    "openai_compatible",
]
