"""Rejected: misuse of typed tools and of the tool loop (one misuse per line)."""

from __future__ import annotations

from pydantic import BaseModel

import typedllm as tl


class Weather(BaseModel):
    city: str


@tl.tool
def get_weather(city: str, days: int = 1) -> Weather:
    """Current weather."""
    return Weather(city=city)


def wants_int(value: int) -> None: ...


def direct_calls() -> None:
    get_weather(42)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    get_weather("Paris", days="two")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    get_weather()  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    get_weather("Paris", hours=1)  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
    wants_int(get_weather("Paris"))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


def loops(llm: tl.Client) -> None:
    llm.complete("x", tools=get_weather)  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    llm.complete("x", tools=[len])  # type: ignore[list-item]  # pyright: ignore[reportArgumentType]
    llm.complete("x", tools=[get_weather], max_steps="3")  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    wants_int(llm.complete("x", tools=[get_weather], schema=Weather))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    llm.resume("state", {}, tools=[get_weather])  # type: ignore[call-overload]  # pyright: ignore[reportArgumentType]
    tl.ToolDecision.edit(["a"])  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
