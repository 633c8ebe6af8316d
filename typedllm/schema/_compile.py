"""Compile a type into a provider schema dialect (see the package docstring)."""

from __future__ import annotations

import functools
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
from ._types import WRAP_KEY, CompiledSchema, DecimalMode, Dialect, Rewrite, SchemaChange
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

_cache: dict[tuple[Any, Dialect, DecimalMode], CompiledSchema] = {}


def decimal_string_pattern(max_digits: int | None, decimal_places: int | None) -> str:
    """A regex for a decimal in plain notation that pydantic accepts under ``max_digits`` and
    ``decimal_places`` (never wider). No lookaround, so every dialect that takes ``pattern`` can
    send it. pydantic allows ``decimal_places`` digits after the point and ``max_digits -
    decimal_places`` before it; a lone ``0`` before the point is not counted."""

    def whole(most: int) -> str:
        return "0" if most < 1 else rf"(?:0|[1-9]\d{{0,{most - 1}}})"

    if max_digits is None:
        fraction = r"\d+" if decimal_places is None else rf"\d{{1,{decimal_places}}}"
        return rf"^-?(?:0|[1-9]\d*)(?:\.{fraction})?$"
    if decimal_places is not None:
        places = min(decimal_places, max_digits)
        fraction = rf"\.\d{{1,{places}}}" if places else ""
        if places < max_digits:
            fraction = f"(?:{fraction})?" if fraction else ""
        # else no digit may precede the point: pydantic counts a bare "0" as one, "0.5" not.
        return rf"^-?{whole(max_digits - places)}{fraction}$"
    # Only a total: f digits after the point leave max_digits - f before it.
    branches = [whole(max_digits)] + [
        whole(max_digits - f) + rf"\.\d{{{f}}}" for f in range(1, max_digits + 1)
    ]
    return rf"^-?(?:{'|'.join(branches)})$"


@functools.cache
def _string_decimals() -> type[Any]:
    """pydantic's JSON Schema generator with ``Decimal`` as a string of digits (built on first
    use: pydantic.json_schema is imported lazily)."""
    from pydantic.json_schema import GenerateJsonSchema

    class StringDecimals(GenerateJsonSchema):
        def decimal_schema(self, schema: Any) -> Any:
            out: dict[str, Any] = {
                "type": "string",
                "pattern": decimal_string_pattern(
                    schema.get("max_digits"), schema.get("decimal_places")
                ),
            }
            # Numeric bounds cannot constrain a string: the model reads them (a field's own
            # description replaces this one) and validation enforces them.
            bounds = [
                f"{sign} {schema[key]}"
                for key, sign in (("gt", ">"), ("ge", ">="), ("lt", "<"), ("le", "<="))
                if schema.get(key) is not None
            ]
            if schema.get("multiple_of") is not None:
                bounds.append(f"a multiple of {schema['multiple_of']}")
            out["description"] = "a decimal number written as a string" + (
                f" ({', '.join(bounds)})" if bounds else ""
            )
            return out

    return StringDecimals


def schema_name(tp: Any) -> str:
    """A name valid for OpenAI's ``json_schema.name`` (``^[a-zA-Z0-9_-]{1,64}$``)."""
    raw = getattr(tp, "__name__", None)
    if not isinstance(raw, str) or type(tp).__module__ in ("typing", "types"):
        raw = re.sub(r"typing\.|typing_extensions\.|__main__\.", "", repr(tp))
        raw = raw.replace(" | ", "_or_").replace("|", "_or_")
    name = re.sub(r"[^a-zA-Z0-9_-]+", "_", raw).strip("_")
    return (name or "result")[:64]


def compile_schema(tp: Any, dialect: Dialect, *, decimal: DecimalMode = "number") -> CompiledSchema:
    """Compile ``tp`` for ``dialect`` (cached per type, dialect and ``decimal`` mode).

    ``decimal="string"`` asks for ``Decimal`` fields as strings of digits (see
    :data:`~typedllm.schema.DecimalMode`).

    Raises :class:`~typedllm.SchemaError` when the dialect cannot express ``tp`` without losing
    meaning; the message names the place and what to do.
    """
    if decimal not in ("number", "string"):
        raise SchemaError(f"decimal must be 'number' or 'string', got {decimal!r}")
    key = (tp, dialect, decimal)
    try:
        cached = _cache.get(key)
    except TypeError:  # an unhashable type expression
        return _compile(tp, dialect, decimal)
    if cached is None:
        cached = _compile(tp, dialect, decimal)
        _cache[key] = cached
    return cached


def source_schema(
    tp: Any,
    *,
    root_types: frozenset[str] = frozenset({"object"}),
    wrap_dicts: bool = False,
    decimal: DecimalMode = "number",
) -> tuple[dict[str, Any], bool]:
    """pydantic's validation JSON Schema for ``tp``, wrapped when its root type is not one of
    ``root_types`` (or is a ``dict[str, X]`` and ``wrap_dicts``: dialects that rewrite dicts
    into lists); ``Decimal`` as a string of digits when ``decimal="string"``."""
    if isinstance(tp, str):
        raise SchemaError(
            f"schema={tp!r} is a string; pass the type itself (schema=Invoice, not 'Invoice')"
        )
    try:
        from pydantic import TypeAdapter

        if decimal == "string":
            source = TypeAdapter(tp).json_schema(
                mode="validation", schema_generator=_string_decimals()
            )
        else:
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


def _compile(tp: Any, dialect: Dialect, decimal: DecimalMode) -> CompiledSchema:
    walker = WALKERS[dialect]
    source, wrapped = source_schema(
        tp,
        root_types=walker.root_types,
        wrap_dicts="dict_pairs" in walker.rewrites,
        decimal=decimal,
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
