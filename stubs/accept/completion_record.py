"""Accepted: the full completion record (type-checked only, never executed)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel
from typing_extensions import TypedDict, assert_type

import typedllm as tl


class Invoice(BaseModel):
    number: str


class Movie(TypedDict):
    title: str


def records(llm: tl.Client) -> None:
    rec = llm.completion("x", schema=Invoice)
    assert_type(rec, tl.Completion[Invoice])
    assert_type(rec.output, Invoice)
    assert_type(rec.raw_text, str | None)
    assert_type(rec.usage, tl.Usage)
    assert_type(rec.usage.input_tokens, int)
    assert_type(rec.usage.output_tokens, int)
    assert_type(rec.usage.total_tokens, int)
    assert_type(rec.usage + rec.usage, tl.Usage)
    assert_type(rec.finish_reason, tl.FinishReason | None)
    assert_type(rec.model, str | None)
    assert_type(rec.request_id, str | None)
    assert_type(rec.raw, Any)
    assert_type(rec.attempts, tuple[tl.Attempt, ...])
    assert_type(rec.attempts[0].raw_text, str | None)
    assert_type(rec.reasoning, str | None)
    assert_type(rec.tool_calls, tuple[tl.ToolCall, ...])

    text = llm.completion("x")
    assert_type(text, tl.Completion[str])
    assert_type(text.output, str)
    assert_type(llm.completion([tl.user("u")]), tl.Completion[str])
    assert_type(llm.completion("x", schema=list[Invoice]), tl.Completion[list[Invoice]])
    assert_type(llm.completion("x", schema=list[Invoice]).output, list[Invoice])
    assert_type(llm.completion("x", schema=Invoice | None).output, Invoice | None)
    assert_type(llm.completion("x", schema=Movie).output, Movie)
    assert_type(llm.completion("x", schema=Literal["a", "b"]).output, Literal["a", "b"])
    assert_type(llm.completion("x", schema=dict[str, int]).output, dict[str, int])
    assert_type(llm.completion("x", schema=tuple[int, str]).output, tuple[int, str])
    assert_type(llm.completion("x", schema=bool).output, bool)


def output_of_int_record(rec: tl.Completion[int]) -> int:
    return rec.output


def covariance(rec: tl.Completion[bool]) -> None:
    # Completion is covariant in its output: a Completion[bool] is a Completion[int].
    assert_type(output_of_int_record(rec), int)


async def async_records(llm: tl.Client) -> None:
    assert_type(await llm.acompletion("x", schema=Invoice), tl.Completion[Invoice])
    assert_type((await llm.acompletion("x", schema=Invoice)).output, Invoice)
    assert_type(await llm.acompletion("x"), tl.Completion[str])
    assert_type((await llm.acompletion("x")).output, str)
    assert_type(await llm.acompletion("x", schema=list[Invoice]), tl.Completion[list[Invoice]])
