"""Deterministic, schema-valid instances from a JSON Schema (what the fake provider answers).

Rules: ``$ref`` resolves against the root's ``$defs``/``definitions``; ``const`` and ``enum``
pick a value; ``anyOf``/``oneOf`` pick a branch (the first non-null one near the root, the null
or the shallowest one deeper down, so recursive types terminate); ``allOf`` merges; objects emit
every property (optional ones are skipped past the depth limit); arrays respect
``minItems``/``maxItems``; strings respect length, ``format`` and ``pattern`` (literals,
classes, groups, alternation, quantifiers, anchors; lookarounds are checked, not generated);
numbers respect bounds and ``multipleOf``. Constraints a schema dialect moved into the
``description`` (``"(format: date)"``, ``"(pattern: \"...\")"``, ``"(minLength: 3)"``) are
applied too, so the answer still validates into the original type. A ``pattern`` no candidate
matches raises :class:`InstanceError` naming it (the fake provider answers it as an HTTP 400).
Values vary with ``seed`` and the property name, never with global randomness: the same schema
and seed always give the same value.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Mapping
from typing import Any, cast

__all__ = ["InstanceError", "generate_instance"]


class InstanceError(ValueError):
    """No value could be generated for a schema (a ``pattern`` beyond the generator)."""


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
        s = described(self.resolve(cast(Mapping[str, Any], schema)))
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
        high = s.get("maxLength")
        if isinstance(pattern, str):
            return _from_pattern(pattern, n, low, high if isinstance(high, int) else None, name)
        # Paths look like "items[1]/description": the text reads like the property name.
        leaf = re.sub(r"\[\d+\]", "", name.rsplit("/", 1)[-1])
        base = re.sub(r"[_\W]+", " ", leaf).strip() or "text"
        text = f"{base} {n}"
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


_DESCRIBED = (
    "format", "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "multipleOf", "minItems", "maxItems", "uniqueItems", "minProperties",
    "maxProperties",
)  # fmt: skip
_NOTE = re.compile(r"\((" + "|".join(_DESCRIBED) + r"): ")
_json = json.JSONDecoder()


def described(schema: Mapping[str, Any]) -> Mapping[str, Any]:
    """``schema`` with the constraints a dialect moved into its description put back (the
    dialects write ``(key: <JSON>)``, formats as ``(format: name)``)."""
    text = schema.get("description")
    if not isinstance(text, str) or "(" not in text:
        return schema
    found: dict[str, Any] = {}
    for match in _NOTE.finditer(text):
        key, at = match.group(1), match.end()
        if key == "format":
            fmt = re.match(r"([\w-]+)\)", text[at:])
            if fmt:
                found[key] = fmt.group(1)
            continue
        try:
            value, end = _json.raw_decode(text, at)
        except json.JSONDecodeError:
            continue
        if text.startswith(")", end):
            found[key] = value
    extra = {k: v for k, v in found.items() if k not in schema}
    return {**schema, **extra} if extra else schema


class _Sampler:
    """One string for a regex: each atom once with its fewest repetitions (plus ``extra``),
    the ``branch``-th alternative of every alternation (or its last). Lookarounds produce
    nothing; the caller checks the candidate against the real pattern."""

    _ESCAPES: Mapping[str, str] = {
        "d": "1", "w": "a", "s": " ", "D": "a", "W": "-", "S": "a", "n": "\n", "t": "\t",
        "r": "\r", "f": "\f", "v": "\v", "0": "\0",
    }  # fmt: skip

    def __init__(self, pattern: str, extra: int, branch: int, *, vary: bool = False) -> None:
        self.p = pattern
        self.i: int = 0
        self.extra = extra
        self.branch = branch
        self.vary = vary  # repeat "." and "\\w" as "Aa1Aa1..." (for lookaheads on classes)
        self.open_class = False

    def run(self) -> str:
        out = self.alternation()
        if self.i < len(self.p):  # an unbalanced ")": not a pattern we understand
            raise InstanceError(f"unbalanced parenthesis in pattern {self.p!r}")
        return out

    def alternation(self) -> str:
        branches = [self.sequence()]
        while self.i < len(self.p) and self.p[self.i] == "|":
            self.i += 1
            branches.append(self.sequence())
        return branches[min(self.branch, len(branches) - 1)]

    def sequence(self) -> str:
        parts: list[str] = []
        while self.i < len(self.p) and self.p[self.i] not in "|)":
            atom = self.atom()
            low, high = self.quantifier()
            count = low if high is not None and high <= low else low + self.extra
            if high is not None:
                count = min(count, high)
            if self.vary and self.open_class:
                parts.append("".join("Aa1"[k % 3] for k in range(count)))
            else:
                parts.append(atom * count)
        return "".join(parts)

    def atom(self) -> str:
        p, ch = self.p, self.p[self.i]
        self.i += 1
        self.open_class = ch == "." or (ch == "\\" and p.startswith("w", self.i))
        if ch in "^$":
            return ""
        if ch == ".":
            return "a"
        if ch == "\\":
            return self.escape(in_class=False)
        if ch == "[":
            return self.char_class()
        if ch == "(":
            look = False
            if p.startswith("?", self.i):
                if p.startswith(("?=", "?!"), self.i):
                    self.i += 2
                    look = True
                elif p.startswith(("?<=", "?<!"), self.i):
                    self.i += 3
                    look = True
                elif p.startswith(("?P<", "?<"), self.i):
                    self.i = p.index(">", self.i) + 1
                elif p.startswith("?:", self.i):
                    self.i += 2
                else:  # inline flags such as (?i): nothing to emit
                    self.i = p.index(")", self.i) + 1
                    return ""
            inner = self.alternation()
            self.open_class = False
            if not p.startswith(")", self.i):
                raise InstanceError(f"unbalanced parenthesis in pattern {p!r}")
            self.i += 1
            return "" if look else inner
        return ch

    def escape(self, *, in_class: bool) -> str:
        p = self.p
        if self.i >= len(p):
            return "\\"
        ch = p[self.i]
        self.i += 1
        if ch in "bBAZz" and not in_class:
            return ""  # assertions
        if ch == "u" and re.match(r"[0-9a-fA-F]{4}", p[self.i : self.i + 4]):
            self.i += 4
            return chr(int(p[self.i - 4 : self.i], 16))
        if ch == "x" and re.match(r"[0-9a-fA-F]{2}", p[self.i : self.i + 2]):
            self.i += 2
            return chr(int(p[self.i - 2 : self.i], 16))
        if ch.isdigit() and ch != "0" and not in_class:
            return ""  # a backreference: the check decides
        return self._ESCAPES.get(ch, ch)

    def char_class(self) -> str:
        p = self.p
        negated = p.startswith("^", self.i)
        self.i += 1 if negated else 0
        members: list[str] = []
        ranges: list[tuple[str, str]] = []
        first = True
        while self.i < len(p) and (p[self.i] != "]" or first):
            first = False
            ch = p[self.i]
            self.i += 1
            if ch == "\\":
                kind = p[self.i : self.i + 1]
                ch = self.escape(in_class=True)
                if kind in ("d", "w", "s", "D", "W", "S"):
                    members.append(ch)
                    continue
            if p.startswith("-", self.i) and self.i + 1 < len(p) and p[self.i + 1] != "]":
                self.i += 1
                end = p[self.i]
                self.i += 1
                if end == "\\":
                    end = self.escape(in_class=True)
                ranges.append((ch, end))
            else:
                members.append(ch)
        if self.i >= len(p):
            raise InstanceError(f"unterminated character class in pattern {p!r}")
        self.i += 1  # the closing "]"
        if not negated:
            return (members or [r[0] for r in ranges] or ["a"])[0]
        for candidate in "aA1x_ -.":
            if candidate not in members and not any(a <= candidate <= b for a, b in ranges):
                return candidate
        return "~"

    def quantifier(self) -> tuple[int, int | None]:
        p = self.p
        if self.i >= len(p):
            return 1, 1
        ch = p[self.i]
        bounds: tuple[int, int | None]
        if ch in "*+?":
            self.i += 1
            bounds = {"*": (0, None), "+": (1, None), "?": (0, 1)}[ch]
        elif ch == "{" and (m := re.match(r"\{(\d*)(,?)(\d*)\}", p[self.i :])):
            self.i += m.end()
            low = int(m.group(1) or 0)
            bounds = (low, low if not m.group(2) else int(m.group(3)) if m.group(3) else None)
        else:
            return 1, 1
        if self.i < len(p) and p[self.i] in "?+":  # lazy / possessive
            self.i += 1
        return bounds


def _fits(text: str, low: int, high: int | None) -> bool:
    return len(text) >= low and (high is None or len(text) <= high)


def _from_pattern(pattern: str, n: int, low: int, high: int | None, where: str) -> str:
    """A string matching ``pattern`` (JSON Schema semantics: a search, not a full match) with
    a length in ``[low, high]``; :class:`InstanceError` when no candidate fits."""
    try:
        # ECMA-262 (JSON Schema's regex dialect) names groups (?<name>...), Python (?P<name>...).
        compiled = re.compile(re.sub(r"(?<!\\)\(\?<(?![=!])", "(?P<", pattern))
    except re.error as exc:
        raise InstanceError(
            f"cannot generate a string for {where or 'the answer'}: pattern {pattern!r} is not "
            f"a regex Python understands ({exc}); script the reply instead"
        ) from exc
    candidates: list[str] = []
    for vary in (False, True):
        for extra in (0, 1, 2, 4, 8):
            for branch in (0, 1, 2, 99):
                try:
                    candidates.append(_Sampler(pattern, extra, branch, vary=vary).run())
                except (InstanceError, ValueError, IndexError):
                    continue
    candidates += [f"{n}", "a", "A1", "abc", f"x{n}"]
    for text in candidates:
        if compiled.search(text) and _fits(text, low, high):
            return text
        if text and len(text) < low:  # pad with the last character (a `+`/`*` class)
            longer = text + text[-1] * (low - len(text))
            if compiled.search(longer) and _fits(longer, low, high):
                return longer
    raise InstanceError(
        f"cannot generate a string for {where or 'the answer'} matching pattern {pattern!r}"
        + (f" with length {low}..{high if high is not None else ''}" if low or high else "")
        + "; script the reply instead (FakeProvider([...]) or responder=...)"
    )


def generate_instance(schema: Mapping[str, Any], *, seed: str = "") -> Any:
    """A deterministic value valid for ``schema`` (JSON-compatible).

    >>> schema = {"type": "object", "properties": {"n": {"type": "integer", "minimum": 10}}}
    >>> generate_instance(schema)
    {'n': 10}
    """
    return _Generator(schema, seed).value(schema, "", 0)
