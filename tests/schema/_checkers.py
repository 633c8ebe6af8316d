"""Checkers of each provider's documented schema rules, written from the provider docs.

* OpenAI: https://platform.openai.com/docs/guides/structured-outputs#supported-schemas
* Anthropic: https://docs.claude.com/en/docs/build-with-claude/structured-outputs
  ("JSON Schema limitations")
* Gemini: https://ai.google.dev/gemini-api/docs/structured-output and the ``Schema`` object of
  https://ai.google.dev/api/caching#Schema (OpenAPI 3.0 subset)
"""

from __future__ import annotations

import re
from typing import Any

import jsonschema

_OPENAI_ALLOWED = {
    "type", "properties", "required", "additionalProperties", "items", "enum", "const", "anyOf",
    "$ref", "$defs", "description", "title", "pattern", "format", "minimum", "maximum",
    "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minItems", "maxItems",
}  # fmt: skip
_OPENAI_FORMATS = {
    "date-time",
    "time",
    "date",
    "duration",
    "email",
    "hostname",
    "ipv4",
    "ipv6",
    "uuid",
}

_ANTHROPIC_UNSUPPORTED = {
    "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "minLength",
    "maxLength", "maxItems", "uniqueItems", "minProperties", "maxProperties", "oneOf",
    "prefixItems", "discriminator", "pattern",
}  # fmt: skip
_ANTHROPIC_FORMATS = _OPENAI_FORMATS | {"uri"}

_OPENAPI_ALLOWED = {
    "type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems",
    "properties", "required", "minProperties", "maxProperties", "minLength", "maxLength",
    "pattern", "anyOf", "propertyOrdering", "items", "minimum", "maximum",
}  # fmt: skip
_OPENAPI_TYPES = {"STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT"}


def _subschemas(node: dict[str, Any]) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    for key in ("properties", "$defs"):
        out += [(f"{key}/{k}", v) for k, v in node.get(key, {}).items()]
    for key in ("anyOf", "oneOf", "allOf", "prefixItems"):
        out += [(f"{key}/{i}", v) for i, v in enumerate(node.get(key, []))]
    for key in ("items", "additionalProperties"):
        if isinstance(node.get(key), dict):
            out.append((key, node[key]))
    return out


def _walk(node: Any, path: str, visit: Any) -> None:
    assert isinstance(node, dict), path
    visit(node, path)
    for sub, child in _subschemas(node):
        _walk(child, f"{path}/{sub}", visit)


def _ref_cycle(schema: dict[str, Any]) -> bool:
    defs = schema.get("$defs", {})

    def refs(node: Any) -> set[str]:
        found: set[str] = set()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                found.add(node["$ref"].split("/")[-1])
            for _, child in _subschemas(node):
                found |= refs(child)
        return found

    graph = {name: refs(d) for name, d in defs.items()}

    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        todo = list(graph.get(start, ()))
        while todo:
            n = todo.pop()
            if n not in seen:
                seen.add(n)
                todo += list(graph.get(n, ()))
        return seen

    return any(name in reach(name) for name in graph)


def check_openai_strict(schema: dict[str, Any]) -> None:
    assert schema.get("type") == "object" and "anyOf" not in schema, "root must be an object"

    def visit(node: dict[str, Any], path: str) -> None:
        unknown = set(node) - _OPENAI_ALLOWED
        assert not unknown, f"{path}: unsupported keywords {unknown}"
        if "$ref" in node:
            assert set(node) == {"$ref"}, f"{path}: $ref with siblings"
        if "format" in node:
            assert node["format"] in _OPENAI_FORMATS, path
        if node.get("type") == "object" or "properties" in node:
            assert node.get("additionalProperties") is False, f"{path}: open object"
            assert set(node.get("required", [])) == set(node.get("properties", {})), path
        # OpenAI rejects regex lookaround and arrays whose items are not typed.
        if "pattern" in node:
            assert not re.search(r"\(\?<?[=!]", node["pattern"]), f"{path}: lookaround"
        if node.get("type") == "array":
            assert isinstance(node.get("items"), dict) and node["items"], f"{path}: untyped items"

    _walk(schema, "", visit)
    jsonschema.Draft202012Validator.check_schema(schema)


def check_anthropic(schema: dict[str, Any]) -> None:
    # Object and array roots are accepted (recorded: anthropic-sdk-python's array-of-int case).
    assert schema.get("type") in ("object", "array"), "root must be an object or an array"
    assert not _ref_cycle(schema), "recursive schemas are not supported"

    def visit(node: dict[str, Any], path: str) -> None:
        bad = set(node) & _ANTHROPIC_UNSUPPORTED
        assert not bad, f"{path}: unsupported keywords {bad}"
        assert not isinstance(node.get("type"), list), f"{path}: type lists (use anyOf)"
        if "format" in node:
            assert node["format"] in _ANTHROPIC_FORMATS, path
        if "minItems" in node:
            assert node["minItems"] in (0, 1), path
        if node.get("type") == "object" or "properties" in node:
            assert node.get("additionalProperties") is False, f"{path}: open object"
        assert "default" not in node, path
        if "anyOf" in node or isinstance(node.get("type"), list):
            counts["unions"] += 1
        if isinstance(node.get("properties"), dict):
            counts["optional"] += len(set(node["properties"]) - set(node.get("required", [])))

    counts = {"unions": 0, "optional": 0}
    _walk(schema, "", visit)
    # "Schema complexity limits": 16 parameters with union types, 24 optional parameters.
    assert counts["unions"] <= 16, counts
    assert counts["optional"] <= 24, counts
    jsonschema.Draft202012Validator.check_schema(schema)


def check_anthropic_tool(schema: dict[str, Any]) -> None:
    # A forced tool's input_schema needs "type": "object" at its root (a bare $ref is a 400).
    assert schema.get("type") == "object", "input_schema root must be an object"
    jsonschema.Draft202012Validator.check_schema(schema)


def check_gemini_openapi(schema: dict[str, Any]) -> None:
    def visit(node: dict[str, Any], path: str) -> None:
        unknown = set(node) - _OPENAPI_ALLOWED
        assert not unknown, f"{path}: unsupported keywords {unknown}"
        if "anyOf" not in node:
            assert node.get("type") in _OPENAPI_TYPES, f"{path}: type {node.get('type')!r}"
        if "enum" in node:
            assert all(isinstance(v, str) for v in node["enum"]), f"{path}: non-string enum"
            assert node["type"] == "STRING", path

    _walk(schema, "", visit)


def check_jsonschema(schema: dict[str, Any]) -> None:
    """Dialects that take (a subset of) standard JSON Schema: it must at least be valid."""
    jsonschema.Draft202012Validator.check_schema(schema)


CHECKERS = {
    "openai-strict": check_openai_strict,
    "anthropic": check_anthropic,
    "anthropic-tool": check_anthropic_tool,
    "gemini-openapi": check_gemini_openapi,
}


def check(dialect: str, schema: dict[str, Any]) -> None:
    CHECKERS.get(dialect, check_jsonschema)(schema)


def openapi_to_jsonschema(node: Any) -> Any:
    """Gemini's OpenAPI subset back into JSON Schema, to validate answers against it."""
    if isinstance(node, list):
        return [openapi_to_jsonschema(v) for v in node]
    if not isinstance(node, dict):
        return node
    out = {
        k: openapi_to_jsonschema(v)
        for k, v in node.items()
        if k not in ("nullable", "propertyOrdering")
    }
    if isinstance(out.get("type"), str):
        out["type"] = out["type"].lower()
    if node.get("nullable"):
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
        elif "anyOf" in out:
            out["anyOf"] = [*out["anyOf"], {"type": "null"}]
    return out
