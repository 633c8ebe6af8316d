"""The model catalog: capabilities and prices as data (``data/*.json``), typed by generation."""

from __future__ import annotations

from ._anthropic_models import (
    ANTHROPIC_MODELS,
    AnthropicModelName,
    AnthropicStandardModelName,
    AnthropicThinkingModelName,
)
from ._cohere_models import (
    COHERE_MODELS,
    CohereModelName,
    CohereStandardModelName,
    CohereThinkingModelName,
)
from ._gemini_models import (
    GEMINI_MODELS,
    GeminiModelName,
    GeminiStandardModelName,
    GeminiThinkingModelName,
)
from ._model import ModelInfo, StructuredOutputSupport
from ._openai_models import (
    OPENAI_MODELS,
    OpenAIChatModelName,
    OpenAIModelName,
    OpenAIReasoningHighModelName,
    OpenAIReasoningLowMediumHighModelName,
    OpenAIReasoningLowMediumHighXhighMaxModelName,
    OpenAIReasoningMinimalLowMediumHighModelName,
    OpenAIReasoningModelName,
    OpenAIReasoningNoneLowMediumHighModelName,
    OpenAIReasoningNoneLowMediumHighXhighMaxModelName,
    OpenAIReasoningNoneLowMediumHighXhighModelName,
)

__all__ = [
    "ANTHROPIC_MODELS",
    "COHERE_MODELS",
    "GEMINI_MODELS",
    "OPENAI_MODELS",
    "AnthropicModelName",
    "AnthropicStandardModelName",
    "AnthropicThinkingModelName",
    "CohereModelName",
    "CohereStandardModelName",
    "CohereThinkingModelName",
    "GeminiModelName",
    "GeminiStandardModelName",
    "GeminiThinkingModelName",
    "ModelInfo",
    "OpenAIChatModelName",
    "OpenAIModelName",
    "OpenAIReasoningHighModelName",
    "OpenAIReasoningLowMediumHighModelName",
    "OpenAIReasoningLowMediumHighXhighMaxModelName",
    "OpenAIReasoningMinimalLowMediumHighModelName",
    "OpenAIReasoningModelName",
    "OpenAIReasoningNoneLowMediumHighModelName",
    "OpenAIReasoningNoneLowMediumHighXhighMaxModelName",
    "OpenAIReasoningNoneLowMediumHighXhighModelName",
    "StructuredOutputSupport",
    "lookup",
]


def lookup(provider: str, name: str) -> ModelInfo | None:
    """The catalog record of a model, or ``None`` when it is not listed.

    Only the providers with a catalog (OpenAI, Anthropic, Gemini, Cohere) have records; the
    clients of host presets, Ollama and OpenAI-compatible servers take their ``model_info``
    from the model's family profile (:func:`typedllm._catalog._families.model_info_for`),
    without prices, so their ``Completion.cost`` is ``None``."""
    catalogs = {
        "openai": OPENAI_MODELS,
        "anthropic": ANTHROPIC_MODELS,
        "gemini": GEMINI_MODELS,
        "cohere": COHERE_MODELS,
    }
    catalog = catalogs.get(provider)
    return catalog.get(name) if catalog is not None else None
