"""MapResults keeps a run's results in columns (typedllm/pipeline/_results.py ResultColumns):
what it hands back is the same results, in input order, whatever they hold, and what it keeps
per item is the output alone (no record objects for the garbage collector to walk)."""

from __future__ import annotations

import asyncio
import gc
import pickle
import random
from typing import Any

import pytest
from pydantic import BaseModel

import typedllm as tl
from typedllm.pipeline import ItemResult, MapResults, RunSummary
from typedllm.pipeline._results import ResultColumns
from typedllm.testing import FakeProvider


class City(BaseModel):
    name: str
    population: int


SUMMARY = RunSummary(0, 0, 0, 0, 0, tl.Usage(), None, 0.0)


def _variety() -> list[ItemResult[object]]:
    error = tl.RateLimitError("slow down", provider="openai", status_code=429)
    return [
        ItemResult(0, "a", City(name="Oslo", population=700_000), None, tl.Usage(3, 4, 1, 2, 5),
                   0.25, 1, 0.5),
        ItemResult(1, "b", None, error, tl.Usage(), None, 0, 0.1),  # a failure
        ItemResult(2, "c", "text", None, tl.Usage(1, 1), None, 2, 0.0, None, True),  # journal
        ItemResult(3, "d", [1, 2], None, tl.Usage(10**30, 1), 1.0, 1, 0.2),  # beyond 64 bits
        ItemResult(4, "e", None, None, tl.Usage(1, 2), 0.0, 1, 0.3),  # a None output
        ItemResult(5, "f", "x", None, tl.Usage(1, 2), 0, 3, 1),  # ints where floats go
        # a cost that is no number: its counts fit, and are taken back when the cost does not
        ItemResult(6, "g", "y", None, tl.Usage(1, 2), "n/a", 1, 0.1),  # type: ignore[arg-type]
    ]  # fmt: skip


def test_every_kind_of_result_reads_back_equal_and_in_input_order() -> None:
    expected = _variety()
    arrived = expected[:]
    random.Random(7).shuffle(arrived)  # items end in any order
    columns = ResultColumns()
    for result in arrived:
        columns.add(result)
    results = MapResults(columns, SUMMARY)
    assert len(results) == len(expected)
    assert list(results) == expected
    assert [results[i] for i in range(len(expected))] == expected
    assert results[-1] == expected[-1] and list(results[1:3]) == expected[1:3]
    assert results[3].usage.input_tokens == 10**30  # kept whole, not in 64 bits
    assert results[0].cost == 0.25 and results[1].cost is None and results[4].cost == 0.0
    assert results.outputs() == [expected[i].output for i in (0, 2, 3, 4, 5, 6)]
    assert results[6].cost == "n/a" and results[5].usage == tl.Usage(1, 2)
    assert results.errors() == [expected[1]]
    assert type(results[0]) is ItemResult and type(results[0].usage) is tl.Usage


def test_a_sequence_of_records_is_kept_the_same_way() -> None:
    expected = _variety()
    results = MapResults(list(reversed(expected)), SUMMARY)
    assert list(results) == expected
    again = pickle.loads(pickle.dumps(MapResults(expected[2:], SUMMARY)))
    assert list(again) == expected[2:] and again.summary == SUMMARY
    assert repr(results).startswith("MapResults(7 items")


def test_a_kept_completion_stays_with_its_result() -> None:
    llm = tl.openai().model("gpt-4o-mini").api_key("sk-test").transport(FakeProvider()).build()
    results = tl.map(llm, ["a", "b"], schema=City, keep_completions=True)
    assert all(r.completion is not None for r in results)
    slim = tl.map(llm, ["a", "b"], schema=City)
    assert [r.output for r in slim] == [r.output for r in results]
    assert all(r.completion is None and r.usage.total_tokens for r in slim)


class Cities(tl.Completer):
    """Answers each prompt with a new City, without keeping anything."""

    def _completion(self, call: tl.Call) -> tl.Completion[Any]:
        raise AssertionError("map runs the async primitive")

    async def _acompletion(self, call: tl.Call) -> tl.Completion[Any]:
        await asyncio.sleep(0)
        city = City(name=str(call.prompt), population=len(str(call.prompt)))
        usage = tl.Usage(input_tokens=10, output_tokens=5)
        return tl.Completion(city, "{}", usage, "stop", "m", None, cost=0.01)

    def _stream(self, call: tl.Call) -> Any:
        raise AssertionError("not streamed")

    def _astream(self, call: tl.Call) -> Any:
        raise AssertionError("not streamed")


def test_a_run_keeps_its_outputs_and_no_record_per_item() -> None:
    tl.map(Cities(), ["warm"], schema=City)
    gc.collect()
    before = len(gc.get_objects())
    results = tl.map(Cities(), [f"city {i}" for i in range(300)], schema=City, concurrency=16)
    gc.collect()
    per_item = (len(gc.get_objects()) - before) / 300
    # A City output is one object for the collector (its field dict holds only atoms, so it
    # is not tracked) and its fields-set another; an ItemResult and its Usage per item would
    # make it four.
    assert per_item < 2.5, per_item
    assert len(results) == 300 and all(r.ok for r in results)
    assert results[299].output == City(name="city 299", population=8)


@pytest.mark.parametrize("count", [0, 1])
def test_small_runs(count: int) -> None:
    results = MapResults([ItemResult(0, "x", "out")][:count], SUMMARY)
    assert len(results) == count and results.outputs() == ["out"][:count]
