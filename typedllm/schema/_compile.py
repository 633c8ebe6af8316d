"""Compile a type into a provider schema dialect (see the package docstring)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pydantic  # the package is lazy: TypeAdapter is imported on first compile

from .._errors import SchemaError
from ._anthropic import Anthropic, AnthropicTool
from ._gemini import GeminiJsonSchema, GeminiOpenAPI
from ._local import Ollama, PromptOnly
from ._openai import OpenAIJsonSchema, OpenAIStrict
from ._restore import is_dict_node
from ._types import WRAP_KEY, CompiledSchema, Dialect, Rewrite, SchemaChange
from ._walker import Walker, resolve_ref

__all__ = ["WALKERS", "apply_dialect", "compile_schema", "schema_name", "source_schema"]

WALKERS: dict[Dialect, type[Walker]] = {
    "openai-strict": OpenAIStrict,
    "openai-json-schema": OpenAIJsonSchema,
    "anthropic": Anthropic,
    "anthropic-tool": AnthropicTool,
    "gemini-json-schema": GeminiJsonSchema,
    "gemini-openapi": GeminiOpenAPI,
    "ollama": Ollama,
    "prompt": PromptOnly,
}

_cache: dict[tuple[Any, Dialect], CompiledSchema] = {}


def schema_name(tp: Any) -> str:
    """A name valid for OpenAI's ``json_schema.name`` (``^[a-zA-Z0-9_-]{1,64}$``)."""
    raw = getattr(tp, "__name__", None)
    if not isinstance(raw, str) or type(tp).__module__ in ("typing", "types"):
        raw = re.sub(r"typing\.|typing_extensions\.|__main__\.", "", repr(tp))
        raw = raw.replace(" | ", "_or_").replace("|", "_or_")
    name = re.sub(r"[^a-zA-Z0-9_-]+", "_", raw).strip("_")
    return (name or "result")[:64]


def compile_schema(tp: Any, dialect: Dialect) -> CompiledSchema:
    """Compile ``tp`` for ``dialect`` (cached per type and dialect).

    Raises :class:`~typedllm.SchemaError` when the dialect cannot express ``tp`` without losing
    meaning; the message names the place and what to do.
    """
    key = (tp, dialect)
    try:
        cached = _cache.get(key)
    except TypeError:  # an unhashable type expression
        return _compile(tp, dialect)
    if cached is None:
        cached = _compile(tp, dialect)
        _cache[key] = cached
    return cached


def source_schema(
    tp: Any, *, root_types: frozenset[str] = frozenset({"object"}), wrap_dicts: bool = False
) -> tuple[dict[str, Any], bool]:
    """pydantic's validation JSON Schema for ``tp``, wrapped when its root type is not one of
    ``root_types`` (or is a ``dict[str, X]`` and ``wrap_dicts``: dialects that rewrite dicts
    into lists)."""
    if isinstance(tp, str):
        raise SchemaError(
            f"schema={tp!r} is a string; pass the type itself (schema=Invoice, not 'Invoice')"
        )
    try:
        from pydantic import TypeAdapter

        source = TypeAdapter(tp).json_schema(mode="validation")
    except (pydantic.PydanticUserError, pydantic.PydanticSchemaGenerationError, TypeError) as exc:
        raise SchemaError(f"{tp!r} is not a type pydantic can validate: {exc}") from exc
    root = resolve_ref(source, source)
    if root.get("type") in root_types and not (wrap_dicts and is_dict_node(root)):
        return source, False
    defs = source.get("$defs")
    inner = {k: v for k, v in source.items() if k != "$defs"}
    wrapped: dict[str, Any] = {
        "type": "object",
        "properties": {WRAP_KEY: inner},
        "required": [WRAP_KEY],
    }
    if defs:
        wrapped["$defs"] = defs
    return wrapped, True


def _compile(tp: Any, dialect: Dialect) -> CompiledSchema:
    walker = WALKERS[dialect]
    source, wrapped = source_schema(
        tp, root_types=walker.root_types, wrap_dicts="dict_pairs" in walker.rewrites
    )
    emitted, changes = apply_dialect(source, dialect)
    if wrapped:
        changes.insert(0, SchemaChange("", "wrapped", f'non-object root wrapped as "{WRAP_KEY}"'))
    rewritten = any(c.detail.endswith("(converted back)") for c in changes)
    used: frozenset[Rewrite] = walker.rewrites if rewritten else frozenset()
    return CompiledSchema(schema_name(tp), emitted, dialect, wrapped, tuple(changes), source, used)


def apply_dialect(
    schema: Mapping[str, Any], dialect: Dialect
) -> tuple[dict[str, Any], list[SchemaChange]]:
    """Apply ``dialect``'s rules to ``schema``: a fresh schema and the changes made.

    Idempotent: applying a dialect to its own output changes nothing.
    """
    walker = WALKERS[dialect](schema)
    out = walker.finish(walker.walk(schema))
    return out, walker.changes
