"""The model catalog: capabilities and prices as data (``data/*.json``), typed by generation."""

from __future__ import annotations

from ._model import ModelInfo, StructuredOutputSupport
from ._openai_models import (
    OPENAI_MODELS,
    OpenAIChatModelName,
    OpenAIModelName,
    OpenAIReasoningModelName,
)

__all__ = [
    "OPENAI_MODELS",
    "ModelInfo",
    "OpenAIChatModelName",
    "OpenAIModelName",
    "OpenAIReasoningModelName",
    "StructuredOutputSupport",
    "lookup",
]


def lookup(provider: str, name: str) -> ModelInfo | None:
    """The catalog record of a model, or ``None`` when it is not listed."""
    if provider == "openai":
        return OPENAI_MODELS.get(name)
    return None
