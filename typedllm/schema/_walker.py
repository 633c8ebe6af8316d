"""The schema walker every dialect is a small subclass of.

``walk`` copies a schema node by node (never mutating its input). For each node it calls
``before`` (rewrites that replace a construct wholesale, e.g. ``dict[str, X]`` -> pairs) and,
after the children are done, ``after`` (keyword-level rules: closing objects, moving
unsupported keywords into the description). Every change is recorded as a
:class:`SchemaChange`. ``finish`` runs whole-schema checks (limits, recursion).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, cast

from .._errors import SchemaError
from .._jsonutil import as_list
from ._restore import is_dict_node, tuple_key
from ._types import Rewrite, SchemaChange

__all__ = ["JSON_TYPES", "Walker", "find_cycle", "has_lookaround", "iter_nodes", "resolve_ref"]

_ANNOTATIONS = frozenset({"examples", "readOnly", "writeOnly", "deprecated", "$comment", "$schema"})

JSON_TYPES = frozenset({"string", "number", "integer", "boolean", "object", "array", "null"})
"""The seven JSON Schema type names; any other ``type`` makes a schema invalid everywhere."""


def has_lookaround(pattern: str) -> bool:
    """Whether a regex uses lookahead/lookbehind (``(?=``, ``(?!``, ``(?<=``, ``(?<!``).

    Escaped characters and character classes are skipped, so ``\\(?=`` (an optional literal
    parenthesis) and ``[(?=]`` are not lookarounds, and ``(?<name>`` is a named group.
    """
    i = 0
    in_class = False
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
            if pattern.startswith("]", i + 1):  # a leading "]" is a literal in a class
                i += 1
        elif pattern.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            return True
        i += 1
    return False


def _untyped(items: Any) -> bool:
    """Whether an array's ``items`` leaves the item type open (absent, ``true`` or ``{}``)."""
    if items is None or items is True:
        return True
    return isinstance(items, Mapping) and cast(Mapping[str, Any], items).keys() <= {
        "title",
        "description",
    }


def resolve_ref(root: Mapping[str, Any], node: Mapping[str, Any]) -> Mapping[str, Any]:
    """The target of a local ``$ref`` (``#/$defs/X`` or ``#/definitions/X``), else ``node``."""
    ref = node.get("$ref")
    if not isinstance(ref, str) or not ref.startswith("#/"):
        return node
    target: Any = root
    for part in ref.removeprefix("#/").split("/"):
        if not isinstance(target, Mapping) or part not in target:
            raise SchemaError(f"unresolvable $ref {ref!r}")
        target = cast(Mapping[str, Any], target)[part]
    if not isinstance(target, Mapping):
        raise SchemaError(f"$ref {ref!r} does not point at a schema")
    return cast(Mapping[str, Any], target)


def _children(node: Mapping[str, Any]) -> Iterable[Any]:
    for key in ("properties", "$defs", "definitions"):
        value = node.get(key)
        if isinstance(value, Mapping):
            yield from cast(Mapping[str, Any], value).values()
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        value = node.get(key)
        yield from as_list(value)
    for key in ("items", "additionalProperties"):
        value = node.get(key)
        if isinstance(value, Mapping):
            yield value


def iter_nodes(root: Mapping[str, Any]) -> Iterable[Mapping[str, Any]]:
    """Every schema node of ``root`` once, ``$defs`` included (``$ref``\\ s are not followed)."""
    stack: list[Any] = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, Mapping):
            n = cast(Mapping[str, Any], node)
            yield n
            stack.extend(_children(n))


def find_cycle(root: Mapping[str, Any]) -> str | None:
    """A ``$ref`` that refers back to itself through the schema (recursion), if any."""

    def visit(node: Any, stack: tuple[str, ...]) -> str | None:
        if not isinstance(node, Mapping):
            return None
        n = cast(Mapping[str, Any], node)
        ref = n.get("$ref")
        if isinstance(ref, str):
            if ref in stack:
                return ref
            return visit(resolve_ref(root, n), (*stack, ref))
        for child in _children(n):
            if not (isinstance(child, Mapping) and child is n):
                found = visit(child, stack)
                if found:
                    return found
        return None

    top = {k: v for k, v in root.items() if k not in ("$defs", "definitions")}
    return visit(top, ())


class Walker:
    """Base dialect: pydantic's schema with ``oneOf`` as ``anyOf`` and no ``discriminator``.

    Class attributes configure the common rules; subclasses override ``after``/``finish``.
    """

    name: ClassVar[str] = "json-schema"
    #: Keywords the provider accepts; ``None`` means every keyword.
    allowed: ClassVar[frozenset[str] | None] = None
    #: Keywords removed silently because they carry no constraint.
    dropped: ClassVar[frozenset[str]] = frozenset({"discriminator"})
    #: Lossless rewrites this dialect performs (and :meth:`CompiledSchema.restore` undoes).
    rewrites: ClassVar[frozenset[Rewrite]] = frozenset()
    #: Close every object with ``additionalProperties: false``.
    close_objects: ClassVar[bool] = False
    #: List every property in ``required`` (optional ones stay nullable if they were).
    require_all: ClassVar[bool] = False
    #: Reject unconstrained values (``Any``) with a SchemaError.
    reject_any: ClassVar[bool] = False
    #: JSON types the provider accepts at the root; any other root is wrapped in an object.
    root_types: ClassVar[frozenset[str]] = frozenset({"object"})
    #: ``type`` names the dialect accepts (checked on the way in: invalid schemas are refused).
    type_names: ClassVar[frozenset[str]] = JSON_TYPES

    def __init__(self, root: Mapping[str, Any]) -> None:
        self.root = root
        self.changes: list[SchemaChange] = []

    # -- bookkeeping ---------------------------------------------------------------------------

    def note(self, path: str, kind: Any, detail: str, *, lossy: bool = False) -> None:
        """Record one change."""
        self.changes.append(SchemaChange(path, kind, detail, lossy))

    def fail(self, path: str, problem: str, advice: str) -> SchemaError:
        """A SchemaError naming where, what and what to do."""
        where = path or "(root)"
        return SchemaError(f"{where}: {problem} in the {self.name} dialect; {advice}")

    @staticmethod
    def describe(node: dict[str, Any], text: str) -> None:
        """Append ``(text)`` to the node's description (once)."""
        current = node.get("description")
        note = f"({text})"
        if isinstance(current, str) and note in current:
            return
        node["description"] = f"{current} {note}" if isinstance(current, str) and current else note

    # -- the walk ------------------------------------------------------------------------------

    def walk(self, node: Any, path: str = "", depth: int = 0) -> Any:
        """A transformed copy of ``node``."""
        if not isinstance(node, Mapping):
            return node
        self.check_type(cast(Mapping[str, Any], node), path)
        src = self.before(dict(cast(Mapping[str, Any], node)), path)
        untyped = "prefixItems" not in src and _untyped(src.get("items"))
        if self.reject_any and self.is_array(src) and untyped:
            # Grammar-constrained dialects need the item type: OpenAI answers "array schema
            # missing items" for {"type": "array"}, Gemini "items: missing field".
            raise self.fail(
                path,
                "a list without an item type (bare list, list[Any], or an array schema "
                "whose items are missing, true or {}) cannot be expressed",
                "give the items a concrete type (list[str], list[Model], ...)",
            )
        out: dict[str, Any] = {}
        for key, value in src.items():
            sub = f"{path}/{key}"
            if key in ("properties", "$defs", "definitions") and isinstance(value, Mapping):
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
        return self.after(out, path)

    def check_type(self, node: Mapping[str, Any], path: str) -> None:
        """Refuse a ``type`` that is not a JSON Schema type name (e.g. ``{"type": "foo"}`` from a
        custom ``__get_pydantic_json_schema__``): every provider rejects the request with a 400,
        so it is a SchemaError before anything is sent."""
        if "type" not in node:
            return
        kind = node["type"]
        kinds: list[Any] = as_list(kind) if isinstance(kind, list) else [kind]
        bad = [k for k in kinds if not isinstance(k, str) or k not in self.type_names]
        if bad or not kinds:
            raise self.fail(
                path,
                f"type {kind!r} is not a JSON Schema type (one of {', '.join(sorted(JSON_TYPES))})",
                "fix the schema the type produces (e.g. its __get_pydantic_json_schema__)",
            )

    @staticmethod
    def is_array(node: Mapping[str, Any]) -> bool:
        """Whether ``node`` is (only) an array schema: ``type`` ``array`` or ``["array", ...]``
        with nothing but ``null`` besides."""
        kind = node.get("type")
        if isinstance(kind, str):
            return kind.lower() == "array"
        kinds = [str(k).lower() for k in as_list(kind)]
        return "array" in kinds and set(kinds) <= {"array", "null"}

    def inline_root_ref(self, out: dict[str, Any]) -> dict[str, Any]:
        """A root that is only a ``$ref`` (pydantic's form for a recursive model:
        ``{"$ref": "#/$defs/Node", "$defs": {...}}``) replaced by its target, ``$defs`` kept for
        the inner references: for providers that need ``type: object`` at the root. Lossless."""
        if not isinstance(out.get("$ref"), str):
            return out
        target = dict(resolve_ref(out, out))
        inlined = {**target, **{k: v for k, v in out.items() if k != "$ref"}}
        self.note("", "rewritten", "root $ref inlined (the root must be an object)")
        return inlined

    def before(self, node: dict[str, Any], path: str) -> dict[str, Any]:
        """Whole-construct rewrites, before the children are walked."""
        if "dict_pairs" in self.rewrites and is_dict_node(node):
            value = node["additionalProperties"]
            pairs: dict[str, Any] = {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"key": {"type": "string"}, "value": value},
                    "required": ["key", "value"],
                },
            }
            for keep in ("title", "description"):
                if keep in node:
                    pairs[keep] = node[keep]
            self.describe(pairs, "a mapping, as a list of key/value pairs")
            self.note(path, "rewritten", "dict[str, X] -> list of {key, value} (converted back)")
            return pairs
        if "tuple_object" in self.rewrites and "prefixItems" in node:
            prefix = cast(list[Any], node["prefixItems"])
            if node.get("items") not in (None, False) or node.get("maxItems", len(prefix)) != len(
                prefix
            ):
                raise self.fail(
                    path,
                    "variable-length tuples (tuple[X, ...] with extra items) cannot be expressed",
                    "use list[X] or a fixed tuple",
                )
            obj: dict[str, Any] = {
                "type": "object",
                "properties": {tuple_key(i): s for i, s in enumerate(prefix)},
                "required": [tuple_key(i) for i in range(len(prefix))],
            }
            for keep in ("title", "description"):
                if keep in node:
                    obj[keep] = node[keep]
            self.note(path, "rewritten", "tuple -> object of item_0, item_1, ... (converted back)")
            return obj
        return node

    def after(self, node: dict[str, Any], path: str) -> dict[str, Any]:
        """Keyword-level rules, after the children are walked."""
        if "oneOf" in node:
            node["anyOf"] = [*node.get("anyOf", []), *node.pop("oneOf")]
            self.note(path, "rewritten", "oneOf -> anyOf (validation still checks exactly one)")
        for key in sorted(self.dropped & set(node)):
            del node[key]
            self.note(path, "dropped", f"{key} (validation still applies it)")
        if self.reject_any and (not node or node.keys() <= {"title", "description"}):
            raise self.fail(
                path, "an unconstrained value (Any) cannot be expressed", "give it a concrete type"
            )
        if self.allowed is not None:
            for key in sorted(set(node) - self.allowed):
                value = node.pop(key)
                if key in _ANNOTATIONS:
                    self.note(path, "dropped", f"{key} (annotation only)")
                    continue
                self.describe(node, f"{key}: {json.dumps(value, default=str)}")
                self.note(
                    path, "moved_to_description", f"{key}={value!r} is not supported", lossy=True
                )
        if self.close_objects and (node.get("type") == "object" or "properties" in node):
            self.close_object(node, path)
        return node

    def close_object(self, node: dict[str, Any], path: str) -> None:
        """``additionalProperties: false`` and (when ``require_all``) every property required."""
        extra = node.get("additionalProperties")
        props = cast(dict[str, Any], node.get("properties", {}))
        if isinstance(extra, Mapping) or (
            extra in (None, True) and not props and "properties" not in node
        ):
            raise self.fail(
                path,
                "objects with arbitrary keys (dict[str, X] / dict) cannot be expressed",
                "use a model with named fields or a list of key/value models",
            )
        node["properties"] = props
        node["additionalProperties"] = False
        if self.require_all:
            required = list(cast(list[str], node.get("required", [])))
            missing = [name for name in props if name not in required]
            if missing:
                self.note(path, "rewritten", f"optional properties {missing} listed as required")
            node["required"] = required + missing

    def finish(self, out: dict[str, Any]) -> dict[str, Any]:
        """Whole-schema checks and rewrites after the walk; returns the final schema."""
        return out
