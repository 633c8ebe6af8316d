"""Reading the CLI's input records (JSON Lines or CSV) and writing its outputs.

Input records are checked before any request is sent: each must have the fields the prompt
template names and, with ``--id-field``, a distinct non-empty id; a mistake is a
:class:`~typedllm.ConfigurationError` naming the line (exit code 2), not a run of failures."""

from __future__ import annotations

import csv
import os
import string
import sys
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any, cast

import orjson

from .._errors import ConfigurationError
from ..pipeline._export import to_csv, to_jsonl, to_parquet
from ..pipeline._results import ItemResult

__all__ = [
    "FORMATS",
    "OUTPUT_FORMATS",
    "check_records",
    "format_of",
    "read_records",
    "template_fields",
    "write_results",
]

FORMATS = ("jsonl", "csv")
"""Input formats."""

OUTPUT_FORMATS = ("jsonl", "csv", "parquet")
"""Output formats."""

_EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
}


def format_of(path: str, given: str | None, allowed: tuple[str, ...], option: str) -> str:
    """The format of a file: the one given, else the one its extension tells (``-``, stdin or
    stdout, is JSON Lines)."""
    if given is not None:
        return given
    if path == "-":
        return "jsonl"
    found = _EXTENSIONS.get(os.path.splitext(path)[1].lower())
    if found is None or found not in allowed:
        raise ConfigurationError(
            f"cannot tell the format of {path!r} from its extension: pass {option} "
            f"({' or '.join(allowed)})"
        )
    return found


def _lines(text: Iterable[str], source: str) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(text, start=1):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise ConfigurationError(f"{source}, line {number}: not JSON ({exc})") from None
        if not isinstance(value, (dict, str)):
            raise ConfigurationError(
                f"{source}, line {number}: expected a JSON object (a record) or a string, "
                f"got {type(value).__name__}"
            )
        yield number, value


def read_records(path: str, fmt: str, *, stdin: IO[str] | None = None) -> list[tuple[int, Any]]:
    """Every record of the input, with its line number (1-based; CSV rows count the header as
    line 1). A JSON Lines line is an object (a record) or a string (a prompt)."""
    source = "stdin" if path == "-" else path
    try:
        if path == "-":
            file = stdin if stdin is not None else sys.stdin
            return _read(file, fmt, source)
        with open(path, encoding="utf-8", newline="") as opened:
            return _read(opened, fmt, source)
    except OSError as exc:
        raise ConfigurationError(f"cannot read --input {source}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise ConfigurationError(f"--input {source} is not UTF-8 text: {exc}") from None


def _read(file: IO[str], fmt: str, source: str) -> list[tuple[int, Any]]:
    if fmt == "jsonl":
        return list(_lines(file, source))
    reader = csv.DictReader(file)
    if reader.fieldnames is None:
        return []
    return [(number, dict(row)) for number, row in enumerate(reader, start=2)]


def template_fields(template: str) -> list[str]:
    """The record fields a prompt template names (``{text}``, ``{meta.title}`` -> ``meta``;
    ``{input}`` is the whole input, not a field)."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ConfigurationError(f"--prompt is not a valid template: {exc}") from None
    names: list[str] = []
    for _literal, field, _spec, _conversion in parsed:
        if field is None:
            continue
        base = field.split(".", 1)[0].split("[", 1)[0]
        if not base or base.isdigit():
            raise ConfigurationError(
                f"--prompt names a positional field {{{field}}}: name a record field instead"
            )
        if base != "input" and base not in names:
            names.append(base)
    return names


def check_records(
    records: list[tuple[int, Any]], fields: list[str], id_field: str | None, source: str
) -> None:
    """Every record has the template's fields, and a distinct id when ``id_field`` is given."""
    seen: dict[str, int] = {}
    for number, record in records:
        if isinstance(record, str):
            if fields:
                raise ConfigurationError(
                    f"{source}, line {number} is a string, but the prompt names the field "
                    f"{fields[0]!r}: write records (JSON objects), or --prompt '{{input}}'"
                )
            if id_field is not None:
                raise ConfigurationError(
                    f"{source}, line {number} is a string, so it has no --id-field {id_field!r}"
                )
            continue
        record = cast("Mapping[str, Any]", record)
        for name in fields:
            if name not in record:
                raise ConfigurationError(
                    f"{source}, line {number} has no field {name!r}, which the prompt names "
                    f"(fields: {', '.join(map(str, record)) or 'none'}); see --text-field"
                )
        if id_field is not None:
            value = record.get(id_field)
            if value is None or value == "":
                raise ConfigurationError(
                    f"{source}, line {number} has no --id-field {id_field!r} (or it is empty)"
                )
            key = str(value)
            if key in seen:
                raise ConfigurationError(
                    f"{source}: the id {key!r} is on lines {seen[key]} and {number}; "
                    "ids must be distinct (the journal keys items by id)"
                )
            seen[key] = number


def write_results(
    results: Iterable[ItemResult[Any]],
    dest: str,
    fmt: str,
    *,
    id_key: str,
    stdout: IO[str] | None = None,
) -> int:
    """Write the output records (the id and the output's fields) to ``dest`` (``-`` for
    stdout); return how many were written."""
    target: str | IO[str] = dest
    if dest == "-":
        target = stdout if stdout is not None else sys.stdout
    if fmt == "jsonl":
        return to_jsonl(results, target, flat=True, id_key=id_key)
    if fmt == "csv":
        return to_csv(results, target, meta=False, id_key=id_key)
    if dest == "-":
        raise ConfigurationError("Parquet output needs a file path (--output results.parquet)")
    return to_parquet(results, dest, meta=False, id_key=id_key)
