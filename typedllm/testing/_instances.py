"""Deterministic, schema-valid instances from a JSON Schema (what the fake provider answers).

Rules: ``$ref`` resolves against the root's ``$defs``/``definitions``; ``const`` and ``enum``
pick a value; ``anyOf``/``oneOf`` pick a branch (the first non-null one near the root, the null
or the shallowest one deeper down, so recursive types terminate); ``allOf`` merges; objects emit
every property (optional ones are skipped past the depth limit); arrays respect
``minItems``/``maxItems``; strings respect length, ``format`` and simple ``pattern``s; numbers
respect bounds and ``multipleOf``. Values vary with ``seed`` and the property name, never with
global randomness: the same schema and seed always give the same value.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from typing import Any, cast

__all__ = ["generate_instance"]

_MAX_DEPTH = 4
_FORMATS: dict[str, str] = {
    "date-time": "2024-03-14T09:30:00Z",
    "date": "2024-03-14",
    "time": "09:30:00",
    "duration": "P1D",
    "email": "user{n}@example.com",
    "idn-email": "user{n}@example.com",
    "uri": "https://example.com/item/{n}",
    "url": "https://example.com/item/{n}",
    "uuid": "00000000-0000-4000-8000-{n:012d}",
    "ipv4": "192.0.2.{n}",
    "ipv6": "2001:db8::{n}",
    "hostname": "host{n}.example.com",
}


def _n(seed: str, name: str) -> int:
    digest = hashlib.sha256(f"{seed}/{name}".encode()).digest()
    return 1 + digest[0] % 9


class _Generator:
    def __init__(self, root: Mapping[str, Any], seed: str) -> None:
        self.root = root
        self.seed = seed

    def resolve(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        ref = schema.get("$ref")
        if not isinstance(ref, str):
            return schema
        node: Any = self.root
        for part in ref.removeprefix("#/").split("/"):
            if not isinstance(node, Mapping) or part not in node:
                raise ValueError(f"unresolvable $ref {ref!r}")
            node = cast(Mapping[str, Any], node)[part]
        merged = {
            **cast(Mapping[str, Any], node),
            **{k: v for k, v in schema.items() if k != "$ref"},
        }
        return merged

    def value(self, schema: Any, name: str, depth: int) -> Any:
        if not isinstance(schema, Mapping):
            return None
        s = self.resolve(cast(Mapping[str, Any], schema))
        if "const" in s:
            return s["const"]
        if "enum" in s:
            options = cast(list[Any], s["enum"])
            return options[_n(self.seed, name) % len(options)] if options else None
        for key in ("anyOf", "oneOf"):
            if key in s:
                return self.value(self.pick(cast(list[Any], s[key]), depth), name, depth)
        if "allOf" in s:
            merged: dict[str, Any] = {}
            for part in cast(list[Any], s["allOf"]):
                merged.update(self.resolve(cast(Mapping[str, Any], part)))
            rest = {k: v for k, v in s.items() if k != "allOf"}
            return self.value({**merged, **rest}, name, depth)
        kind = s.get("type")
        if isinstance(kind, list):
            kinds = cast(list[str], kind)
            non_null = [k for k in kinds if k != "null"]
            kind = (
                "null" if (depth >= _MAX_DEPTH and "null" in kinds) or not non_null else non_null[0]
            )
        if kind is None:
            kind = "object" if "properties" in s else "array" if "items" in s else "string"
        if kind == "object":
            return self.obj(s, name, depth)
        if kind == "array":
            return self.array(s, name, depth)
        if kind == "string":
            return self.string(s, name)
        if kind == "integer":
            return int(self.number(s, name, integer=True))
        if kind == "number":
            return self.number(s, name, integer=False)
        if kind == "boolean":
            return _n(self.seed, name) % 2 == 0
        return None

    def pick(self, options: list[Any], depth: int) -> Any:
        resolved = [
            self.resolve(cast(Mapping[str, Any], o)) for o in options if isinstance(o, Mapping)
        ]
        if not resolved:
            return {}
        nulls = [o for o in resolved if o.get("type") == "null"]
        others = [o for o in resolved if o.get("type") != "null"]
        if depth >= _MAX_DEPTH and nulls:
            return nulls[0]
        if not others:
            return resolved[0]
        if depth >= _MAX_DEPTH:  # prefer leaves so that recursion terminates
            leaves = [o for o in others if o.get("type") not in ("object", "array")]
            return (leaves or others)[0]
        return others[0]

    def obj(self, s: Mapping[str, Any], name: str, depth: int) -> dict[str, Any]:
        props = cast(Mapping[str, Any], s.get("properties", {}))
        required = set(cast(list[str], s.get("required", [])))
        out: dict[str, Any] = {}
        for key, sub in props.items():
            if key in required or depth < _MAX_DEPTH:
                out[key] = self.value(sub, f"{name}/{key}" if name else key, depth + 1)
        extra = s.get("additionalProperties")
        if not props and isinstance(extra, Mapping):
            count = max(1, int(s.get("minProperties", 1)))
            for i in range(count):
                out[f"{name or 'key'}_{i + 1}"] = self.value(extra, f"{name}_{i}", depth + 1)
        return out

    def array(self, s: Mapping[str, Any], name: str, depth: int) -> list[Any]:
        prefix = cast(list[Any], s.get("prefixItems", []))
        low = int(s.get("minItems", 0))
        high = s.get("maxItems")
        count = max(low, 0 if depth >= _MAX_DEPTH else 2)
        if isinstance(high, int):
            count = min(count, high)
        count = max(count, len(prefix)) if prefix else count
        items = s.get("items", {})
        out: list[Any] = [self.value(p, f"{name}[{i}]", depth + 1) for i, p in enumerate(prefix)]
        i = len(out)
        while len(out) < count:
            if items is False:
                break
            value = self.value(items, f"{name}[{i}]", depth + 1)
            if s.get("uniqueItems") and value in out:
                value = self.value(items, f"{name}[{i}]#{len(out)}", depth + 1)
                if value in out:
                    break
            out.append(value)
            i += 1
        return out

    def string(self, s: Mapping[str, Any], name: str) -> str:
        n = _n(self.seed, name)
        fmt = s.get("format")
        if isinstance(fmt, str) and fmt in _FORMATS:
            return _FORMATS[fmt].format(n=n)
        pattern = s.get("pattern")
        low = int(s.get("minLength", 0))
        if isinstance(pattern, str):
            text = _from_pattern(pattern, n)
            if 0 < len(text) < low:
                # Repeat the last character (a `+`/`*` class in simple patterns) up to minLength.
                longer = text + text[-1] * (low - len(text))
                if re.search(pattern, longer):
                    text = longer
            return text
        # Paths look like "items[1]/description": the text reads like the property name.
        leaf = re.sub(r"\[\d+\]", "", name.rsplit("/", 1)[-1])
        base = re.sub(r"[_\W]+", " ", leaf).strip() or "text"
        text = f"{base} {n}"
        high = s.get("maxLength")
        if len(text) < low:
            text = text + "x" * (low - len(text))
        if isinstance(high, int) and len(text) > high:
            text = text[:high]
        return text

    def number(self, s: Mapping[str, Any], name: str, *, integer: bool) -> float:
        low = s.get("minimum")
        high = s.get("maximum")
        xlow = s.get("exclusiveMinimum")
        xhigh = s.get("exclusiveMaximum")
        step = 1.0 if integer else 0.5
        lo = -math.inf
        hi = math.inf
        if isinstance(low, (int, float)):
            lo = float(low)
        if isinstance(xlow, (int, float)):
            lo = max(lo, float(xlow) + (1 if integer else 1e-6))
        if isinstance(high, (int, float)):
            hi = float(high)
        if isinstance(xhigh, (int, float)):
            hi = min(hi, float(xhigh) - (1 if integer else 1e-6))
        value = float(_n(self.seed, name)) + (0.0 if integer else step)
        if value < lo:
            value = math.ceil(lo) if integer else lo
        if value > hi:
            value = math.floor(hi) if integer else hi
        multiple = s.get("multipleOf")
        if isinstance(multiple, (int, float)) and multiple > 0:
            value = math.ceil(value / multiple) * multiple
            if value > hi:
                value = math.floor(hi / multiple) * multiple
        return float(int(value)) if integer else value


_CLASSES = {"\\d": "7", "\\w": "a", "\\s": " ", ".": "a"}


def _from_pattern(pattern: str, n: int) -> str:
    """A string matching simple patterns: literals, classes ``[a-z]``, ``\\d``, quantifiers."""
    body = pattern.removeprefix("^").removesuffix("$")
    out: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            token = body[i : i + 2]
            piece = _CLASSES.get(token, body[i + 1])
            i += 2
        elif ch == "[":
            end = body.index("]", i)
            cls = body[i + 1 : end]
            piece = cls[0] if cls and cls[0] != "^" else "a"
            if piece == "\\" and len(cls) > 1:
                piece = _CLASSES.get(cls[:2], cls[1])
            i = end + 1
        elif ch == ".":
            piece = "a"
            i += 1
        elif ch in "()|":
            i += 1
            continue
        else:
            piece = ch
            i += 1
        repeat = 1
        if i < len(body) and body[i] in "+*?{":
            if body[i] == "{":
                end = body.index("}", i)
                repeat = int(body[i + 1 : end].split(",")[0] or 1)
                i = end + 1
            else:
                repeat = 0 if body[i] in "*?" else 1
                i += 1
        out.append(piece * repeat)
    candidate = "".join(out)
    if re.search(pattern, candidate):
        return candidate
    for fallback in (f"{n}", "a", "A1", "abc", f"x{n}"):
        if re.search(pattern, fallback):
            return fallback
    raise ValueError(f"cannot generate a string matching pattern {pattern!r}")


def generate_instance(schema: Mapping[str, Any], *, seed: str = "") -> Any:
    """A deterministic value valid for ``schema`` (JSON-compatible).

    >>> schema = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 10}}}
    >>> generate_instance(schema)
    {'n': 10}
    """
    return _Generator(schema, seed).value(schema, "", 0)
