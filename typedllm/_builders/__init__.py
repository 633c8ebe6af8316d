"""Type-state builders, one module per provider; shared state markers in ``_states``."""

from __future__ import annotations

from ._states import (
    ChatModel,
    CompatibleModel,
    ModelChosen,
    Neutral,
    NoModel,
    ReasoningLowMediumHigh,
    ReasoningMinimalLowMediumHigh,
    ReasoningModel,
    ReasoningNoneLowMediumHigh,
    StandardModel,
    TemperatureSet,
    ThinkingModel,
    ThinkingOn,
)
from .anthropic import AnthropicBuilder, anthropic
from .gemini import GeminiBuilder, gemini
from .ollama import OllamaBuilder, ollama
from .openai import (
    OpenAIBuilder,
    OpenAICompatibleBuilder,
    ReasoningEffort,
    openai,
    openai_compatible,
)

__all__ = [
    "AnthropicBuilder",
    "ChatModel",
    "CompatibleModel",
    "GeminiBuilder",
    "ModelChosen",
    "Neutral",
    "NoModel",
    "OllamaBuilder",
    "OpenAIBuilder",
    "OpenAICompatibleBuilder",
    "ReasoningEffort",
    "ReasoningLowMediumHigh",
    "ReasoningMinimalLowMediumHigh",
    "ReasoningModel",
    "ReasoningNoneLowMediumHigh",
    "StandardModel",
    "TemperatureSet",
    "ThinkingModel",
    "ThinkingOn",
    "anthropic",
    "gemini",
    "ollama",
    "openai",
    "openai_compatible",
]
