"""Convert an answer from a rewritten schema back to the shape of the source schema (pure).

Walks the source (pydantic) schema and the decoded answer together; where the source has a
construct the dialect rewrote, the answer's form is converted back:

* a ``dict[str, X]`` node answered as ``[{"key": k, "value": v}, ...]`` becomes ``{k: v}``;
* a tuple (``prefixItems``) answered as ``{"item_0": a, "item_1": b}`` becomes ``[a, b]``;
* a non-string enum answered as the JSON text of a value becomes that value.

Anything else is left exactly as the model sent it: validation judges it afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal, cast

from .._jsonutil import as_dict, as_list

__all__ = ["Rewrite", "is_dict_node", "restore", "tuple_key"]

Rewrite = Literal["dict_pairs", "tuple_object", "enum_strings"]
"""Lossless rewrites that need the answer converted back before validation:

* ``dict_pairs``: ``dict[str, X]`` sent as a list of ``{"key", "value"}`` objects;
* ``tuple_object``: ``tuple[A, B]`` sent as an object ``{"item_0": A, "item_1": B}``;
* ``enum_strings``: non-string enum values sent as their JSON text (``1`` -> ``"1"``).
"""


def tuple_key(index: int) -> str:
    """The property name of tuple position ``index`` in the ``tuple_object`` rewrite."""
    return f"item_{index}"


def is_dict_node(node: Mapping[str, Any]) -> bool:
    """Whether ``node`` is a ``dict[str, X]`` schema (open object with no fixed properties)."""
    extra = node.get("additionalProperties")
    return (
        node.get("type") == "object" and not node.get("properties") and isinstance(extra, Mapping)
    )


def _enum_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


class _Restorer:
    def __init__(self, root: Mapping[str, Any], rewrites: frozenset[Rewrite]) -> None:
        self.root = root
        self.rewrites = rewrites

    def resolve(self, node: Mapping[str, Any]) -> Mapping[str, Any]:
        seen = 0
        while isinstance(node.get("$ref"), str) and seen < 64:
            ref = str(node["$ref"])
            target: Any = self.root
            for part in ref.removeprefix("#/").split("/"):
                target = (
                    cast(Mapping[str, Any], target).get(part, {})
                    if isinstance(target, Mapping)
                    else {}
                )
            node = cast(Mapping[str, Any], target) if isinstance(target, Mapping) else {}
            seen += 1
        return node

    def fits(self, data: Any, node: Mapping[str, Any]) -> bool:
        node = self.resolve(node)
        kind = node.get("type")
        if "enum" in node:
            values = cast(list[Any], node["enum"])
            return data in values or (isinstance(data, str) and data in map(_enum_text, values))
        if "const" in node:
            return bool(data == node["const"])
        if data is None:
            return kind == "null"
        if isinstance(data, dict):
            if "prefixItems" in node:
                return True
            props = cast(Mapping[str, Any], node.get("properties", {}))
            return (
                kind == "object" and all(k in props for k in cast(dict[str, Any], data))
                if props
                else kind == "object"
            )
        if isinstance(data, list):
            return kind == "array" or is_dict_node(node)
        if isinstance(data, bool):
            return kind == "boolean"
        if isinstance(data, (int, float)):
            return kind in ("integer", "number")
        if isinstance(data, str):
            return kind == "string"
        return False

    def value(self, data: Any, node: Any) -> Any:
        unchanged: Any = data  # returned as is where nothing applies (never narrowed)
        if not isinstance(node, Mapping):
            return unchanged
        n = self.resolve(cast(Mapping[str, Any], node))
        for key in ("anyOf", "oneOf"):
            if key in n:
                for branch in as_list(n[key]):
                    if isinstance(branch, Mapping) and self.fits(data, as_dict(branch)):
                        return self.value(data, branch)
                return data
        if "allOf" in n and len(cast(list[Any], n["allOf"])) == 1:
            return self.value(data, cast(list[Any], n["allOf"])[0])
        if "enum" in n and "enum_strings" in self.rewrites and isinstance(data, str):
            for candidate in cast(list[Any], n["enum"]):
                if not isinstance(candidate, str) and _enum_text(candidate) == data:
                    return candidate
            return data
        if is_dict_node(n):
            extra = n["additionalProperties"]
            if isinstance(data, list) and "dict_pairs" in self.rewrites:
                pairs = [as_dict(p) for p in as_list(data)]
                if all("key" in p for p in pairs):
                    return {str(p["key"]): self.value(p.get("value"), extra) for p in pairs}
            if isinstance(data, dict):
                return {k: self.value(v, extra) for k, v in cast(dict[str, Any], data).items()}
            return unchanged
        if "prefixItems" in n:
            prefix = cast(list[Any], n["prefixItems"])
            if isinstance(data, dict) and "tuple_object" in self.rewrites:
                obj = cast(dict[str, Any], data)
                if all(tuple_key(i) in obj for i in range(len(prefix))):
                    return [self.value(obj[tuple_key(i)], s) for i, s in enumerate(prefix)]
            if isinstance(data, list):
                items = as_list(data)
                return [
                    self.value(v, prefix[i]) if i < len(prefix) else v for i, v in enumerate(items)
                ]
            return unchanged
        if isinstance(data, dict):
            props = cast(Mapping[str, Any], n.get("properties", {}))
            return {k: self.value(v, props.get(k)) for k, v in cast(dict[str, Any], data).items()}
        if isinstance(data, list):
            items_schema = n.get("items")
            return [self.value(v, items_schema) for v in as_list(data)]
        return data


def restore(data: Any, source: Mapping[str, Any], rewrites: frozenset[Rewrite]) -> Any:
    """``data`` (an answer to the rewritten schema) in the shape of ``source``."""
    return _Restorer(source, rewrites).value(data, source)
