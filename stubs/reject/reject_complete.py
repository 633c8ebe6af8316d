"""Rejected: complete() misuse."""

from __future__ import annotations

from pydantic import BaseModel

import typedllm as tl


class Invoice(BaseModel):
    number: str


def calls(llm: tl.Client) -> None:
    llm.complete("x", schema=42)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    llm.complete([{"role": "user", "content": "x"}])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    llm.complete(42)  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    wrong: str = llm.complete("x", schema=Invoice)  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    bad: Invoice = llm.complete("x")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    record: tl.Completion[str] = llm.completion("x", schema=Invoice)  # type: ignore[arg-type]  # pyright: ignore[reportAssignmentType]
    llm.complete("x", schema=Invoice, temperature=0.1)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]


async def async_calls(llm: tl.Client) -> None:
    wrong: str = await llm.acomplete("x", schema=Invoice)  # type: ignore[arg-type]  # pyright: ignore[reportAssignmentType]
    await llm.acomplete("x", schema=3.5)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
