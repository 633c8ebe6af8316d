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
from .cohere import CohereBuilder, cohere
from .gemini import GeminiBuilder, gemini
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
    "CohereBuilder",
    "CompatibleModel",
    "GeminiBuilder",
    "ModelChosen",
    "Neutral",
    "NoModel",
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
    "cohere",
    "gemini",
    "openai",
    "openai_compatible",
]
