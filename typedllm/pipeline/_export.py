"""Writing pipeline results to files: JSON Lines, CSV and Parquet.

Each function takes any iterable of :class:`~typedllm.pipeline.ItemResult` (the
:class:`~typedllm.pipeline.MapResults` of a run, ``journal.results()``, a
``map_as_completed`` iterator) and a destination.

Two shapes of record:

* **nested** (``to_jsonl`` by default): one object per item with its ``id``, ``index``,
  ``ok``, the ``output`` as JSON, the ``error`` (type and message), ``usage``, ``cost``,
  ``attempts``, ``seconds`` and ``cached``: everything the result holds but the completion.
* **flat** (CSV, Parquet, ``to_jsonl(..., flat=True)``): the output's fields as columns
  (nested values as JSON text in CSV and Parquet), beside ``id``, ``ok``, ``error_type``,
  ``error``, ``input_tokens``, ``output_tokens``, ``cost`` and ``attempts``. An output that
  is not an object (a string, a list) is one ``output`` column. An output field named like
  one of those columns is written as ``output.<name>``.

Outputs are turned into JSON values by pydantic (``TypeAdapter(Any).dump_python(mode="json")``):
models and dataclasses become objects, dates ISO strings, ``Decimal`` a string of digits.
"""

from __future__ import annotations

import csv
import importlib
import os
from collections.abc import Generator, Iterable
from contextlib import contextmanager
from typing import IO, Any

import orjson
from pydantic import TypeAdapter

from .._errors import ConfigurationError
from ._results import ItemResult

__all__ = ["flat_record", "nested_record", "output_fields", "to_csv", "to_jsonl", "to_parquet"]

Destination = str | os.PathLike[str] | IO[str]
"""A file path, or a text file open for writing (``sys.stdout``, ``io.StringIO()``)."""

_ANY = TypeAdapter[Any](Any)

_FLAT_HEAD = ("id", "ok")
_FLAT_TAIL = ("error_type", "error", "input_tokens", "output_tokens", "cost", "attempts")
_RESERVED = frozenset((*_FLAT_HEAD, *_FLAT_TAIL))


def _json_value(output: Any) -> Any:
    return _ANY.dump_python(output, mode="json")


def output_fields(output: Any) -> dict[str, Any]:
    """An output as named JSON values: an object's fields, else ``{"output": value}``."""
    value = _json_value(output)
    if isinstance(value, dict):
        return value  # pyright: ignore[reportUnknownVariableType]
    return {"output": value}


def nested_record(result: ItemResult[Any]) -> dict[str, Any]:
    """One result as a JSON object (the nested shape of :func:`to_jsonl`)."""
    error = result.error
    usage = result.usage
    return {
        "id": result.id,
        "index": result.index,
        "ok": error is None,
        "output": _json_value(result.output) if error is None else None,
        "error": None if error is None else {"type": type(error).__name__, "message": str(error)},
        "usage": {
            "input_tokens": usage.input_tokens,
            "output_tokens": usage.output_tokens,
            "cache_read_tokens": usage.cache_read_tokens,
            "reasoning_tokens": usage.reasoning_tokens,
            "cache_write_tokens": usage.cache_write_tokens,
        },
        "cost": result.cost,
        "attempts": result.attempts,
        "seconds": result.seconds,
        "cached": result.cached,
    }


def flat_record(
    result: ItemResult[Any], *, meta: bool = True, id_key: str = "id"
) -> dict[str, Any]:
    """One result as a flat record: ``id``, the output's fields (a failure has none), and
    with ``meta`` the ``ok``, error, token, cost and attempt columns. Nested values stay
    JSON values (the writers decide how to store them).

    ``id_key`` names the id column (the CLI uses the input's id field); an output field
    named like a column of its own is renamed ``output.<name>``."""
    reserved = _RESERVED | {id_key} if meta else frozenset((id_key, "error_type", "error"))
    record: dict[str, Any] = {id_key: result.id}
    if meta:
        record["ok"] = result.error is None
    if result.error is None:
        for name, value in output_fields(result.output).items():
            record[f"output.{name}" if name in reserved else name] = value
    if meta:
        error = result.error
        record["error_type"] = None if error is None else type(error).__name__
        record["error"] = None if error is None else str(error)
        record["input_tokens"] = result.usage.input_tokens
        record["output_tokens"] = result.usage.output_tokens
        record["cost"] = result.cost
        record["attempts"] = result.attempts
    elif result.error is not None:
        record["error_type"] = type(result.error).__name__
        record["error"] = str(result.error)
    return record


@contextmanager
def _opened(dest: Destination, *, newline: str | None = None) -> Generator[IO[str], None, None]:
    """The destination as a text file: a path is opened (and closed), a file is used as is."""
    if isinstance(dest, (str, os.PathLike)):
        with open(dest, "w", encoding="utf-8", newline=newline) as file:
            yield file
    elif callable(getattr(dest, "write", None)):
        yield dest
    else:
        raise ConfigurationError(f"write to a path or a text file, got {type(dest).__name__}")


def to_jsonl(
    results: Iterable[ItemResult[Any]],
    dest: Destination,
    *,
    flat: bool = False,
    id_key: str = "id",
) -> int:
    """Write one JSON object per result, one per line; return how many were written.

    The nested shape by default (see the module doc); ``flat=True`` writes ``{id, **fields}``
    for a success and ``{id, error_type, error}`` for a failure (the CLI's output records).
    Results are written as they come, so a ``map_as_completed`` iterator streams to disk."""
    count = 0
    with _opened(dest) as file:
        for result in results:
            record = (
                flat_record(result, meta=False, id_key=id_key) if flat else nested_record(result)
            )
            file.write(orjson.dumps(record).decode())
            file.write("\n")
            count += 1
        file.flush()
    return count


def _columns(records: list[dict[str, Any]], *, meta: bool, id_key: str) -> list[str]:
    """Every key, in order of first appearance, with the metadata columns first and last
    (without ``meta``: the id first, the error columns last when a failure has them)."""
    head = (id_key, *_FLAT_HEAD[1:]) if meta else (id_key,)
    tail = _FLAT_TAIL if meta else ("error_type", "error")
    seen: dict[str, None] = dict.fromkeys(head)
    for record in records:
        for key in record:
            if key not in tail:
                seen.setdefault(key)
    if meta or any("error" in record for record in records):
        seen.update(dict.fromkeys(tail))
    return list(seen)


def _cell(value: Any) -> Any:
    """A CSV or Parquet cell: scalars as they are, nested values as JSON text."""
    if isinstance(value, (dict, list)):
        return orjson.dumps(value).decode()
    return value


def to_csv(
    results: Iterable[ItemResult[Any]],
    dest: Destination,
    *,
    meta: bool = True,
    id_key: str = "id",
) -> int:
    """Write the results as CSV (the flat shape: a header, then one row per result); return
    how many rows were written. Nested values are JSON text; a missing value is empty.

    ``meta=False`` leaves out the ``ok``, token, cost and attempt columns (the id and the
    output's fields, plus ``error_type`` and ``error`` when a failure is among the results);
    ``id_key`` names the id column."""
    records = [flat_record(r, meta=meta, id_key=id_key) for r in results]
    columns = _columns(records, meta=meta, id_key=id_key)
    with _opened(dest, newline="") as file:
        writer = csv.DictWriter(file, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        for record in records:
            writer.writerow({k: _cell(v) for k, v in record.items()})
        file.flush()
    return len(records)


def to_parquet(
    results: Iterable[ItemResult[Any]],
    path: str | os.PathLike[str] | IO[bytes],
    *,
    meta: bool = True,
    id_key: str = "id",
) -> int:
    """Write the results as a Parquet file (the flat shape; nested values as JSON text);
    return how many rows were written. ``meta`` and ``id_key`` as for :func:`to_csv`.

    Needs pyarrow: ``pip install 'typedllm[parquet]'``. A column whose values mix types (an
    int in one row, a string in another) is stored as text."""
    try:
        # Imported by name: pyarrow is an optional extra without type information, so it is
        # an untyped module here whether it is installed or not.
        pa: Any = importlib.import_module("pyarrow")
        pq: Any = importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise ConfigurationError(
            "to_parquet needs pyarrow: pip install 'typedllm[parquet]'"
        ) from None
    records = [flat_record(r, meta=meta, id_key=id_key) for r in results]
    columns = _columns(records, meta=meta, id_key=id_key)
    arrays: list[Any] = []
    for column in columns:
        values = [_cell(record.get(column)) for record in records]
        try:
            arrays.append(pa.array(values))
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            arrays.append(pa.array([None if v is None else str(v) for v in values], pa.string()))
    table = pa.Table.from_arrays(arrays, names=columns)
    target: Any = os.fspath(path) if isinstance(path, (str, os.PathLike)) else path
    pq.write_table(table, target)
    return len(records)
