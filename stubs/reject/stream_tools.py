"""Rejected: misuse of the streamed tool loop (one per line, see the other reject files)."""

from __future__ import annotations

from pydantic import BaseModel

import typedllm as tl


class Weather(BaseModel):
    city: str


@tl.tool
def get_weather(city: str) -> Weather:
    """Current weather."""
    return Weather(city=city)


def calls(llm: tl.Client, state: tl.ToolLoopState) -> None:
    wrong: Weather = llm.stream("x", tools=[get_weather]).final()  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    print(wrong)
    llm.resume_stream(state, {})  # type: ignore[call-overload]  # pyright: ignore[reportCallIssue]
    llm.resume_stream(state, ["c1"], tools=[get_weather])  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    tl.ToolCallStarted("c1", "get_weather", "0", 0)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    started: tl.ToolCallStarted = tl.ToolCallDone  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    print(started)
