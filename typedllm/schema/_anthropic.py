"""Anthropic dialects.

``anthropic``: the schema of Anthropic structured outputs (``output_format`` /
``output_config.format``), compiled by Anthropic into a grammar. Rules (Anthropic's structured
outputs guide, "JSON Schema limitations"): every object has ``additionalProperties: false``;
recursive schemas are not supported; numeric bounds (``minimum``, ``maximum``, exclusive bounds,
``multipleOf``), string lengths (``minLength``/``maxLength``), ``pattern`` handling is limited,
array bounds other than ``minItems`` of 0 or 1, ``uniqueItems`` and property counts are not
supported: they move into the description (validation still enforces them); string formats are
limited to a fixed list; nullable values are ``anyOf`` with a ``null`` branch, not type lists;
``dict[str, X]`` becomes key/value pairs and tuples become objects (converted back).

``anthropic-tool``: the ``input_schema`` of a forced tool. Any JSON Schema is accepted (the
model is asked, not constrained), so only ``oneOf`` -> ``anyOf`` and ``discriminator`` change.
This is the route for recursive types and for models without native structured outputs.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from .._jsonutil import as_list
from ._types import Rewrite
from ._walker import Walker, find_cycle

__all__ = ["Anthropic", "AnthropicTool"]

_FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"}
)


class AnthropicTool(Walker):
    """Forced-tool ``input_schema``."""

    name = "anthropic-tool"


class Anthropic(Walker):
    """Anthropic structured outputs."""

    name = "anthropic"
    root_types = frozenset({"object", "array"})
    allowed = frozenset(
        {
            "type", "properties", "required", "additionalProperties", "items", "enum", "const",
            "anyOf", "allOf", "$ref", "$defs", "definitions", "description", "title", "format",
            "minItems",
        }
    )  # fmt: skip
    dropped = frozenset({"discriminator", "default"})
    rewrites: ClassVar[frozenset[Rewrite]] = frozenset({"dict_pairs", "tuple_object"})
    close_objects = True
    reject_any = True

    def before(self, node: dict[str, Any], path: str) -> dict[str, Any]:
        node = super().before(node, path)
        kind = node.get("type")
        if isinstance(kind, list) and len(as_list(kind)) > 1:
            # Type lists are not accepted: a nullable string is anyOf[string, null].
            kinds = cast(list[str], kind)
            rest = {k: v for k, v in node.items() if k not in ("type", "title", "description")}
            branches = [{"type": k, **(rest if k != "null" else {})} for k in kinds]
            out: dict[str, Any] = {k: node[k] for k in ("title", "description") if k in node}
            out["anyOf"] = branches
            self.note(path, "rewritten", "type list -> anyOf")
            return out
        return node

    def after(self, node: dict[str, Any], path: str) -> dict[str, Any]:
        items = node.get("minItems")
        if isinstance(items, int) and items > 1:
            del node["minItems"]
            self.describe(node, f"minItems: {items}")
            self.note(path, "moved_to_description", f"minItems={items} (only 0 or 1)", lossy=True)
        fmt = node.get("format")
        if fmt is not None and fmt not in _FORMATS:
            del node["format"]
            self.describe(node, f"format: {fmt}")
            self.note(path, "moved_to_description", f"format {fmt!r} is not supported", lossy=True)
        return super().after(node, path)

    def finish(self, out: dict[str, Any]) -> dict[str, Any]:
        cycle = find_cycle(out)
        if cycle is not None:
            raise self.fail(
                "",
                f"recursive types ({cycle} refers to itself) are not supported",
                "use the forced-tool route (dialect 'anthropic-tool') or bound the depth",
            )
        return out
