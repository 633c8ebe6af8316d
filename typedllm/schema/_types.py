"""Values produced by the schema compiler."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from ._restore import Rewrite, restore

__all__ = [
    "DIALECTS",
    "WRAP_KEY",
    "CompiledSchema",
    "DecimalMode",
    "Dialect",
    "Rewrite",
    "SchemaChange",
]

Dialect = Literal[
    "openai-strict",
    "openai-json-schema",
    "anthropic",
    "anthropic-tool",
    "gemini-json-schema",
    "gemini-openapi",
    "ollama",
    "prompt",
]
"""Schema dialects, one per provider rule set:

* ``openai-strict``: OpenAI Structured Outputs with ``strict: true``.
* ``openai-json-schema``: OpenAI ``json_schema`` with ``strict: false``; OpenAI-compatible hosts.
* ``anthropic``: Anthropic structured outputs (``output_format``/``output_config.format``).
* ``anthropic-tool``: the ``input_schema`` of a forced Anthropic tool (full JSON Schema).
* ``gemini-json-schema``: Gemini ``responseJsonSchema`` (2.0+/2.5+ models).
* ``gemini-openapi``: Gemini's legacy OpenAPI-subset ``responseSchema``.
* ``ollama``: Ollama's ``format`` (grammar-constrained JSON Schema).
* ``prompt``: no native support: the schema goes into the instructions.
"""

DIALECTS: tuple[Dialect, ...] = (
    "openai-strict",
    "openai-json-schema",
    "anthropic",
    "anthropic-tool",
    "gemini-json-schema",
    "gemini-openapi",
    "ollama",
    "prompt",
)


DecimalMode = Literal["number", "string"]
"""How ``Decimal`` fields are asked for:

* ``number`` (the default): pydantic's schema, a number or a string; models answer numbers,
  which JSON parsing turns into floats first, so digits past a float's ~17 are lost.
* ``string``: a string of decimal digits (``"12345678901234567890.12"``), validated back into
  ``Decimal`` with every digit; ``max_digits``/``decimal_places`` are part of its pattern.
"""


WRAP_KEY = "result"
"""Property name used to wrap non-object roots (``list[M]``, unions, primitives)."""


@dataclass(frozen=True, slots=True)
class SchemaChange:
    """One change a dialect made to the JSON Schema pydantic produced.

    ``path`` is a JSON pointer into the *source* schema (``""`` is the root); ``lossy`` says
    whether the provider will no longer enforce the meaning (validation still does: the
    constraint is kept in the description for the model, and pydantic checks the answer).
    """

    path: str
    kind: Literal["dropped", "moved_to_description", "rewritten", "wrapped"]
    detail: str
    lossy: bool = False


@dataclass(frozen=True, slots=True)
class CompiledSchema:
    """A type compiled for one dialect.

    Attributes:
        name: a schema name valid for the provider (``^[a-zA-Z0-9_-]{1,64}$``).
        schema: the emitted JSON schema (treat as read-only).
        dialect: the dialect it was made for.
        wrapped: whether the root was wrapped as ``{"result": <root>}``.
        changes: what the dialect changed, in walk order.
        source: the (wrapped) schema pydantic produced, before the dialect.
        rewrites: the lossless rewrites used; :meth:`restore` undoes them on an answer.
    """

    name: str
    schema: Mapping[str, Any]
    dialect: Dialect
    wrapped: bool = False
    changes: tuple[SchemaChange, ...] = field(default=())
    source: Mapping[str, Any] = field(default_factory=dict[str, Any], repr=False)
    rewrites: frozenset[Rewrite] = frozenset()

    def restore(self, data: Any) -> Any:
        """Undo the lossless rewrites on a decoded answer (identity when there are none)."""
        if not self.rewrites:
            return data
        return restore(data, self.source, self.rewrites)

    def unwrap(self, data: Any) -> Any:
        """Undo the root wrapping on a decoded answer (identity when not wrapped)."""
        if not self.wrapped or not isinstance(data, dict):
            return data
        mapping = cast(dict[str, Any], data)
        return mapping.get(WRAP_KEY, mapping)
