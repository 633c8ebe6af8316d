"""Dialects for hosts that take a schema loosely.

``ollama``: Ollama's ``format`` field, turned into a grammar by llama.cpp, which understands
local ``$ref``, ``anyOf``/``oneOf``, ``enum``/``const``, lengths, bounds, ``pattern`` and
``additionalProperties``: pydantic's schema is sent as is (``oneOf`` -> ``anyOf``, no
``discriminator``).

``prompt``: hosts with no structured-output support: the schema is shown to the model in the
instructions and the answer is extracted leniently; the full schema is kept for the model to read.
"""

from __future__ import annotations

from ._walker import Walker

__all__ = ["Ollama", "PromptOnly"]


class Ollama(Walker):
    """Ollama ``format``."""

    name = "ollama"
    root_types = frozenset({"object", "array"})


class PromptOnly(Walker):
    """Schema in the instructions."""

    name = "prompt"
    root_types = frozenset({"object", "array"})
