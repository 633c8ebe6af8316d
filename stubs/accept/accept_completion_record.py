"""Accepted: the full completion record."""

from __future__ import annotations

from pydantic import BaseModel
from typing_extensions import assert_type

import typedllm as tl


class Invoice(BaseModel):
    number: str


def records(llm: tl.Client) -> None:
    rec = llm.completion("x", schema=Invoice)
    assert_type(rec, tl.Completion[Invoice])
    assert_type(rec.output, Invoice)
    assert_type(rec.usage, tl.Usage)
    assert_type(rec.usage.input_tokens, int)
    assert_type(rec.finish_reason, tl.FinishReason | None)
    assert_type(rec.model, str | None)
    assert_type(rec.request_id, str | None)
    assert_type(rec.attempts, tuple[tl.Attempt, ...])
    assert_type(llm.completion("x"), tl.Completion[str])
    assert_type(llm.completion("x", schema=list[Invoice]).output, list[Invoice])


async def async_records(llm: tl.Client) -> None:
    assert_type(await llm.acompletion("x", schema=Invoice), tl.Completion[Invoice])
    assert_type(await llm.acompletion("x"), tl.Completion[str])
