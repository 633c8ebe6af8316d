"""Compile a type into a provider schema dialect (see the package docstring)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from pydantic import TypeAdapter

from .._errors import SchemaError
from ._types import WRAP_KEY, CompiledSchema, Dialect, SchemaChange

__all__ = ["apply_dialect", "compile_schema", "schema_name"]

# OpenAI Structured Outputs, "Supported schemas"
# (https://platform.openai.com/docs/guides/structured-outputs#supported-schemas).
_STRICT_KEYWORDS = frozenset(
    {
        "type", "properties", "required", "additionalProperties", "items", "enum", "const",
        "anyOf", "$ref", "$defs", "description", "title",
        "pattern", "format",
        "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
        "minItems", "maxItems",
    }
)  # fmt: skip
_STRICT_FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}
)
_MAX_DEPTH = 10
_MAX_PROPERTIES = 5000
_MAX_ENUM_VALUES = 1000
_MAX_ENUM_CHARS = 15000  # total string length, checked when an enum has more than 250 values

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
    """Compile ``tp`` for ``dialect`` (cached per type and dialect)."""
    key = (tp, dialect)
    try:
        cached = _cache.get(key)
    except TypeError:  # an unhashable type expression
        return _compile(tp, dialect)
    if cached is None:
        cached = _compile(tp, dialect)
        _cache[key] = cached
    return cached


def _compile(tp: Any, dialect: Dialect) -> CompiledSchema:
    source = TypeAdapter(tp).json_schema(mode="validation")
    schema, wrapped = _wrap_root(source)
    emitted, changes = apply_dialect(schema, dialect)
    if wrapped:
        changes.insert(0, SchemaChange("", "wrapped", f'non-object root wrapped as "{WRAP_KEY}"'))
    return CompiledSchema(schema_name(tp), emitted, dialect, wrapped, tuple(changes))


def _resolve(root: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        defs = cast(Mapping[str, Any], root.get("$defs", {}))
        target = defs.get(ref.removeprefix("#/$defs/"))
        if isinstance(target, Mapping):
            return cast(Mapping[str, Any], target)
    return node


def _wrap_root(source: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    root = _resolve(source, source)
    if root.get("type") == "object":  # dict roots too: strict dialects reject them clearly
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


def apply_dialect(
    schema: Mapping[str, Any], dialect: Dialect
) -> tuple[dict[str, Any], list[SchemaChange]]:
    """Apply ``dialect``'s rules to ``schema``: a fresh schema and the changes made.

    Idempotent: applying a dialect to its own output changes nothing.
    """
    walker = _StrictWalker(schema) if dialect == "openai-strict" else _LooseWalker(schema)
    out = walker.walk(schema, "", 0)
    walker.finish()
    return out, walker.changes


class _Walker:
    """Copies a schema node by node; subclasses hook ``node`` and ``object_node``."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.changes: list[SchemaChange] = []

    def note(self, path: str, kind: Any, detail: str, *, lossy: bool = False) -> None:
        self.changes.append(SchemaChange(path, kind, detail, lossy))

    def walk(self, node: Any, path: str, depth: int) -> Any:
        if not isinstance(node, Mapping):
            return node
        src = cast(Mapping[str, Any], node)
        out: dict[str, Any] = {}
        for key, value in src.items():
            sub = f"{path}/{key}"
            if key in ("properties", "$defs") and isinstance(value, Mapping):
                inner = cast(Mapping[str, Any], value)
                nested = depth + 1 if key == "properties" else 0
                out[key] = {k: self.walk(v, f"{sub}/{k}", nested) for k, v in inner.items()}
            elif key in ("anyOf", "oneOf", "allOf", "prefixItems") and isinstance(value, list):
                items: list[Any] = value  # pyright: ignore[reportUnknownVariableType]
                out[key] = [self.walk(v, f"{sub}/{i}", depth) for i, v in enumerate(items)]
            elif key in ("items", "additionalProperties") and isinstance(value, Mapping):
                out[key] = self.walk(value, sub, depth + (key == "items"))
            else:
                out[key] = value
        return self.node(out, path, depth)

    def node(self, node: dict[str, Any], path: str, depth: int) -> dict[str, Any]:
        if "oneOf" in node:
            node["anyOf"] = [*node.get("anyOf", []), *node.pop("oneOf")]
            self.note(path, "rewritten", "oneOf -> anyOf (the answer still validates exactly)")
        if "discriminator" in node:
            del node["discriminator"]
            self.note(path, "dropped", "discriminator (each branch keeps its const tag)")
        return node

    def finish(self) -> None:
        """Checks over the whole schema after the walk."""


class _LooseWalker(_Walker):
    """OpenAI non-strict ``json_schema`` (and OpenAI-compatible hosts): pydantic's schema,
    with ``oneOf`` as ``anyOf`` and no ``discriminator``."""


class _StrictWalker(_Walker):
    """OpenAI strict Structured Outputs: closed objects, every property required, only the
    documented keywords, documented size limits."""

    def __init__(self, root: Mapping[str, Any]) -> None:
        super().__init__(root)
        self.properties = 0
        self.enum_values = 0
        self.enum_chars = 0

    def node(self, node: dict[str, Any], path: str, depth: int) -> dict[str, Any]:
        node = super().node(node, path, depth)
        where = path or "(root)"
        if "allOf" in node:
            parts = cast(list[Any], node.pop("allOf"))
            if len(parts) == 1 and isinstance(parts[0], dict):
                node = {**cast(dict[str, Any], parts[0]), **node}
                self.note(path, "rewritten", "single-item allOf inlined")
            else:
                raise SchemaError(
                    f"{where}: allOf with several schemas is not supported in strict mode"
                )
        if "$ref" in node and len(node) > 1:
            # A $ref must stand alone in strict mode: inline its target and keep the siblings.
            target = dict(_resolve(self.root, node))
            if target is node or "$ref" in target:
                raise SchemaError(f"{where}: unresolvable $ref {node['$ref']!r}")
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = self.node({**self.walk(target, path, depth), **siblings}, path, depth)
            self.note(path, "rewritten", "$ref with sibling keywords inlined")
        if "default" in node:
            del node["default"]
            self.note(path, "dropped", "default (strict mode requires every property)")
        if "prefixItems" in node:
            raise SchemaError(
                f"{where}: tuples (prefixItems) cannot be expressed in OpenAI strict mode; use a "
                "model with named fields, a list, or .structured_output('json_schema')"
            )
        if node == {} or (node.keys() <= {"title", "description"}):
            raise SchemaError(
                f"{where}: an unconstrained value (Any) cannot be expressed in OpenAI strict mode; "
                "give it a concrete type or use .structured_output('json_schema')"
            )
        fmt = node.get("format")
        if fmt is not None and fmt not in _STRICT_FORMATS:
            del node["format"]
            self._describe(node, f"format: {fmt}")
            self.note(path, "moved_to_description", f"format {fmt!r} is not supported", lossy=True)
        for key in sorted(set(node) - _STRICT_KEYWORDS):
            value = node.pop(key)
            if key in ("examples", "readOnly", "writeOnly", "deprecated"):
                self.note(path, "dropped", f"{key} (annotation only)")
                continue
            self._describe(node, f"{key}: {value!r}")
            self.note(path, "moved_to_description", f"{key}={value!r} is not supported", lossy=True)
        if node.get("type") == "object" or "properties" in node:
            self._close_object(node, where)
        if "enum" in node:
            values = cast(list[Any], node["enum"])
            self.enum_values += len(values)
            if len(values) > 250:
                self.enum_chars += sum(len(str(v)) for v in values)
        return node

    def _close_object(self, node: dict[str, Any], where: str) -> None:
        extra = node.get("additionalProperties")
        props = cast(dict[str, Any], node.get("properties", {}))
        if isinstance(extra, Mapping) or (extra is None and not props and "properties" not in node):
            raise SchemaError(
                f"{where}: objects with arbitrary keys (dict[str, X]) cannot be expressed in "
                "OpenAI strict mode; use a list of key/value models, or "
                ".structured_output('json_schema')"
            )
        node["properties"] = props
        node["additionalProperties"] = False
        required = list(cast(list[str], node.get("required", [])))
        missing = [name for name in props if name not in required]
        if missing:
            node["required"] = required + missing
            self.note(
                where,
                "rewritten",
                f"optional properties {missing} made required (nullable ones accept null)",
            )
        else:
            node["required"] = required
        self.properties += len(props)

    @staticmethod
    def _describe(node: dict[str, Any], text: str) -> None:
        current = node.get("description")
        note = f"({text})"
        if isinstance(current, str) and note in current:
            return
        node["description"] = f"{current} {note}" if isinstance(current, str) and current else note

    def _depth(self, node: Any, seen: frozenset[str]) -> int:
        """Object nesting depth of the resolved schema; a recursive $ref adds nothing."""
        if not isinstance(node, Mapping):
            return 0
        n = cast(Mapping[str, Any], node)
        ref = n.get("$ref")
        if isinstance(ref, str):
            if ref in seen:
                return 0
            return self._depth(_resolve(self.root, n), seen | {ref})
        children: list[Any] = list(cast(Mapping[str, Any], n.get("properties", {})).values())
        children += cast(list[Any], n.get("anyOf", []))
        if isinstance(n.get("items"), Mapping):
            children.append(n["items"])
        inner = max((self._depth(c, seen) for c in children), default=0)
        return inner + (1 if "properties" in n else 0)

    def finish(self) -> None:
        depth = self._depth(self.root, frozenset())
        if depth > _MAX_DEPTH:
            raise SchemaError(
                f"the schema nests objects {depth} levels deep; OpenAI strict mode allows "
                f"{_MAX_DEPTH}. Flatten the type or use .structured_output('json_schema')"
            )
        if self.properties > _MAX_PROPERTIES:
            raise SchemaError(
                f"the schema has {self.properties} properties; OpenAI strict mode allows "
                f"{_MAX_PROPERTIES}"
            )
        if self.enum_values > _MAX_ENUM_VALUES:
            raise SchemaError(
                f"the schema has {self.enum_values} enum values; OpenAI strict mode allows "
                f"{_MAX_ENUM_VALUES}"
            )
        if self.enum_chars > _MAX_ENUM_CHARS:
            raise SchemaError(
                f"enum values total {self.enum_chars} characters; OpenAI strict mode allows "
                f"{_MAX_ENUM_CHARS} for enums with more than 250 values"
            )
