"""Values produced by the schema compiler."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast

__all__ = ["WRAP_KEY", "CompiledSchema", "Dialect", "SchemaChange"]

Dialect = Literal["openai-strict", "openai-json-schema"]
"""Schema dialects: one per provider wire rule set (more arrive with new providers)."""

WRAP_KEY = "result"
"""Property name used to wrap non-object roots (``list[M]``, unions, primitives)."""


@dataclass(frozen=True, slots=True)
class SchemaChange:
    """One change a dialect made to the JSON Schema pydantic produced.

    ``path`` is a JSON pointer into the *source* schema (``""`` is the root); ``lossy`` says
    whether the provider will no longer enforce the meaning (it is kept in a description).
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
    """

    name: str
    schema: Mapping[str, Any]
    dialect: Dialect
    wrapped: bool = False
    changes: tuple[SchemaChange, ...] = field(default=())

    def unwrap(self, data: Any) -> Any:
        """Undo the root wrapping on a decoded answer (identity when not wrapped)."""
        if not self.wrapped or not isinstance(data, dict):
            return data
        mapping = cast(dict[str, Any], data)
        return mapping.get(WRAP_KEY, mapping)
