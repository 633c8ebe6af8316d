"""Anthropic dialects.

``anthropic``: the schema of Anthropic structured outputs (``output_format`` /
``output_config.format``), compiled by Anthropic into a grammar. Rules (Anthropic's structured
outputs guide, "JSON Schema limitations"): every object has ``additionalProperties: false``;
recursive schemas are not supported; numeric bounds (``minimum``, ``maximum``, exclusive bounds,
``multipleOf``), string lengths (``minLength``/``maxLength``), ``pattern`` handling is limited,
array bounds other than ``minItems`` of 0 or 1, ``uniqueItems`` and property counts are not
supported: they move into the description (validation still enforces them); string formats are
limited to a fixed list; nullable values are ``anyOf`` with a ``null`` branch, not type lists;
``dict[str, X]`` becomes key/value pairs and tuples become objects (converted back). The grammar
has size limits ("Schema complexity limits" of the same guide,
https://platform.claude.com/docs/en/build-with-claude/structured-outputs): at most
:data:`MAX_UNION_PARAMETERS` parameters with union types (``anyOf`` or type lists; ``Optional``
fields and pydantic's ``Decimal`` are unions) and :data:`MAX_OPTIONAL_PARAMETERS` optional
parameters; beyond them compiling is a :class:`~typedllm.SchemaError` naming the limit, and the
Anthropic codec sends the schema through the forced-tool route instead.

``anthropic-tool``: the ``input_schema`` of a forced tool. Any JSON Schema is accepted (the
model is asked, not constrained), so only ``oneOf`` -> ``anyOf`` and ``discriminator`` change,
apart from the root: the API requires ``"type": "object"`` there, so a root that is only a
``$ref`` (pydantic's form for a recursive model) is inlined. This is the route for recursive
types and for models without native structured outputs.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from .._jsonutil import as_list
from ._types import Rewrite
from ._walker import Walker, find_cycle, iter_nodes

__all__ = ["MAX_OPTIONAL_PARAMETERS", "MAX_UNION_PARAMETERS", "Anthropic", "AnthropicTool"]

MAX_UNION_PARAMETERS = 16
"""Structured outputs accept at most this many parameters with union types (``anyOf``/type
lists) per request."""
MAX_OPTIONAL_PARAMETERS = 24
"""Structured outputs accept at most this many optional parameters per request."""

_FORMATS = frozenset(
    {"date-time", "time", "date", "duration", "email", "hostname", "uri", "ipv4", "ipv6", "uuid"}
)


class AnthropicTool(Walker):
    """Forced-tool ``input_schema``."""

    name = "anthropic-tool"

    def finish(self, out: dict[str, Any]) -> dict[str, Any]:
        # A root without "type": "object" is a 400 ("tools.0.custom.input_schema.type: Field
        # required"); non-object roots were wrapped already, a bare root $ref is inlined here.
        out = self.inline_root_ref(out)
        if "type" not in out and "properties" in out:  # an object in all but name
            out = {"type": "object", **out}
            self.note("", "rewritten", 'root "type": "object" added')
        if out.get("type") != "object":
            raise self.fail(
                "", "an input_schema whose root is not an object", "use a model or a TypedDict"
            )
        return out


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
        unions = optional = 0
        for node in iter_nodes(out):
            if "anyOf" in node or isinstance(node.get("type"), list):
                unions += 1
            props = node.get("properties")
            if isinstance(props, dict):
                required = set(as_list(node.get("required")))
                optional += sum(1 for name in cast(dict[str, Any], props) if name not in required)
        for count, limit, what in (
            (unions, MAX_UNION_PARAMETERS, "parameters with union types (anyOf: Optional, ...)"),
            (optional, MAX_OPTIONAL_PARAMETERS, "optional parameters"),
        ):
            if count > limit:
                raise self.fail(
                    "",
                    f"{count} {what} exceed the structured-outputs limit of {limit}",
                    "use the forced-tool route (dialect 'anthropic-tool'; the Anthropic codec "
                    "falls back to it by itself), or fewer such fields",
                )
        return self.inline_root_ref(out)
