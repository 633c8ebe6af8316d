"""Rejected: stream misuse (one per line, see the other reject files)."""

from __future__ import annotations

from pydantic import BaseModel

import typedllm as tl


class City(BaseModel):
    name: str


def calls(llm: tl.Client) -> None:
    wrong: City = llm.stream("x").final()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    text: str = llm.stream("x", schema=City).final()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    print(wrong, text)
    llm.stream("x", schema=42)  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue, reportArgumentType]
    for _ in llm.astream("x"):  # type: ignore[attr-defined]  # pyright: ignore[reportGeneralTypeIssues, reportUnknownVariableType]
        pass
