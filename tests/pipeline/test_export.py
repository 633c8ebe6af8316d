"""Exports: JSON Lines (nested and flat), CSV (fields flattened into columns), Parquet."""

from __future__ import annotations

import csv
import io
import json
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.pipeline import ItemResult, Journal, to_csv, to_jsonl, to_parquet


class Address(BaseModel):
    city: str
    zip: str


class Invoice(BaseModel):
    number: int
    total: Decimal
    issued: date
    address: Address
    tags: list[str]
    id: str  # collides with the id column


def _invoice(n: int) -> Invoice:
    return Invoice(
        number=n,
        total=Decimal("10.50"),
        issued=date(2024, 1, n),
        address=Address(city="Oslo", zip="0150"),
        tags=["a", "b"],
        id=f"INV-{n}",
    )


def _results() -> list[ItemResult[Any]]:
    return [
        ItemResult(0, "doc-0", _invoice(1), usage=tl.Usage(10, 5), cost=0.5, attempts=1),
        ItemResult(
            1,
            "doc-1",
            error=tl.RateLimitError("slow down", provider="openai", status_code=429),
            usage=tl.Usage(3, 0),
            attempts=3,
        ),
        ItemResult(2, "doc-2", _invoice(2), usage=tl.Usage(11, 6), cost=None, attempts=2),
    ]


def test_jsonl_nested_records_hold_everything_but_the_completion(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    assert to_jsonl(_results(), path) == 3
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    first, second = lines[0], lines[1]
    assert first["id"] == "doc-0" and first["index"] == 0 and first["ok"] is True
    assert first["output"] == {
        "number": 1,
        "total": "10.50",
        "issued": "2024-01-01",
        "address": {"city": "Oslo", "zip": "0150"},
        "tags": ["a", "b"],
        "id": "INV-1",
    }
    assert first["usage"]["input_tokens"] == 10 and first["cost"] == 0.5
    assert second["ok"] is False and second["output"] is None
    assert second["error"]["type"] == "RateLimitError"
    assert "slow down" in second["error"]["message"]
    assert second["attempts"] == 3 and second["cached"] is False
    # Round trip: a line's output validates back into the schema.
    assert Invoice.model_validate(first["output"]) == _invoice(1)


def test_jsonl_flat_records_are_the_fields_and_the_id() -> None:
    buffer = io.StringIO()
    to_jsonl(_results(), buffer, flat=True, id_key="doc_id")
    lines = [json.loads(line) for line in buffer.getvalue().splitlines()]
    assert lines[0]["doc_id"] == "doc-0"
    assert lines[0]["id"] == "INV-1"  # no clash with doc_id, so the field keeps its name
    assert lines[0]["address"] == {"city": "Oslo", "zip": "0150"}
    assert lines[1] == {
        "doc_id": "doc-1",
        "error_type": "RateLimitError",
        "error": "openai returned HTTP 429: slow down",
    }
    flat_default = io.StringIO()
    to_jsonl(_results()[:1], flat_default, flat=True)
    record = json.loads(flat_default.getvalue())
    assert record["id"] == "doc-0" and record["output.id"] == "INV-1"


def test_jsonl_streams_an_iterator_and_takes_text_outputs() -> None:
    buffer = io.StringIO()
    items = (ItemResult(i, str(i), f"answer {i}") for i in range(3))
    assert to_jsonl(items, buffer, flat=True) == 3
    assert json.loads(buffer.getvalue().splitlines()[2]) == {"id": "2", "output": "answer 2"}


def test_csv_flattens_fields_into_columns(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    assert to_csv(_results(), path) == 3
    with path.open(newline="") as file:
        rows = list(csv.DictReader(file))
    header = path.read_text().splitlines()[0].split(",")
    assert header == [
        "id",
        "ok",
        "number",
        "total",
        "issued",
        "address",
        "tags",
        "output.id",
        "error_type",
        "error",
        "input_tokens",
        "output_tokens",
        "cost",
        "attempts",
    ]
    assert rows[0]["id"] == "doc-0" and rows[0]["ok"] == "True"
    assert rows[0]["number"] == "1" and rows[0]["total"] == "10.50"
    assert json.loads(rows[0]["address"]) == {"city": "Oslo", "zip": "0150"}  # JSON text
    assert json.loads(rows[0]["tags"]) == ["a", "b"]
    assert rows[0]["output.id"] == "INV-1"
    assert rows[0]["cost"] == "0.5" and rows[0]["error"] == ""
    assert rows[1]["ok"] == "False" and rows[1]["number"] == ""
    assert rows[1]["error_type"] == "RateLimitError" and rows[1]["attempts"] == "3"
    assert rows[2]["cost"] == "" and rows[2]["input_tokens"] == "11"


def test_csv_of_text_outputs_and_of_nothing() -> None:
    buffer = io.StringIO()
    to_csv([ItemResult(0, "a", 'say "hi", twice')], buffer)
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert rows[0]["output"] == 'say "hi", twice'
    empty = io.StringIO()
    assert to_csv([], empty) == 0
    assert empty.getvalue().strip().split(",")[:2] == ["id", "ok"]


def test_exports_read_a_journal(tmp_path: Path) -> None:
    with Journal(tmp_path / "run.db") as journal:
        for result in _results():
            journal.save(result, "h")
        buffer = io.StringIO()
        to_csv(journal, buffer)  # a journal is an iterable of its results
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert [r["id"] for r in rows] == ["doc-0", "doc-1", "doc-2"]
    assert rows[2]["issued"] == "2024-01-02"


def test_a_destination_that_is_no_file_is_an_error() -> None:
    with pytest.raises(tl.ConfigurationError, match="path or a text file"):
        to_jsonl(_results(), 42)  # type: ignore[arg-type]


def test_parquet_has_typed_columns(tmp_path: Path) -> None:
    pq = pytest.importorskip(
        "pyarrow.parquet", reason="pyarrow is not installed (pip install 'typedllm[parquet]')"
    )
    path = tmp_path / "out.parquet"
    mixed = ItemResult(3, "doc-3", {"number": "not a number"})  # mixes types in one column
    assert to_parquet([*_results(), mixed], path) == 4
    table = pq.read_table(path)
    assert table.column_names[:3] == ["id", "ok", "number"]
    rows = table.to_pylist()
    assert rows[0]["id"] == "doc-0" and rows[0]["ok"] is True
    assert json.loads(rows[0]["address"]) == {"city": "Oslo", "zip": "0150"}
    assert rows[1]["error_type"] == "RateLimitError" and rows[1]["number"] is None
    assert rows[0]["cost"] == 0.5 and rows[2]["cost"] is None
    assert str(table.schema.field("input_tokens").type) == "int64"
    assert [r["number"] for r in rows] == ["1", None, "2", "not a number"]  # stored as text


def test_parquet_without_pyarrow_says_how_to_get_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if it were not installed
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(tl.ConfigurationError, match=r"typedllm\[parquet\]"):
        to_parquet(_results(), tmp_path / "out.parquet")
