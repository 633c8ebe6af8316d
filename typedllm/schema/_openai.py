"""OpenAI dialects.

``openai-strict`` follows "Supported schemas" of OpenAI Structured Outputs
(https://platform.openai.com/docs/guides/structured-outputs#supported-schemas): every object has
``additionalProperties: false`` and lists every property in ``required`` (optional fields stay
nullable when pydantic made them so, otherwise the model must give a value); no ``default``;
``$ref`` must stand alone; supported keywords only (the rest move into the description); string
formats from a fixed list; at most 5000 properties, 10 levels of object nesting, 1000 enum values
(15,000 characters of enum text when an enum has more than 250 values). ``dict[str, X]`` becomes
a list of key/value pairs and tuples become objects, both converted back before validation;
``pattern``s with lookahead/lookbehind move into the description (OpenAI rejects them); ``Any``
and lists without an item type (``list``, ``list[Any]``) are a :class:`~typedllm.SchemaError`
(there is no lossless strict form: give the items a type, or use ``json_schema`` mode).

``openai-json-schema`` (``strict: false``, also what OpenAI-compatible hosts get) keeps pydantic's
schema apart from ``oneOf`` -> ``anyOf`` and dropping ``discriminator``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar, cast

from ._types import Rewrite
from ._walker import Walker, has_lookaround, resolve_ref

__all__ = ["OpenAIJsonSchema", "OpenAIStrict"]

_STRICT_FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "ipv4", "ipv6", "uuid"}
)
MAX_DEPTH = 10
MAX_PROPERTIES = 5000
MAX_ENUM_VALUES = 1000
MAX_ENUM_CHARS = 15000


class OpenAIJsonSchema(Walker):
    """``json_schema`` with ``strict: false``."""

    name = "openai-json-schema"


class OpenAIStrict(Walker):
    """OpenAI Structured Outputs, ``strict: true``."""

    name = "openai-strict"
    allowed = frozenset(
        {
            "type", "properties", "required", "additionalProperties", "items", "enum", "const",
            "anyOf", "$ref", "$defs", "description", "title", "pattern", "format",
            "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
            "minItems", "maxItems",
        }
    )  # fmt: skip
    dropped = frozenset({"discriminator", "default"})
    rewrites: ClassVar[frozenset[Rewrite]] = frozenset({"dict_pairs", "tuple_object"})
    close_objects = True
    require_all = True
    reject_any = True

    def __init__(self, root: Mapping[str, Any]) -> None:
        super().__init__(root)
        self.properties = 0
        self.enum_values = 0
        self.enum_chars = 0

    def after(self, node: dict[str, Any], path: str) -> dict[str, Any]:
        if "allOf" in node:
            parts = cast(list[Any], node.pop("allOf"))
            if len(parts) != 1 or not isinstance(parts[0], dict):
                raise self.fail(
                    path, "allOf with several schemas is not supported", "use one model"
                )
            node = {**cast(dict[str, Any], parts[0]), **node}
            self.note(path, "rewritten", "single-item allOf inlined")
        if "$ref" in node and len(node) > 1:
            # A $ref must stand alone: inline its target, keeping the siblings (descriptions).
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            target = self.walk(resolve_ref(self.root, node), path)
            self.note(path, "rewritten", "$ref with sibling keywords inlined")
            node = {**target, **siblings}
        pattern = node.get("pattern")
        if isinstance(pattern, str) and has_lookaround(pattern):
            # OpenAI rejects lookahead/lookbehind in a strict pattern ("Invalid JSON schema:
            # regex lookaround is not supported", see vercel/ai#21037; a 5xx on the Responses
            # API, pydantic/pydantic-ai#5508). pydantic 2.12 emits one for every Decimal field.
            del node["pattern"]
            self.describe(node, f"pattern: {json.dumps(pattern)}")
            self.note(
                path, "moved_to_description", f"pattern={pattern!r} uses lookaround", lossy=True
            )
        fmt = node.get("format")
        if fmt is not None and fmt not in _STRICT_FORMATS:
            del node["format"]
            self.describe(node, f"format: {fmt}")
            self.note(path, "moved_to_description", f"format {fmt!r} is not supported", lossy=True)
        node = super().after(node, path)
        if "properties" in node:
            self.properties += len(cast(dict[str, Any], node["properties"]))
        if "enum" in node:
            values = cast(list[Any], node["enum"])
            self.enum_values += len(values)
            if len(values) > 250:
                self.enum_chars += sum(len(str(v)) for v in values)
        return node

    def depth(self, node: Any, seen: frozenset[str]) -> int:
        """Object nesting depth of the resolved schema; a recursive ``$ref`` adds nothing."""
        if not isinstance(node, Mapping):
            return 0
        n = cast(Mapping[str, Any], node)
        ref = n.get("$ref")
        if isinstance(ref, str):
            return 0 if ref in seen else self.depth(resolve_ref(self.root, n), seen | {ref})
        children: list[Any] = list(cast(Mapping[str, Any], n.get("properties", {})).values())
        children += cast(list[Any], n.get("anyOf", []))
        if isinstance(n.get("items"), Mapping):
            children.append(n["items"])
        if isinstance(n.get("additionalProperties"), Mapping):
            children.append(n["additionalProperties"])
        inner = max((self.depth(c, seen) for c in children), default=0)
        return inner + (1 if "properties" in n or n.get("type") == "object" else 0)

    def finish(self, out: dict[str, Any]) -> dict[str, Any]:
        depth = self.depth(self.root, frozenset())
        if depth > MAX_DEPTH:
            raise self.fail(
                "",
                f"objects nest {depth} levels deep (the limit is {MAX_DEPTH})",
                "flatten the type or use .structured_output('json_schema')",
            )
        if self.properties > MAX_PROPERTIES:
            raise self.fail(
                "",
                f"{self.properties} properties exceed the limit of {MAX_PROPERTIES}",
                "split the type",
            )
        if self.enum_values > MAX_ENUM_VALUES:
            raise self.fail(
                "",
                f"{self.enum_values} enum values exceed the limit of {MAX_ENUM_VALUES}",
                "use a str field",
            )
        if self.enum_chars > MAX_ENUM_CHARS:
            raise self.fail(
                "",
                f"enum values total {self.enum_chars} characters (the limit is {MAX_ENUM_CHARS} "
                "for enums with more than 250 values)",
                "use shorter values or a str field",
            )
        return out
