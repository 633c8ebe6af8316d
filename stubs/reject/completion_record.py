"""Rejected: misuse of the completion record (one misuse per line)."""

from __future__ import annotations

from pydantic import BaseModel

import typedllm as tl


class Invoice(BaseModel):
    number: str


def records(llm: tl.Client, rec: tl.Completion[Invoice]) -> None:
    _record: tl.Completion[str] = llm.completion("x", schema=Invoice)  # type: ignore[arg-type]  # pyright: ignore[reportAssignmentType]
    _text_record: tl.Completion[Invoice] = llm.completion("x")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _output: str = rec.output  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _raw: str = rec.raw_text  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _reason: str = rec.finish_reason  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    rec.output = Invoice(number="2")  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]
    rec.usage = tl.Usage()  # type: ignore[misc]  # pyright: ignore[reportAttributeAccessIssue]
    rec.output.total  # type: ignore[attr-defined]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]
    llm.completion("x", schema=42)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    llm.completion([{"role": "user", "content": "x"}])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]


async def async_records(llm: tl.Client) -> None:
    _record: tl.Completion[str] = await llm.acompletion("x", schema=Invoice)  # type: ignore[arg-type]  # pyright: ignore[reportAssignmentType]
    _not_awaited: tl.Completion[str] = llm.acompletion("x")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
