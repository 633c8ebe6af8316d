"""Gemini dialects.

``gemini-json-schema``: ``generationConfig.responseJsonSchema`` (Gemini 2.0+ / 2.5+). Accepts a
JSON Schema subset (Gemini API "Structured output" guide): ``$defs``/``$ref`` (recursion
included), ``type`` (lists too), ``format``, ``title``, ``description``, ``enum``, ``const``,
``items``, ``prefixItems``, ``minItems``/``maxItems``, ``minimum``/``maximum``, ``anyOf``,
``properties``, ``additionalProperties``, ``required``, ``propertyOrdering``. Other keywords
move into the description.

``gemini-openapi``: the legacy ``responseSchema``, an OpenAPI 3.0 subset: no ``$ref`` (every
definition is inlined; recursion is a :class:`~typedllm.SchemaError`), upper-case ``type`` names,
``anyOf[X, null]`` -> ``X`` with ``nullable: true``, no ``additionalProperties`` (``dict[str, X]``
becomes key/value pairs), no ``prefixItems`` (tuples become objects), string-only ``enum``
(other values are sent as their JSON text), ``const`` -> a one-value enum; ``format`` only
``date-time``/``enum`` on strings and ``int32``/``int64``/``float``/``double`` on numbers.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar, cast

from .._jsonutil import as_dict, as_list
from ._types import Rewrite
from ._walker import JSON_TYPES, Walker, find_cycle, resolve_ref

__all__ = ["GeminiJsonSchema", "GeminiOpenAPI"]


class GeminiJsonSchema(Walker):
    """``responseJsonSchema``."""

    name = "gemini-json-schema"
    root_types = frozenset({"object", "array"})
    allowed = frozenset(
        {
            "$id", "$defs", "$ref", "$anchor", "type", "format", "title", "description", "enum",
            "const", "items", "prefixItems", "minItems", "maxItems", "minimum", "maximum",
            "anyOf", "properties", "additionalProperties", "required", "propertyOrdering",
            "default",
        }
    )  # fmt: skip


_OPENAPI_FORMATS = {
    "string": frozenset({"date-time", "enum"}),
    "integer": frozenset({"int32", "int64"}),
    "number": frozenset({"float", "double"}),
}


class GeminiOpenAPI(Walker):
    """Legacy ``responseSchema`` (OpenAPI 3.0 subset)."""

    name = "gemini-openapi"
    root_types = frozenset({"object", "array"})
    allowed = frozenset(
        {
            "type", "format", "title", "description", "nullable", "enum", "maxItems",
            "minItems", "properties", "required", "minProperties", "maxProperties",
            "minLength", "maxLength", "pattern", "anyOf", "propertyOrdering", "items",
            "minimum", "maximum",
        }
    )  # fmt: skip
    dropped = frozenset({"discriminator", "default"})
    rewrites: ClassVar[frozenset[Rewrite]] = frozenset(
        {"dict_pairs", "tuple_object", "enum_strings"}
    )
    reject_any = True
    # Its own output has upper-case names (applying the dialect twice changes nothing).
    type_names = JSON_TYPES | {t.upper() for t in JSON_TYPES}

    def before(self, node: dict[str, Any], path: str) -> dict[str, Any]:
        if "$ref" in node:
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = {**dict(resolve_ref(self.root, node)), **siblings}
            self.note(path, "rewritten", "$ref inlined (no references in this dialect)")
        node.pop("$defs", None)
        node.pop("definitions", None)
        if "additionalProperties" in node and not isinstance(node["additionalProperties"], Mapping):
            del node["additionalProperties"]
        return super().before(node, path)

    def after(self, node: dict[str, Any], path: str) -> dict[str, Any]:
        if "const" in node:
            node["enum"] = [node.pop("const")]
            self.note(path, "rewritten", "const -> one-value enum")
        branches = as_list(node.get("anyOf"))
        nulls = [b for b in branches if as_dict(b).get("type") in ("null", "NULL")]
        if nulls:
            others = [b for b in branches if b not in nulls]
            del node["anyOf"]
            if len(others) == 1:
                node = {**cast(dict[str, Any], others[0]), **node}
            else:
                node["anyOf"] = others
            node["nullable"] = True
            self.note(path, "rewritten", "anyOf[X, null] -> X with nullable: true")
        kind = node.get("type")
        if isinstance(kind, list):
            kinds = [k for k in cast(list[str], kind) if k.lower() != "null"]
            if len(kinds) != len(cast(list[str], kind)):
                node["nullable"] = True
            if len(kinds) != 1:
                raise self.fail(path, f"a value of several types {kinds}", "use a union of models")
            node["type"] = kinds[0]
            kind = kinds[0]
        if "enum" in node:
            values = cast(list[Any], node["enum"])
            if any(not isinstance(v, str) for v in values if v is not None):
                node["enum"] = [
                    v if isinstance(v, str) else json.dumps(v) for v in values if v is not None
                ]
                node["type"] = "string"
                kind = "string"
                self.note(
                    path, "rewritten", "non-string enum values sent as JSON text (converted back)"
                )
            elif kind is None:
                node["type"] = kind = "string"
        fmt = node.get("format")
        if (
            isinstance(kind, str)
            and fmt is not None
            and fmt not in _OPENAPI_FORMATS.get(kind.lower(), ())
        ):
            del node["format"]
            self.describe(node, f"format: {fmt}")
            self.note(path, "moved_to_description", f"format {fmt!r} is not supported", lossy=True)
        node = super().after(node, path)
        if isinstance(node.get("type"), str):
            node["type"] = str(node["type"]).upper()
        return node

    def walk(self, node: Any, path: str = "", depth: int = 0) -> Any:
        if depth == 0 and path == "":
            cycle = find_cycle(self.root)
            if cycle is not None:
                raise self.fail(
                    "",
                    f"recursive types ({cycle} refers to itself) cannot be expressed",
                    "use a model with gemini-2.0+ (responseJsonSchema) or bound the depth",
                )
        return super().walk(node, path, depth)
