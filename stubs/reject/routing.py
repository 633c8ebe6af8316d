"""Rejected: misuse of fallback, circuit breakers and routers (one misuse per line)."""

from __future__ import annotations

from pydantic import BaseModel

import typedllm as tl


class Invoice(BaseModel):
    number: str


def on_text(text: str) -> bool:
    return "invoice" in text


def misuse(llm: tl.Client) -> None:
    tl.fallback()  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    tl.fallback(llm, "gpt-4o")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.fallback(llm, on=(404,))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.fallback(llm).complete("x", schema=42)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    tl.CircuitBreaker().wrap("gpt-4o")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.CircuitBreaker(failure_threshold="3")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.Router(default="gpt-4o")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.Rule(on_text, llm)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    _text: Invoice = tl.Router(default=llm).complete("x")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
