"""Phantom state markers for the type-state builders.

A builder's type parameters are these marker classes; they never have instances. Their names
are chosen so a type error reads like a sentence: ``OpenAIBuilder[NoModel]`` has no ``build``.
"""

from __future__ import annotations

__all__ = ["ChatModel", "CompatibleModel", "NoModel", "ReasoningModel"]


class NoModel:
    """No model chosen yet: ``build()`` and model-dependent options are unavailable."""


class ChatModel:
    """A sampling chat model: ``temperature``/``top_p`` allowed, no reasoning effort."""


class ReasoningModel:
    """A reasoning model: ``reasoning_effort`` allowed, no ``temperature``/``top_p``."""


class CompatibleModel:
    """A model on an OpenAI-compatible server: capabilities unknown, every option allowed."""
