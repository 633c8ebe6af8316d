"""Type-state builders, one module per provider; shared state markers in ``_states``."""

from __future__ import annotations

from ._states import (
    ChatModel,
    CompatibleModel,
    ModelChosen,
    Neutral,
    NoModel,
    ReasoningHigh,
    ReasoningLowMediumHigh,
    ReasoningLowMediumHighXhighMax,
    ReasoningMinimalLowMediumHigh,
    ReasoningModel,
    ReasoningNoneLowMediumHigh,
    ReasoningNoneLowMediumHighXhigh,
    ReasoningNoneLowMediumHighXhighMax,
    StandardModel,
    TemperatureSet,
    ThinkingModel,
    ThinkingOn,
)
from .anthropic import AnthropicBuilder, anthropic
from .azure_openai import AzureOpenAIBuilder, azure_openai
from .cohere import CohereBuilder, cohere
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
    "AzureOpenAIBuilder",
    "ChatModel",
    "CohereBuilder",
    "CompatibleModel",
    "GeminiBuilder",
    "ModelChosen",
    "Neutral",
    "NoModel",
    "OllamaBuilder",
    "OpenAIBuilder",
    "OpenAICompatibleBuilder",
    "ReasoningEffort",
    "ReasoningHigh",
    "ReasoningLowMediumHigh",
    "ReasoningLowMediumHighXhighMax",
    "ReasoningMinimalLowMediumHigh",
    "ReasoningModel",
    "ReasoningNoneLowMediumHigh",
    "ReasoningNoneLowMediumHighXhigh",
    "ReasoningNoneLowMediumHighXhighMax",
    "StandardModel",
    "TemperatureSet",
    "ThinkingModel",
    "ThinkingOn",
    "anthropic",
    "azure_openai",
    "cohere",
    "gemini",
    "ollama",
    "openai",
    "openai_compatible",
]
