"""The schema compiler: a pydantic type -> the JSON Schema dialect a provider's wire accepts.

Theory of operation:

1. ``pydantic.TypeAdapter(T).json_schema()`` gives the source schema (validation mode, aliases).
2. A root that is not an object (``list[M]``, ``M | None``, primitives, unions) is *wrapped*:
   ``{"type": "object", "properties": {"result": <root>}, "required": ["result"]}``; answers
   are unwrapped before validation (see :meth:`CompiledSchema.unwrap`).
3. A dialect (one walker, a small subclass per provider rule set) walks the schema and returns
   the emitted schema plus every :class:`SchemaChange` it made. Constructs a provider cannot
   express are either rewritten losslessly (``dict[str, X]`` -> key/value pairs, tuples ->
   objects, non-string enums -> their JSON text; :meth:`CompiledSchema.restore` converts the
   answer back before validation), moved into the description (the model still reads them and
   pydantic still enforces them; the change is marked ``lossy``), or refused with a
   :class:`~typedllm.SchemaError` that says what to do. Nothing is dropped silently.

``compile_schema(T, dialect, decimal="string")`` asks for ``Decimal`` fields as strings of
digits, so that money keeps every digit (clients: ``builder.decimals("string")``).

Results are cached per (type, dialect, decimal mode); emitted schemas are fresh dicts, treat them as
read-only. ``docs/structured-output.md`` tabulates what each dialect does with each construct.
"""

from __future__ import annotations

from ._compile import apply_dialect, compile_schema, source_schema
from ._types import (
    DIALECTS,
    WRAP_KEY,
    CompiledSchema,
    DecimalMode,
    Dialect,
    Rewrite,
    SchemaChange,
)

__all__ = [
    "DIALECTS",
    "WRAP_KEY",
    "CompiledSchema",
    "DecimalMode",
    "Dialect",
    "Rewrite",
    "SchemaChange",
    "apply_dialect",
    "compile_schema",
    "source_schema",
]
