"""Rejected: misuse of complete()/acomplete() and of messages (one misuse per line)."""

from __future__ import annotations

from pydantic import BaseModel

import typedllm as tl


class Invoice(BaseModel):
    number: str


def schemas(llm: tl.Client) -> None:
    llm.complete("x", schema=42)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    llm.complete("x", schema=3.5)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    llm.complete("x", schema=Invoice(number="1"))  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    llm.complete("x", schema=[Invoice])  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    llm.complete("x", Invoice)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    llm.complete("x", schema=Invoice, temperature=0.1)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]


def string_schema(llm: tl.Client) -> None:
    # On its own: a fix typing string schemas as returning Never would hide the lines after it.
    llm.complete("x", schema="NotAType")  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]


def prompts(llm: tl.Client) -> None:
    llm.complete([{"role": "user", "content": "x"}])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    llm.complete([{"role": "user", "content": "x"}], schema=Invoice)  # type: ignore[list-item]  # pyright: ignore[reportCallIssue, reportArgumentType]
    llm.complete({"role": "user", "content": "x"})  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    llm.complete(tl.user("x"))  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    llm.complete(["x", "y"])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    llm.complete(42)  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    llm.complete(None)  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    llm.complete()  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    tl.user(42)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.system(None)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.Message("tool", "x")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]


def results(llm: tl.Client) -> None:
    _wrong: str = llm.complete("x", schema=Invoice)  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _bad: Invoice = llm.complete("x")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _int: int = llm.complete("x", schema=list[int])  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _opt: Invoice = llm.complete("x", schema=Invoice | None)  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _not_awaited: str = llm.acomplete("x")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    llm.complete("x").number  # type: ignore[attr-defined]  # pyright: ignore[reportUnknownMemberType, reportAttributeAccessIssue]


async def async_calls(llm: tl.Client) -> None:
    _wrong: str = await llm.acomplete("x", schema=Invoice)  # type: ignore[arg-type]  # pyright: ignore[reportAssignmentType]
    await llm.acomplete("x", schema=3.5)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    await llm.acomplete([{"role": "user", "content": "x"}])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    await llm.complete("x")  # type: ignore[misc]  # pyright: ignore[reportGeneralTypeIssues]
