"""Read a function's docstring: its summary and per-parameter descriptions.

Three common styles are understood:

* Google: an ``Args:`` (or ``Arguments:``/``Parameters:``) section of ``name (type): text``
  lines, continuation lines indented deeper;
* NumPy: a ``Parameters`` heading underlined with dashes, ``name : type`` lines, the
  description indented below;
* Sphinx: ``:param name: text`` (or ``:param type name: text``) fields.

The description is the text before the first section or field.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass, field

__all__ = ["Docstring", "parse_docstring"]

_GOOGLE_ARGS = re.compile(r"^(Args|Arguments|Parameters|Params)\s*:\s*$")
_GOOGLE_SECTION = re.compile(
    r"^(Args|Arguments|Parameters|Params|Returns?|Yields?|Raises|Examples?|Notes?|"
    r"Attributes|See Also|Warnings?|References|Todo)\s*:\s*$"
)
_GOOGLE_PARAM = re.compile(r"^\*{0,2}(\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$")
_NUMPY_HEADING = re.compile(r"^-{3,}\s*$")
_NUMPY_PARAM = re.compile(r"^\*{0,2}(\w+)\s*(?::.*)?$")
_SPHINX_FIELD = re.compile(r"^:(\w+)(?:\s+([^:]+?))?:\s*(.*)$")


@dataclass(frozen=True, slots=True)
class Docstring:
    """What a docstring says: the summary and each parameter's description."""

    description: str = ""
    params: dict[str, str] = field(default_factory=dict[str, str])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _join(lines: list[str]) -> str:
    return " ".join(part.strip() for part in lines if part.strip())


def parse_docstring(doc: str | None) -> Docstring:
    """The description and parameter descriptions of ``doc`` (any of the three styles)."""
    if not doc:
        return Docstring()
    lines = inspect.cleandoc(doc).splitlines()
    params: dict[str, str] = {}
    summary_end = len(lines)
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if _GOOGLE_SECTION.match(stripped) and _indent(line) == 0:
            summary_end = min(summary_end, i)
            if _GOOGLE_ARGS.match(stripped):
                i = _google_params(lines, i + 1, params)
                continue
        elif (
            i + 1 < len(lines)
            and stripped
            and _NUMPY_HEADING.match(lines[i + 1].strip())
            and _indent(line) == 0
        ):
            summary_end = min(summary_end, i)
            if stripped in ("Parameters", "Other Parameters", "Arguments"):
                i = _numpy_params(lines, i + 2, params)
                continue
        elif stripped.startswith(":") and _SPHINX_FIELD.match(stripped):
            summary_end = min(summary_end, i)
            i = _sphinx_field(lines, i, params)
            continue
        i += 1
    description = "\n".join(lines[:summary_end]).strip()
    # One paragraph per blank line, the lines of a paragraph joined.
    paragraphs = [_join(p.splitlines()) for p in re.split(r"\n\s*\n", description)]
    return Docstring("\n\n".join(p for p in paragraphs if p), params)


def _google_params(lines: list[str], i: int, params: dict[str, str]) -> int:
    base: int | None = None
    name: str | None = None
    text: list[str] = []
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        indent = _indent(line)
        if indent == 0:
            break
        if base is None:
            base = indent
        match = _GOOGLE_PARAM.match(line.strip()) if indent == base else None
        if match:
            if name is not None:
                params[name] = _join(text)
            name, text = match.group(1), [match.group(2)]
        elif name is not None:
            text.append(line)
        i += 1
    if name is not None:
        params[name] = _join(text)
    return i


def _numpy_params(lines: list[str], i: int, params: dict[str, str]) -> int:
    name: str | None = None
    text: list[str] = []
    while i < len(lines):
        line = lines[i]
        if i + 1 < len(lines) and line.strip() and _NUMPY_HEADING.match(lines[i + 1].strip()):
            break  # the next section
        if line.strip() and _indent(line) == 0:
            match = _NUMPY_PARAM.match(line.strip())
            if match is None:
                break
            if name is not None:
                params[name] = _join(text)
            name, text = match.group(1), []
        elif name is not None:
            text.append(line)
        i += 1
    if name is not None:
        params[name] = _join(text)
    return i


def _sphinx_field(lines: list[str], i: int, params: dict[str, str]) -> int:
    match = _SPHINX_FIELD.match(lines[i].strip())
    assert match is not None
    kind, target, first = match.group(1), match.group(2), match.group(3)
    text = [first]
    i += 1
    while i < len(lines) and lines[i].strip() and not lines[i].strip().startswith(":"):
        text.append(lines[i])
        i += 1
    if kind in ("param", "parameter", "arg", "argument", "key", "keyword") and target:
        params[target.split()[-1]] = _join(text)
    return i
