"""Phantom state markers for the type-state builders.

A builder's type parameters are these marker classes; they never have instances. Their names
are chosen so a type error reads like a sentence: ``OpenAIBuilder[NoModel]`` has no ``build``.
"""

from __future__ import annotations

__all__ = [
    "ChatModel",
    "CompatibleModel",
    "Neutral",
    "NoModel",
    "ReasoningModel",
    "StandardModel",
    "TemperatureSet",
    "ThinkingModel",
    "ThinkingOn",
]


class NoModel:
    """No model chosen yet: ``build()`` and model-dependent options are unavailable."""


class ChatModel:
    """A sampling chat model: ``temperature``/``top_p`` allowed, no reasoning effort."""


class ReasoningModel:
    """A reasoning model: ``reasoning_effort`` allowed, no ``temperature``/``top_p``."""


class CompatibleModel:
    """A model on an OpenAI-compatible server: capabilities unknown, every option allowed."""


class ThinkingModel:
    """A model with extended thinking: ``.thinking(budget_tokens=...)`` is available."""


class StandardModel:
    """A model without extended thinking: ``.thinking()`` is unavailable."""


class Neutral:
    """Neither a sampling option nor thinking chosen yet: either may follow."""


class TemperatureSet:
    """A sampling option (temperature/top_p/top_k) is set: thinking is no longer available
    (Anthropic rejects sampling changes together with extended thinking)."""


class ThinkingOn:
    """Extended thinking is on: sampling options are no longer available."""
