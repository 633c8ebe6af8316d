"""The schema compiler: a pydantic type -> the JSON Schema dialect a provider's wire accepts.

Theory of operation:

1. ``pydantic.TypeAdapter(T).json_schema()`` gives the source schema (validation mode).
2. A root that is not an object (``list[M]``, ``M | None``, primitives, unions) is *wrapped*:
   ``{"type": "object", "properties": {"result": <root>}, "required": ["result"]}``; answers
   are unwrapped before validation (see :meth:`CompiledSchema.unwrap`).
3. A dialect walks the schema (one walker, a small subclass per dialect) and returns the
   emitted schema plus the list of :class:`SchemaChange` it made. A change that would lose
   meaning silently is either recorded as ``lossy`` (the constraint text moves into the
   ``description``, so the model still sees it and validation still enforces it) or raised
   as :class:`~typedllm.SchemaError`.

Results are cached per (type, dialect); emitted schemas are fresh dicts, treat them as
read-only.
"""

from __future__ import annotations

from ._compile import apply_dialect, compile_schema
from ._types import WRAP_KEY, CompiledSchema, Dialect, SchemaChange

__all__ = [
    "WRAP_KEY",
    "CompiledSchema",
    "Dialect",
    "SchemaChange",
    "apply_dialect",
    "compile_schema",
]
