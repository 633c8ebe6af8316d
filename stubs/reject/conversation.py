"""Rejected: misuse of the conversation model, options, wrappers and the retry policy."""

from __future__ import annotations

import typedllm as tl


def parts() -> None:
    tl.user([42])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    tl.tool_result(42, "x")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.image(42)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.image(b"x", detail="medium")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.assistant("x", tool_calls=["call"])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    tl.Message("user", "x", tool_call_id="c1")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]


def options(llm: tl.Client) -> None:
    llm.complete("x", options={"temperature": 0})  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    tl.CallOptions(temperature="hot")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.CallOptions(tools=["get_weather"])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    _cost: float = llm.completion("x").cost  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]


def wrappers() -> None:
    tl.ClientWrapper("not a client")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.Completer()  # type: ignore[abstract]  # pyright: ignore[reportAbstractUsage]


def policy() -> None:
    tl.openai().model("gpt-4o").retry_policy(3)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.RetryPolicy(max_attempts="3")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    tl.openai().model("gpt-4o").on_event("print")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
