"""Rejected: misuse of tl.map (one misuse per line)."""

from __future__ import annotations

from pydantic import BaseModel

import typedllm as tl


class Invoice(BaseModel):
    number: str


def misuse(llm: tl.Client, texts: list[str]) -> None:
    tl.map("gpt-4o", texts)  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    tl.map(llm, texts, on_error="ignore")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    tl.map(llm, texts, rate_limit=60)  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    tl.map(llm, texts, schema=42)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    _wrong: tl.MapResults[Invoice] = tl.map(llm, texts)  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    _text: str = tl.map(llm, texts, schema=Invoice)[0].unwrap()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
