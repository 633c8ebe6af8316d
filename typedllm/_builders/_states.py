"""Phantom state markers for the type-state builders.

A builder's type parameters are these marker classes; they never have instances. Their names
are chosen so a type error reads like a sentence: ``OpenAIBuilder[NoModel]`` has no ``build``.

Every model family derives from :class:`ModelChosen`, which is what ``build()`` asks for: mypy
joins a list of builders of different families (``[chat_builder, reasoning_builder]``) to their
common base, so the joined builder can still be built (and nothing family-specific applies).

:class:`ReasoningModel` carries the reasoning effort levels the model accepts. The parameter is
contravariant (a builder that accepts more levels can stand in for one that accepts fewer), so
``reasoning_effort`` can solve it from ``self`` and reject other levels. The catalog's effort sets
are generated below as subclasses: mypy joins two instances of one generic class with different
(non-covariant) arguments to ``object``, but distinct subclasses join to their common base.
"""

from __future__ import annotations

from typing import Generic, Literal

from typing_extensions import Never, TypeVar

__all__ = [
    "ChatModel",
    "CompatibleModel",
    "ModelChosen",
    "Neutral",
    "NoModel",
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
]


class NoModel:
    """No model chosen yet: ``build()`` and model-dependent options are unavailable."""


class ModelChosen:
    """A model is chosen: ``build()`` is available (the common base of every model family)."""


class ChatModel(ModelChosen):
    """A sampling chat model: ``temperature``/``top_p`` allowed, no reasoning effort."""


# Defaults to Never ("levels unknown"): every reasoning builder is an
# ``OpenAIBuilder[ReasoningModel]``, and one of unknown levels takes no ``reasoning_effort``.
E_contra = TypeVar("E_contra", contravariant=True, default=Never)


class ReasoningModel(ModelChosen, Generic[E_contra]):
    """A reasoning model taking the reasoning efforts ``E_contra``: ``reasoning_effort``
    allowed (those levels only), no ``temperature``/``top_p``."""


class CompatibleModel(ModelChosen):
    """A model on an OpenAI-compatible server: capabilities unknown, every option allowed."""


class ThinkingModel(ModelChosen):
    """A model with extended thinking: ``.thinking(budget_tokens=...)`` is available."""


class StandardModel(ModelChosen):
    """A model without extended thinking: ``.thinking()`` is unavailable."""


class Neutral:
    """Neither a sampling option nor thinking chosen yet: either may follow."""


class TemperatureSet:
    """A sampling option (temperature/top_p/top_k) is set: thinking is no longer available
    (Anthropic rejects sampling changes together with extended thinking)."""


class ThinkingOn:
    """Extended thinking is on: sampling options are no longer available."""


# BEGIN GENERATED: effort states (scripts/generate_catalog.py)


class ReasoningLowMediumHigh(ReasoningModel[Literal["low", "medium", "high"]], ModelChosen):
    """A reasoning model taking reasoning_effort "low", "medium", "high"
    (o1, o1-2024-12-17, o3, o3-2025-04-16, ...)."""


class ReasoningMinimalLowMediumHigh(
    ReasoningModel[Literal["minimal", "low", "medium", "high"]], ModelChosen
):
    """A reasoning model taking reasoning_effort "minimal", "low", "medium", "high"
    (gpt-5, gpt-5-2025-08-07, gpt-5-mini, gpt-5-mini-2025-08-07, ...)."""


class ReasoningNoneLowMediumHigh(
    ReasoningModel[Literal["none", "low", "medium", "high"]], ModelChosen
):
    """A reasoning model taking reasoning_effort "none", "low", "medium", "high"
    (gpt-5.1, gpt-5.1-2025-11-13)."""


class ReasoningNoneLowMediumHighXhigh(
    ReasoningModel[Literal["none", "low", "medium", "high", "xhigh"]], ModelChosen
):
    """A reasoning model taking reasoning_effort "none", "low", "medium", "high", "xhigh"
    (gpt-5.2, gpt-5.4, gpt-5.4-mini, gpt-5.4-nano, ...)."""


class ReasoningNoneLowMediumHighXhighMax(
    ReasoningModel[Literal["none", "low", "medium", "high", "xhigh", "max"]], ModelChosen
):
    """A reasoning model taking reasoning_effort "none", "low", "medium", "high", "xhigh", "max"
    (gpt-5.6-sol, gpt-5.6-terra, gpt-5.6-luna, gpt-6-luna, ...)."""


class ReasoningLowMediumHighXhighMax(
    ReasoningModel[Literal["low", "medium", "high", "xhigh", "max"]], ModelChosen
):
    """A reasoning model taking reasoning_effort "low", "medium", "high", "xhigh", "max"
    (gpt-6.1-sol)."""


class ReasoningHigh(ReasoningModel[Literal["high"]], ModelChosen):
    """A reasoning model taking reasoning_effort "high"
    (gpt-5-pro, gpt-5-pro-2025-10-06)."""


# END GENERATED: effort states
